package io.tl4j.core.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.tl4j.core.nn.Scalars;
import io.tl4j.core.train.Objective;

/**
 * DANN's objective: the alignment-free objective on the labelled batch plus the domain
 * discriminator's binary cross-entropy, labelled features as domain 0 and target features as domain 1.
 * The network's output ends with the two batches' domain logits; the objective before it sees the
 * output without them.
 */
public final class AdversarialObjective implements Objective {

    private final Objective task;

    /**
     * Creates the objective.
     *
     * @param task the objective of the rest of the output (cross-entropy, possibly with CORAL)
     */
    public AdversarialObjective(Objective task) {
        this.task = task;
    }

    @Override
    public NDArray loss(NDList output, NDList targets) {
        int n = output.size();
        NDArray taskLoss = task.loss(new NDList(output.subList(0, n - 2)), targets);
        return taskLoss.add(domainLoss(output.get(n - 2), output.get(n - 1)));
    }

    @Override
    public int correct(NDList output, NDList targets) {
        return task.correct(new NDList(output.subList(0, output.size() - 2)), targets);
    }

    /**
     * Returns the mean binary cross-entropy of the discriminator, averaged over both domains:
     * {@code (mean softplus(s) + mean softplus(-t)) / 2}.
     *
     * @param sourceLogits the labelled features' logits (domain 0)
     * @param targetLogits the target features' logits (domain 1)
     * @return a scalar
     */
    public static NDArray domainLoss(NDArray sourceLogits, NDArray targetLogits) {
        return Scalars.div(
                softplus(sourceLogits).mean().add(softplus(targetLogits.neg()).mean()), 2);
    }

    /** Returns {@code log(1 + e^x)} without overflow: {@code max(x, 0) + log(1 + e^{-|x|})}. */
    private static NDArray softplus(NDArray x) {
        return Scalars.maximum(x, 0).add(Scalars.add(x.abs().neg().exp(), 1).log());
    }
}
