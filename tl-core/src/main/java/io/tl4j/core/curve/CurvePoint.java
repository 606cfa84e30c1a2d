package io.tl4j.core.curve;

import java.util.Arrays;
import java.util.Locale;

/**
 * One point of a learning curve: a method's test accuracy at one number of labels per class, for every
 * seed.
 *
 * @param method the method's name
 * @param labelsPerClass the labelled training examples per class
 * @param accuracies the test accuracy of each seed, in the run's seed order
 * @param seconds each seed's wall-clock seconds for fitting and evaluating, in the same order
 */
public record CurvePoint(String method, int labelsPerClass, double[] accuracies, double[] seconds) {

    /**
     * Copies the arrays.
     *
     * @throws IllegalArgumentException if there is no accuracy or the two arrays differ in length
     */
    public CurvePoint {
        if (accuracies.length == 0 || accuracies.length != seconds.length) {
            throw new IllegalArgumentException("a curve point needs one accuracy and one time per seed, got "
                    + accuracies.length + " and " + seconds.length);
        }
        accuracies = accuracies.clone();
        seconds = seconds.clone();
    }

    /**
     * Returns each seed's accuracy.
     *
     * @return a copy, in the run's seed order
     */
    @Override
    public double[] accuracies() {
        return accuracies.clone();
    }

    /**
     * Returns each seed's seconds.
     *
     * @return a copy, in the run's seed order
     */
    @Override
    public double[] seconds() {
        return seconds.clone();
    }

    /**
     * Returns the mean accuracy over the seeds.
     *
     * @return the mean
     */
    public double mean() {
        return Arrays.stream(accuracies).average().orElseThrow();
    }

    /**
     * Returns the lowest accuracy over the seeds.
     *
     * @return the minimum
     */
    public double min() {
        return Arrays.stream(accuracies).min().orElseThrow();
    }

    /**
     * Returns the highest accuracy over the seeds.
     *
     * @return the maximum
     */
    public double max() {
        return Arrays.stream(accuracies).max().orElseThrow();
    }

    /**
     * Returns the mean seconds per seed.
     *
     * @return the mean time of one fit and evaluation
     */
    public double meanSeconds() {
        return Arrays.stream(seconds).average().orElseThrow();
    }

    /**
     * Compares by content.
     *
     * @param other the object to compare with
     * @return whether {@code other} is a point with the same method, count, accuracies and times
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof CurvePoint p
                && method.equals(p.method)
                && labelsPerClass == p.labelsPerClass
                && Arrays.equals(accuracies, p.accuracies)
                && Arrays.equals(seconds, p.seconds);
    }

    /**
     * Hashes by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return 31 * (31 * method.hashCode() + labelsPerClass) + Arrays.hashCode(accuracies);
    }

    /**
     * Describes the point, e.g. {@code "fine-tuning @ 10/class: 0.852 [0.830, 0.871] over 3 seeds"}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s @ %d/class: %.3f [%.3f, %.3f] over %d seeds",
                method,
                labelsPerClass,
                mean(),
                min(),
                max(),
                accuracies.length);
    }
}
