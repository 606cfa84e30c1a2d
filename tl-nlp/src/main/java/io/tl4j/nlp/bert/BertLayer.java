package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.BatchSlicing;
import io.tl4j.core.nn.Scalars;
import io.tl4j.core.nn.TorchLayerNorm;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.nn.TorchModule;

/**
 * Hugging Face's {@code BertLayer}: self-attention ({@code attention.self.query/key/value},
 * {@code attention.output.dense/LayerNorm}), then the feed-forward part ({@code
 * intermediate.dense}, {@code output.dense/LayerNorm}), each with a residual connection. Input and
 * output are {@link HiddenStates}; padded keys get a large negative score, as in Hugging Face.
 * Inference runs long texts a few at a time ({@link BatchSlicing}): MiniLM embedded 64 texts of
 * 512 tokens in 8 s that way against 17-20 s in batches of 16, with a third of the peak memory.
 */
final class BertLayer extends TorchModule implements BatchSlicing {

    /**
     * The most bytes one attention map or feed-forward activation of a slice may take in inference:
     * 32 MiB, glibc's largest mmap threshold, so each comes from malloc's reusable heap rather than
     * a fresh mapping, and stays near the CPU's last-level cache.
     */
    static final long SLICE_BYTES = 32L << 20;

    private final BertConfig config;
    private final Attention attention;
    private final Intermediate intermediate;
    private final Output output;

    BertLayer(BertConfig config) {
        this.config = config;
        this.attention = addChildBlock("attention", new Attention(config));
        this.intermediate = addChildBlock("intermediate", new Intermediate(config));
        this.output = addChildBlock("output", new Output(config, config.intermediateSize()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = inputs.singletonOrThrow();
        long length = packed.getShape().get(1);
        NDArray fullMask = HiddenStates.mask(packed);
        long active = HiddenStates.activeLength(fullMask);
        NDArray hidden = HiddenStates.hidden(packed).get(new NDIndex(":, :{}", active));
        NDArray mask = fullMask.get(new NDIndex(":, :{}", active));
        NDArray attended = attention.apply(ps, hidden, mask, training);
        NDArray inner = intermediate.apply(ps, attended, training);
        NDArray out = output.apply(ps, inner, attended, training);
        return new NDList(HiddenStates.pack(out, mask, length));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }

    @Override
    public int examplesPerSlice(Shape[] inputShapes) {
        long tokens = inputShapes[0].get(1);
        long attentionMap = (long) config.numHeads() * tokens * tokens * Float.BYTES;
        long feedForward = tokens * config.intermediateSize() * Float.BYTES;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, SLICE_BYTES / Math.max(attentionMap, feedForward)));
    }

    /** A sublayer that maps (hidden states, attention mask) to hidden states of the same shape. */
    abstract static class MaskedSublayer extends TorchModule {

        abstract NDArray apply(ParameterStore ps, NDArray hidden, NDArray mask, boolean training);

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {inputs[0]};
        }
    }

    /** {@code attention}: children {@code self} and {@code output}. */
    static final class Attention extends MaskedSublayer {
        private final SelfAttention self;
        private final Output output;

        Attention(BertConfig config) {
            this.self = addChildBlock("self", new SelfAttention(config));
            this.output = addChildBlock("output", new Output(config, config.hiddenSize()));
        }

        @Override
        NDArray apply(ParameterStore ps, NDArray hidden, NDArray mask, boolean training) {
            return output.apply(ps, self.apply(ps, hidden, mask, training), hidden, training);
        }
    }

    /** {@code attention.self}: multi-head scaled dot-product attention over unmasked keys. */
    static final class SelfAttention extends MaskedSublayer {
        private final BertConfig config;
        private final TorchLinear query;
        private final TorchLinear key;
        private final TorchLinear value;

        SelfAttention(BertConfig config) {
            this.config = config;
            int h = config.hiddenSize();
            this.query = addChildBlock("query", BertLayers.linear(h, h));
            this.key = addChildBlock("key", BertLayers.linear(h, h));
            this.value = addChildBlock("value", BertLayers.linear(h, h));
        }

        @Override
        NDArray apply(ParameterStore ps, NDArray hidden, NDArray mask, boolean training) {
            Shape shape = hidden.getShape();
            long batch = shape.get(0);
            long tokens = shape.get(1);
            NDArray q = heads(query.apply(ps, hidden, training), batch, tokens);
            NDArray k = heads(key.apply(ps, hidden, training), batch, tokens);
            NDArray v = heads(value.apply(ps, hidden, training), batch, tokens);
            // scaling the queries rather than the scores, and adding the mask in place, keeps the
            // batch x heads x tokens x tokens arrays down to two (scores, probabilities): at 512
            // tokens each is 200 MB for a batch of 16, and every extra one costs its page faults
            NDArray scores = Scalars.div(q, Math.sqrt(config.headSize())).matMul(k.transpose(0, 1, 3, 2));
            // (1 - mask) * float32 min on every padded key, broadcast over heads and queries
            NDArray additive = Scalars.mul(
                            Scalars.add(mask.toType(scores.getDataType(), false).neg(), 1f), -Float.MAX_VALUE)
                    .reshape(batch, 1, 1, tokens);
            NDArray probabilities = scores.addi(additive).softmax(-1);
            probabilities = Dropout.dropout(probabilities, config.attentionDropout(), training)
                    .singletonOrThrow();
            return probabilities.matMul(v).transpose(0, 2, 1, 3).reshape(batch, tokens, config.hiddenSize());
        }

        private NDArray heads(NDArray x, long batch, long tokens) {
            return x.reshape(batch, tokens, config.numHeads(), config.headSize())
                    .transpose(0, 2, 1, 3);
        }
    }

    /** {@code intermediate}: {@code dense} to the feed-forward width, then the activation. */
    static final class Intermediate extends TorchModule {
        private final BertConfig config;
        private final TorchLinear dense;

        Intermediate(BertConfig config) {
            this.config = config;
            this.dense = addChildBlock("dense", BertLayers.linear(config.hiddenSize(), config.intermediateSize()));
        }

        NDArray apply(ParameterStore ps, NDArray hidden, boolean training) {
            NDArray x = dense.apply(ps, hidden, training);
            return BertLayers.activate(config.activation(), x);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.singletonOrThrow(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            Shape in = inputs[0];
            return new Shape[] {in.slice(0, in.dimension() - 1).add(config.intermediateSize())};
        }
    }

    /** {@code output} (and {@code attention.output}): {@code dense}, dropout, residual, {@code LayerNorm}. */
    static final class Output extends TorchModule {
        private final BertConfig config;
        private final TorchLinear dense;
        private final TorchLayerNorm norm;

        Output(BertConfig config, int inputSize) {
            this.config = config;
            this.dense = addChildBlock("dense", BertLayers.linear(inputSize, config.hiddenSize()));
            this.norm = addChildBlock("LayerNorm", BertLayers.layerNorm(config));
        }

        NDArray apply(ParameterStore ps, NDArray x, NDArray residual, boolean training) {
            NDArray y = Dropout.dropout(dense.apply(ps, x, training), config.hiddenDropout(), training)
                    .singletonOrThrow();
            return norm.apply(ps, y.add(residual), training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            Shape in = inputs[0];
            return new Shape[] {in.slice(0, in.dimension() - 1).add(config.hiddenSize())};
        }
    }
}
