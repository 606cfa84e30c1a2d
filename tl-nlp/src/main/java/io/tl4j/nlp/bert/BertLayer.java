package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.BatchSlicing;
import io.tl4j.core.nn.MultiHeadAttention;
import io.tl4j.core.nn.TransformerEncoderLayer;
import io.tl4j.core.nn.TransformerLayerSpec;
import io.tl4j.core.nn.TransformerNames;
import io.tl4j.core.nn.TransformerNames.Part;

/**
 * Hugging Face's {@code BertLayer}: tl-core's shared post-norm {@link TransformerEncoderLayer} under
 * Hugging Face's names ({@code attention.self.query/key/value}, {@code
 * attention.output.dense/LayerNorm}, {@code intermediate.dense}, {@code output.dense/LayerNorm}).
 * Input and output are {@link HiddenStates}; padded keys get the float32 minimum as their score
 * bias, as in Hugging Face. Inference runs long texts a few at a time ({@link BatchSlicing}):
 * MiniLM embedded 64 texts of 512 tokens in 8 s that way against 17-20 s in batches of 16, with a
 * third of the peak memory.
 */
final class BertLayer extends TransformerEncoderLayer implements BatchSlicing {

    /**
     * The most bytes one attention map or feed-forward activation of a slice may take in inference:
     * 32 MiB, glibc's largest mmap threshold, so each comes from malloc's reusable heap rather than
     * a fresh mapping, and stays near the CPU's last-level cache.
     */
    static final long SLICE_BYTES = 32L << 20;

    /** Hugging Face's names of a layer's parts, in its {@code state_dict} order. */
    static final TransformerNames NAMES = TransformerNames.builder()
            .add(Part.QUERY, "attention.self.query")
            .add(Part.KEY, "attention.self.key")
            .add(Part.VALUE, "attention.self.value")
            .add(Part.ATTENTION_OUTPUT, "attention.output.dense")
            .add(Part.ATTENTION_NORM, "attention.output.LayerNorm")
            .add(Part.FEED_FORWARD_IN, "intermediate.dense")
            .add(Part.FEED_FORWARD_OUT, "output.dense")
            .add(Part.FEED_FORWARD_NORM, "output.LayerNorm")
            .build();

    private final BertConfig config;

    BertLayer(BertConfig config) {
        super(new TransformerLayerSpec(
                config.hiddenSize(),
                config.numHeads(),
                config.intermediateSize(),
                config.layerNormEps(),
                false,
                config.attentionDropout(),
                config.hiddenDropout(),
                0f,
                x -> BertLayers.activate(config.activation(), x),
                BertLayers::linear,
                NAMES));
        this.config = config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = inputs.singletonOrThrow();
        long length = packed.getShape().get(1);
        long active = HiddenStates.activeLengthOf(packed);
        NDIndex window = new NDIndex().addAllDim().addSliceDim(0, active);
        NDArray hidden = HiddenStates.hidden(packed).get(window);
        NDArray mask = HiddenStates.mask(packed).get(window);
        NDArray out = apply(ps, hidden, MultiHeadAttention.keyBias(mask, -Float.MAX_VALUE), training);
        return new NDList(HiddenStates.pack(out, mask, length));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }

    /** Sizes slices by the positions this layer computes over: the batch's active length, not its padding. */
    @Override
    public int examplesPerSlice(NDList inputs) {
        return examplesPerSlice(HiddenStates.activeLengthOf(inputs.singletonOrThrow()));
    }

    /** The examples per slice when the layer computes over {@code tokens} positions. */
    int examplesPerSlice(long tokens) {
        long attentionMap = (long) config.numHeads() * tokens * tokens * Float.BYTES;
        long feedForward = tokens * config.intermediateSize() * Float.BYTES;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, SLICE_BYTES / Math.max(attentionMap, feedForward)));
    }
}
