package io.tl4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * What a training step minimises: the scalar loss of a batch, given the network's output and the
 * batch's targets. {@link TrainingLoop} differentiates it; cross-entropy for classification,
 * a pair loss for contrastive tuning and CTC for speech recognition implement it.
 */
public interface Objective {

    /**
     * Returns the batch's loss, differentiable with respect to the output.
     *
     * @param output what the network returned for the batch
     * @param targets what the batch should have given, as the objective expects them
     * @return a scalar
     */
    NDArray loss(NDList output, NDList targets);

    /**
     * Returns how many of the batch's examples the output gets right, for the training accuracy;
     * -1 (the default) when the objective has no notion of a right answer.
     *
     * @param output what the network returned for the batch
     * @param targets what the batch should have given
     * @return the number right, or -1
     */
    default int correct(NDList output, NDList targets) {
        return -1;
    }
}
