package io.tl4j.core.meta;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.train.Objective;

/**
 * The prototypical-network objective (Snell et al., 2017): each class's prototype is the mean
 * embedding of its support examples, and each query is classified by a softmax over the negative
 * squared Euclidean distances to the prototypes; the loss is the mean cross-entropy of the queries.
 * It is computed on NDArrays, so it trains the backbone that made the embeddings.
 *
 * <p>The output is the episode's embeddings, support examples first ({@code (support + query,
 * ...)}, flattened per example); the targets are {@link #targets the episode's labels}.
 */
public final class PrototypicalLoss implements Objective {

    private final int ways;

    /**
     * Creates the objective for episodes of a number of classes.
     *
     * @param ways the classes per episode
     */
    public PrototypicalLoss(int ways) {
        if (ways < 2) {
            throw new IllegalArgumentException("Prototypes need at least 2 classes, got " + ways);
        }
        this.ways = ways;
    }

    /**
     * Makes an episode's targets: the support labels, then the query labels.
     *
     * @param manager owns the arrays
     * @param episode the episode
     * @return the targets {@link #loss} expects
     */
    public static NDList targets(NDManager manager, Episode episode) {
        return new NDList(manager.create(episode.supportLabels()), manager.create(episode.queryLabels()));
    }

    @Override
    public NDArray loss(NDList output, NDList targets) {
        NDArray logp = logits(output, targets).logSoftmax(1);
        NDArray queryLabels = targets.get(1);
        return queryLabels.oneHot(ways).mul(logp).sum(new int[] {1}).mean().neg();
    }

    @Override
    public int correct(NDList output, NDList targets) {
        long[] predicted = logits(output, targets).argMax(1).toLongArray();
        long[] truth = targets.get(1).toLongArray();
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] == truth[i]) {
                correct++;
            }
        }
        return correct;
    }

    /**
     * Returns the queries' scores, the negative squared distances to each prototype: {@code (query, ways)}.
     *
     * @param output the episode's embeddings, support examples first
     * @param targets the support labels and the query labels
     * @return the scores
     */
    public NDArray logits(NDList output, NDList targets) {
        NDArray supportLabels = targets.get(0);
        int support = (int) supportLabels.size();
        NDArray embeddings = output.head();
        long n = embeddings.getShape().get(0);
        NDArray flat = embeddings.reshape(n, -1).toType(DataType.FLOAT32, false);
        NDArray supportRows = flat.get("0:" + support);
        NDArray queryRows = flat.get(support + ":");
        NDArray oneHot = supportLabels.oneHot(ways).toType(DataType.FLOAT32, false); // (support, ways)
        NDArray counts = oneHot.sum(new int[] {0}).reshape(ways, 1);
        NDArray prototypes = oneHot.transpose().matMul(supportRows).div(counts); // (ways, d)
        long d = prototypes.getShape().get(1);
        NDArray diff = queryRows
                .reshape(new Shape(queryRows.getShape().get(0), 1, d))
                .sub(prototypes.reshape(new Shape(1, ways, d)));
        return diff.square().sum(new int[] {2}).neg();
    }
}
