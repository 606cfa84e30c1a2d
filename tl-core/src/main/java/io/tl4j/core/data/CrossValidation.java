package io.tl4j.core.data;

import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/** Runs k-fold cross-validation over a {@link LabeledData}. */
public final class CrossValidation {

    private CrossValidation() {}

    /**
     * Splits the data into {@code k} stratified folds (see {@link LabeledData#kFold(int, long)})
     * and scores each split, in fold order.
     *
     * @param data the data to cross-validate on
     * @param k the number of folds
     * @param seed the random seed of the fold assignment
     * @param trainAndScore trains a fresh model on a split's training part and returns its score
     *     on the validation part
     * @param <I> the input type
     * @return the score of every fold
     * @throws IllegalArgumentException if the data cannot be split into {@code k} folds
     */
    public static <I> CrossValidationResult crossValidate(
            LabeledData<I> data, int k, long seed, ToDoubleFunction<Split<I>> trainAndScore) {
        Objects.requireNonNull(trainAndScore, "trainAndScore");
        List<Split<I>> folds = data.kFold(k, seed);
        double[] scores = new double[folds.size()];
        for (int f = 0; f < scores.length; f++) {
            scores[f] = trainAndScore.applyAsDouble(folds.get(f));
        }
        return new CrossValidationResult(scores);
    }
}
