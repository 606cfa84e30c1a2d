package io.tl4j.benchmarks.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.transformer.BertBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A text classifier in plain DJL: DJL's own {@link BertBlock} sized as all-MiniLM-L6-v2 (6 layers,
 * hidden 384, 12 heads, feed-forward 1,536, WordPiece vocabulary of 30,522), mean pooling over the
 * real tokens, and a linear head. Input: token ids, token type ids and attention mask, each (batch,
 * length) int32.
 */
public final class RawBertClassifier extends AbstractBlock {

    /** all-MiniLM-L6-v2's vocabulary size. */
    public static final int VOCABULARY = 30522;

    private static final byte VERSION = 1;

    private final Block bert;
    private final Block head;

    /**
     * Creates a BERT classifier in raw DJL for sequences of {@code maxLength} tokens.
     *
     * @param maxLength the sequence length (DJL's BertBlock adds position embeddings for exactly this many)
     * @param numClasses the number of classes
     */
    public RawBertClassifier(int maxLength, int numClasses) {
        super(VERSION);
        bert = addChildBlock(
                "bert",
                BertBlock.builder()
                        .setTokenDictionarySize(VOCABULARY)
                        .optTypeDictionarySize(2)
                        .optEmbeddingSize(384)
                        .optTransformerBlockCount(6)
                        .optAttentionHeadCount(12)
                        .optHiddenSize(1536)
                        .optHiddenDropoutProbability(0.1f)
                        .optMaxSequenceLength(maxLength)
                        .build());
        head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray mask = inputs.get(2);
        NDArray hidden = bert.forward(parameterStore, inputs, training).head();
        NDArray weights = mask.toType(DataType.FLOAT32, false).expandDims(2);
        NDArray pooled = hidden.mul(weights)
                .sum(new int[] {1})
                .div(weights.sum(new int[] {1}).maximum(1e-9f));
        return head.forward(parameterStore, new NDList(pooled), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), head.getOutputShapes(new Shape[] {new Shape(1, 384)})[0].get(1))
        };
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        bert.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), 384));
    }
}
