package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.Scalars;
import io.tl4j.core.nn.TorchLayerNorm;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.nn.TorchModule;

/**
 * The stage {@code encoder.layers.N}: {@code attention}, {@code layer_norm}, {@code feed_forward}
 * ({@code intermediate_dense}, GELU, {@code output_dense}) and {@code final_layer_norm}, post-LN
 * (base) or pre-LN ({@code do_stable_layer_norm}, large). Packed frames in and out.
 */
final class EncoderLayer extends TorchModule {

    private final boolean preNorm;
    private final float dropout;
    private final SelfAttention attention;
    private final TorchLayerNorm layerNorm;
    private final FeedForward feedForward;
    private final TorchLayerNorm finalLayerNorm;

    EncoderLayer(Wav2Vec2Config config) {
        this.preNorm = config.doStableLayerNorm();
        this.dropout = config.hiddenDropout();
        this.attention = addChildBlock("attention", new SelfAttention(config));
        this.layerNorm = addChildBlock("layer_norm", new TorchLayerNorm(config.hiddenSize(), config.layerNormEps()));
        this.feedForward = addChildBlock("feed_forward", new FeedForward(config));
        this.finalLayerNorm =
                addChildBlock("final_layer_norm", new TorchLayerNorm(config.hiddenSize(), config.layerNormEps()));
    }

    /**
     * Turns a frame mask into the additive attention bias {@code (batch, 1, 1, frames)}: 0 or -10000.
     *
     * @param mask {@code (batch, frames)}, 1 for real frames
     * @return the additive attention bias {@code (batch, 1, 1, frames)}: 0 or -10000
     */
    static NDArray keyBias(NDArray mask) {
        return Scalars.mul(Scalars.add(mask.neg(), 1f), -10000f).expandDims(1).expandDims(1);
    }

    NDArray apply(ParameterStore ps, NDArray x, NDArray keyBias, boolean training) {
        NDArray residual = x;
        NDArray h = preNorm ? layerNorm.apply(ps, x, training) : x;
        h = attention.apply(ps, h, keyBias, training);
        h = residual.add(Dropout.dropout(h, dropout, training).head());
        if (preNorm) {
            return h.add(feedForward.apply(ps, finalLayerNorm.apply(ps, h, training), training));
        }
        h = layerNorm.apply(ps, h, training);
        return finalLayerNorm.apply(ps, h.add(feedForward.apply(ps, h, training)), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = Frames.single(inputs, "encoder layer");
        NDArray mask = Frames.mask(packed);
        NDArray y = apply(ps, Frames.features(packed), keyBias(mask), training);
        return new NDList(Frames.pack(y, mask));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }

    /** {@code feed_forward}: {@code intermediate_dense}, GELU, dropout, {@code output_dense}, dropout. */
    static final class FeedForward extends TorchModule {
        private final float activationDropout;
        private final float hiddenDropout;
        private final TorchLinear intermediate;
        private final TorchLinear output;

        FeedForward(Wav2Vec2Config config) {
            this.activationDropout = config.activationDropout();
            this.hiddenDropout = config.hiddenDropout();
            this.intermediate = addChildBlock(
                    "intermediate_dense", new TorchLinear(config.hiddenSize(), config.intermediateSize()));
            this.output =
                    addChildBlock("output_dense", new TorchLinear(config.intermediateSize(), config.hiddenSize()));
        }

        NDArray apply(ParameterStore ps, NDArray x, boolean training) {
            NDArray h = Activation.gelu(intermediate.apply(ps, x, training));
            h = Dropout.dropout(h, activationDropout, training).head();
            h = output.apply(ps, h, training);
            return Dropout.dropout(h, hiddenDropout, training).head();
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.head(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return inputs;
        }
    }
}
