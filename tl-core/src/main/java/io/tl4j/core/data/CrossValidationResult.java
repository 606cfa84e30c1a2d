package io.tl4j.core.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The scores of the folds of a cross-validation.
 *
 * @param foldScores the score of each fold, in fold order; at least two
 */
public record CrossValidationResult(double[] foldScores) {

    /**
     * Copies the scores.
     *
     * @param foldScores the score of each fold
     * @throws IllegalArgumentException if there are fewer than two scores
     */
    public CrossValidationResult {
        if (foldScores.length < 2) {
            throw new IllegalArgumentException(
                    "cross-validation has at least two folds, got " + foldScores.length + " scores");
        }
        foldScores = foldScores.clone();
    }

    /**
     * Returns the fold scores.
     *
     * @return a copy of the scores, in fold order
     */
    @Override
    public double[] foldScores() {
        return foldScores.clone();
    }

    /**
     * Returns the mean of the fold scores.
     *
     * @return the mean score
     */
    public double mean() {
        return Arrays.stream(foldScores).average().orElseThrow();
    }

    /**
     * Returns the sample standard deviation of the fold scores (dividing by {@code n - 1}).
     *
     * @return the standard deviation
     */
    public double standardDeviation() {
        double mean = mean();
        double sumOfSquares = 0;
        for (double score : foldScores) {
            sumOfSquares += (score - mean) * (score - mean);
        }
        return Math.sqrt(sumOfSquares / (foldScores.length - 1));
    }

    /**
     * Compares the scores by content.
     *
     * @param other the object to compare with
     * @return whether {@code other} is a result with the same scores
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof CrossValidationResult result && Arrays.equals(foldScores, result.foldScores);
    }

    /**
     * Hashes the scores by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(foldScores);
    }

    /**
     * Formats the result as mean ± standard deviation and the fold scores, for example
     * {@code "0.912 ± 0.031 over 5 folds [0.900, 0.950, 0.880, 0.920, 0.910]"}.
     *
     * @return the formatted result
     */
    @Override
    public String toString() {
        return format(mean()) + " ± " + format(standardDeviation()) + " over " + foldScores.length
                + " folds "
                + Arrays.stream(foldScores)
                        .mapToObj(CrossValidationResult::format)
                        .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
