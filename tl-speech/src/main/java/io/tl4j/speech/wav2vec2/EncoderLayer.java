package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.MultiHeadAttention;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.nn.TransformerEncoderLayer;
import io.tl4j.core.nn.TransformerLayerSpec;
import io.tl4j.core.nn.TransformerNames;
import io.tl4j.core.nn.TransformerNames.Part;

/**
 * The stage {@code encoder.layers.N}: tl-core's shared {@link TransformerEncoderLayer} under
 * torchaudio's names ({@code attention.k_proj/v_proj/q_proj/out_proj}, {@code layer_norm}, {@code
 * feed_forward.intermediate_dense/output_dense}, {@code final_layer_norm}) with GELU, post-LN (base)
 * or pre-LN ({@code do_stable_layer_norm}, large). Packed frames in and out; padded frames are
 * masked out as keys with an additive -10000, as torchaudio does.
 */
final class EncoderLayer extends TransformerEncoderLayer {

    /** torchaudio's names of a layer's parts, in its {@code state_dict} order. */
    static final TransformerNames NAMES = TransformerNames.builder()
            .add(Part.KEY, "attention.k_proj")
            .add(Part.VALUE, "attention.v_proj")
            .add(Part.QUERY, "attention.q_proj")
            .add(Part.ATTENTION_OUTPUT, "attention.out_proj")
            .add(Part.ATTENTION_NORM, "layer_norm")
            .add(Part.FEED_FORWARD_IN, "feed_forward.intermediate_dense")
            .add(Part.FEED_FORWARD_OUT, "feed_forward.output_dense")
            .add(Part.FEED_FORWARD_NORM, "final_layer_norm")
            .build();

    /** torchaudio's score bias of a padded frame. */
    private static final float PADDED = -10000f;

    EncoderLayer(Wav2Vec2Config config) {
        super(new TransformerLayerSpec(
                config.hiddenSize(),
                config.numAttentionHeads(),
                config.intermediateSize(),
                config.layerNormEps(),
                config.doStableLayerNorm(),
                config.attentionDropout(),
                config.hiddenDropout(),
                config.activationDropout(),
                Activation::gelu,
                TorchLinear::new,
                NAMES));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = Frames.single(inputs, "encoder layer");
        NDArray mask = Frames.mask(packed);
        NDArray y = apply(ps, Frames.features(packed), MultiHeadAttention.keyBias(mask, PADDED), training);
        return new NDList(Frames.pack(y, mask));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}
