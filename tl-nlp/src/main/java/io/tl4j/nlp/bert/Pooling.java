package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.Scalars;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.nn.TorchModule;

/**
 * How a BERT backbone turns its token vectors into one feature vector per text: its last layer.
 */
public enum Pooling {
    /** The mean of the real tokens' vectors (sentence-transformers' pooling); layer {@code pooling}. */
    MEAN("pooling"),
    /** The {@code [CLS]} token's vector; layer {@code pooling}. */
    CLS("pooling"),
    /** Hugging Face's {@code BertPooler}: {@code [CLS]} through {@code pooler.dense} and tanh; layer {@code pooler}. */
    POOLER("pooler"),
    /**
     * No pooling: the backbone outputs {@link HiddenStates} (batch, length, hidden + 1), for
     * token-level work; no layer is added.
     */
    NONE("");

    private final String layerName;

    Pooling(String layerName) {
        this.layerName = layerName;
    }

    /** Returns the name of the layer this pooling adds, empty for {@link #NONE}. */
    public String layerName() {
        return layerName;
    }

    /**
     * Computes the masked mean of the token vectors (batch, hidden).
     *
     * @param packed {@link HiddenStates} (batch, length, hidden + 1)
     * @return the masked mean of the token vectors (batch, hidden)
     */
    static NDArray mean(NDArray packed) {
        NDArray mask = HiddenStates.mask(packed).expandDims(2);
        NDArray sum = HiddenStates.hidden(packed).mul(mask).sum(new int[] {1});
        return sum.div(Scalars.maximum(mask.sum(new int[] {1}), 1e-9f));
    }

    /**
     * Returns the first token's vectors (batch, hidden).
     *
     * @param packed {@link HiddenStates} (batch, length, hidden + 1)
     * @return the first token's vectors (batch, hidden)
     */
    static NDArray cls(NDArray packed) {
        return HiddenStates.hidden(packed).get(new NDIndex(":, 0, :"));
    }

    Block newBlock(BertConfig config) {
        switch (this) {
            case MEAN:
                return new TokenPooling(config, true);
            case CLS:
                return new TokenPooling(config, false);
            case POOLER:
                return new BertPooler(config);
            default:
                throw new IllegalStateException("no pooling layer for " + this);
        }
    }

    /**
     * A pooling without parameters: the masked mean of the token vectors (sum over real tokens
     * divided by their count), or the first token's vector.
     */
    static final class TokenPooling extends TorchModule {
        private final BertConfig config;
        private final boolean mean;

        TokenPooling(BertConfig config, boolean mean) {
            this.config = config;
            this.mean = mean;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray hidden = inputs.singletonOrThrow();
            return new NDList(mean ? mean(hidden) : cls(hidden));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), config.hiddenSize())};
        }
    }

    /** Hugging Face's {@code BertPooler}: tanh(dense([CLS])). */
    static final class BertPooler extends TorchModule {
        private final BertConfig config;
        private final TorchLinear dense;

        BertPooler(BertConfig config) {
            this.config = config;
            this.dense = addChildBlock("dense", BertLayers.linear(config.hiddenSize(), config.hiddenSize()));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(
                    dense.apply(ps, cls(inputs.singletonOrThrow()), training).tanh());
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), config.hiddenSize())};
        }
    }
}
