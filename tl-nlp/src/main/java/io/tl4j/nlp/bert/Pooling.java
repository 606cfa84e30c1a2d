package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

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

    /** @return the name of the layer this pooling adds, empty for {@link #NONE} */
    public String layerName() {
        return layerName;
    }

    Block newBlock(BertConfig config) {
        switch (this) {
            case MEAN:
                return new MeanPooling(config);
            case CLS:
                return new ClsPooling(config);
            case POOLER:
                return new BertPooler(config);
            default:
                throw new IllegalStateException("no pooling layer for " + this);
        }
    }

    /** Masked mean of the token vectors: sum over real tokens divided by their count. */
    static final class MeanPooling extends HfBlock {
        private final BertConfig config;

        MeanPooling(BertConfig config) {
            this.config = config;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray packed = inputs.singletonOrThrow();
            NDArray mask = HiddenStates.mask(packed).expandDims(2);
            NDArray sum = HiddenStates.hidden(packed).mul(mask).sum(new int[] {1});
            return new NDList(sum.div(mask.sum(new int[] {1}).maximum(1e-9f)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), config.hiddenSize())};
        }
    }

    /** The first token's vector. */
    static final class ClsPooling extends HfBlock {
        private final BertConfig config;

        ClsPooling(BertConfig config) {
            this.config = config;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(HiddenStates.hidden(inputs.singletonOrThrow()).get(new NDIndex(":, 0, :")));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), config.hiddenSize())};
        }
    }

    /** Hugging Face's {@code BertPooler}: tanh(dense([CLS])). */
    static final class BertPooler extends HfBlock {
        private final BertConfig config;
        private final HfLinear dense;

        BertPooler(BertConfig config) {
            this.config = config;
            this.dense = addChildBlock("dense", new HfLinear(config.hiddenSize(), config.hiddenSize()));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray cls = HiddenStates.hidden(inputs.singletonOrThrow()).get(new NDIndex(":, 0, :"));
            return new NDList(run(dense, ps, cls, training).tanh());
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), config.hiddenSize())};
        }
    }
}
