package io.tl4j.core.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.tl4j.core.nn.Scalars;
import io.tl4j.core.train.Objective;

/**
 * Deep CORAL's objective: a task objective on the labelled batch plus a weighted {@link CoralLoss}
 * between the labelled batch's features and an unlabelled target batch's. The network's output is
 * {@code [scores, source features, target features]}; the targets are the task objective's.
 */
public final class CoralObjective implements Objective {

    private final Objective task;
    private final double weight;

    /**
     * Creates the objective.
     *
     * @param task the labelled batch's objective (cross-entropy, say), given the scores alone
     * @param weight the CORAL loss's weight, above 0
     */
    public CoralObjective(Objective task, double weight) {
        if (!(weight > 0)) {
            throw new IllegalArgumentException("The CORAL weight must be > 0, got " + weight);
        }
        this.task = task;
        this.weight = weight;
    }

    @Override
    public NDArray loss(NDList output, NDList targets) {
        NDArray taskLoss = task.loss(new NDList(output.get(0)), targets);
        return taskLoss.add(Scalars.mul(CoralLoss.loss(output.get(1), output.get(2)), (float) weight));
    }

    @Override
    public int correct(NDList output, NDList targets) {
        return task.correct(new NDList(output.get(0)), targets);
    }
}
