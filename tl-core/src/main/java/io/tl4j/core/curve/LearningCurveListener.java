package io.tl4j.core.curve;

/**
 * Hears a {@link LearningCurve}'s progress, one fit at a time. Both methods do nothing by default;
 * an exception thrown here ends the run.
 */
public interface LearningCurveListener {

    /**
     * Called before a method is fitted on a subset.
     *
     * @param method the method's name
     * @param labelsPerClass the subset's labels per class
     * @param seed the subset's seed
     * @param index the fit's position, from 1
     * @param total the number of fits in the run
     */
    default void started(String method, int labelsPerClass, long seed, int index, int total) {}

    /**
     * Called after a fit has been evaluated.
     *
     * @param method the method's name
     * @param labelsPerClass the subset's labels per class
     * @param seed the subset's seed
     * @param accuracy the test accuracy
     * @param seconds the fit's and evaluation's wall-clock seconds
     * @param index the fit's position, from 1
     * @param total the number of fits in the run
     */
    default void finished(
            String method, int labelsPerClass, long seed, double accuracy, double seconds, int index, int total) {}
}
