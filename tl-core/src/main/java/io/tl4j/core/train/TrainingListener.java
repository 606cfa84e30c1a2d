package io.tl4j.core.train;

import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.metrics.History;

/**
 * Receives a run's progress: an application's hook for dashboards, monitoring or stopping. Every
 * method has an empty default. Exceptions thrown here end the run (checkpoints already written stay).
 */
public interface TrainingListener {

    /**
     * Called before each epoch starts.
     *
     * @param epoch the epoch about to start, from 1
     * @param epochs the epochs in the run
     * @param stepsPerEpoch the optimizer steps in each epoch
     */
    default void onEpochStart(int epoch, int epochs, int stepsPerEpoch) {}

    /**
     * Called after each optimizer step.
     *
     * @param step what the step just finished did
     */
    default void onStep(StepInfo step) {}

    /**
     * Called after each epoch, with its loss, metrics, learning rate and time.
     *
     * @param record the finished epoch's loss, metrics, learning rate and time
     */
    default void onEpochEnd(EpochRecord record) {}

    /**
     * Called once after the last epoch, with the whole run's history.
     *
     * @param history the whole run's history, after the last epoch
     */
    default void onFitEnd(History history) {}

    /**
     * One optimizer step.
     *
     * @param epoch the epoch, from 1
     * @param step the step within the epoch, from 1
     * @param stepsPerEpoch the steps in the epoch
     * @param loss this step's training loss
     * @param runningLoss the mean loss of the epoch so far
     * @param runningAccuracy the training accuracy of the epoch so far
     * @param learningRate the head's learning rate at this step
     * @param itemsPerSecond training throughput over the epoch so far
     */
    record StepInfo(
            int epoch,
            int step,
            int stepsPerEpoch,
            double loss,
            double runningLoss,
            double runningAccuracy,
            double learningRate,
            double itemsPerSecond) {}
}
