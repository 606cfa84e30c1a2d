package io.tl4j.core.selection;

import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the parameters of the scores and checks that data can be scored.
 *
 * @param neighbours the k of leave-one-out kNN
 * @param folds the number of linear-probe folds
 * @param inverseRegularization the linear probe's C (scikit-learn's meaning)
 * @param seed seeds the folds, the networks' unset weights and the head's training step
 */
record ScoreSettings(int neighbours, int folds, double inverseRegularization, long seed) {

    /** The fewest examples per class the scores need: one to leave out, one to learn from. */
    static final int MIN_PER_CLASS = 2;

    /** Checks the parameters. */
    ScoreSettings {
        if (neighbours < 1) {
            throw new IllegalArgumentException("kNN needs at least 1 neighbour, got " + neighbours);
        }
        if (folds < 2) {
            throw new IllegalArgumentException("The linear probe needs at least 2 folds, got " + folds);
        }
        if (!(inverseRegularization > 0) || Double.isInfinite(inverseRegularization)) {
            throw new IllegalArgumentException(
                    "The linear probe's C must be positive and finite, got " + inverseRegularization);
        }
    }

    /**
     * Refuses data the scores cannot use: fewer than two classes with examples, or a class with
     * fewer than {@value #MIN_PER_CLASS} examples.
     *
     * @param data the labelled data
     * @throws IllegalArgumentException saying what the data has and what the scores need
     */
    static void requireScorable(LabeledData<?> data) {
        if (data == null) {
            throw new IllegalArgumentException("No data: model selection needs labelled examples");
        }
        int[] counts = data.classCounts();
        List<String> present = new ArrayList<>();
        List<String> short1 = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                present.add(data.classNames().get(c));
            }
            if (counts[c] < MIN_PER_CLASS) {
                short1.add("'" + data.classNames().get(c) + "' has " + counts[c]);
            }
        }
        String need = "the scores (LogME, leave-one-out kNN, cross-validated linear probe) need at least 2"
                + " classes with at least " + MIN_PER_CLASS + " examples each";
        if (present.size() < 2) {
            throw new IllegalArgumentException("The data has " + data.size() + " example(s) of "
                    + (present.isEmpty() ? "no class" : "one class only, " + present) + ": " + need);
        }
        if (!short1.isEmpty()) {
            throw new IllegalArgumentException("Too few examples: " + String.join(", ", short1) + "; " + need
                    + " (one left out, one to learn from)");
        }
    }
}
