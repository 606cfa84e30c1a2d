package io.tl4j.core.adapt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Chooses which of a teacher's predictions on an unlabelled pool become pseudo-labels: those whose
 * probability reaches a threshold, or, class by class, the most confident fraction of the inputs
 * predicted as each class (class-balanced, as CBST, Zou et al. 2018), or the same number of the
 * most confident inputs of every predicted class (equal per class), so that a teacher leaning to one
 * class cannot pull the next one further that way. {@link SelfTraining} selects
 * this way from a {@link io.tl4j.core.TransferModel}'s probabilities; any classifier that gives
 * probabilities (a head on cached features, say) can select the same way.
 *
 * <pre>{@code
 * int[] taken = PseudoLabelSelection.classBalanced(0.2).select(probabilities, round);
 * }</pre>
 */
public final class PseudoLabelSelection {

    private final double threshold;
    private final double fraction;
    private final boolean equal;

    private PseudoLabelSelection(double threshold, double fraction, boolean equal) {
        this.threshold = threshold;
        this.fraction = fraction;
        this.equal = equal;
    }

    /**
     * Selects the predictions whose most probable class has at least {@code threshold} probability.
     *
     * @param threshold in (0, 1]
     * @return the selection
     * @throws IllegalArgumentException when the threshold is outside (0, 1]
     */
    public static PseudoLabelSelection threshold(double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
        }
        return new PseudoLabelSelection(threshold, 0, false);
    }

    /**
     * Selects class by class: in round {@code r}, of the inputs predicted as each class, the most
     * confident {@code min(1, r · fraction)} (at least one when any is predicted as it), whatever
     * their probability, so that a class the teacher is less sure of still gets pseudo-labels and the
     * selection grows round by round.
     *
     * @param fraction the fraction of each predicted class taken in the first round, in (0, 1]
     * @return the selection
     * @throws IllegalArgumentException when the fraction is outside (0, 1]
     */
    public static PseudoLabelSelection classBalanced(double fraction) {
        return new PseudoLabelSelection(0, checkFraction(fraction), false);
    }

    /**
     * Selects the same number of inputs from every class: in round {@code r}, of the inputs
     * predicted as each class, the most confident {@code n = round(min(1, r · fraction) · poolSize /
     * classes)}, or as many as the class predicted least often has when that is fewer. The
     * pseudo-labels stay balanced whatever the teacher's lean; when a class is predicted for no input
     * at all the selection is empty (self-training then stops rather than teach one class only).
     *
     * @param fraction the share of the pool taken in the first round, split equally among the
     *     classes, in (0, 1]
     * @return the selection
     * @throws IllegalArgumentException when the fraction is outside (0, 1]
     */
    public static PseudoLabelSelection equalPerClass(double fraction) {
        return new PseudoLabelSelection(0, checkFraction(fraction), true);
    }

    private static double checkFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        return fraction;
    }

    /** Returns whether this selection is class-balanced (either kind) rather than by a threshold. */
    public boolean isClassBalanced() {
        return fraction > 0;
    }

    /** Returns the threshold, or 0 for a class-balanced selection. */
    public double threshold() {
        return threshold;
    }

    /**
     * Selects the pseudo-labels of one round.
     *
     * @param probabilities the teacher's probabilities, one row per pool input, one column per class
     * @param round the round, from 1 (only class-balanced selection grows with it)
     * @return the indices of the selected inputs, ascending; empty when none is selected
     * @throws IllegalArgumentException when the round is below 1 or a row has another number of
     *     classes than the first (the message names the row)
     */
    public int[] select(float[][] probabilities, int round) {
        Objects.requireNonNull(probabilities, "probabilities");
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
        int[] best = argMax(probabilities);
        List<Integer> indices = new ArrayList<>();
        if (fraction > 0) {
            double share = Math.min(1, round * fraction);
            List<List<Integer>> byClass = byPredictedClass(probabilities, best);
            int equalTake = (int) Math.round(share * probabilities.length / Math.max(1, byClass.size()));
            for (List<Integer> assigned : byClass) {
                equalTake = Math.min(equalTake, assigned.size());
            }
            for (List<Integer> assigned : byClass) {
                int take = equal
                        ? equalTake
                        : assigned.isEmpty() ? 0 : Math.max(1, (int) Math.round(share * assigned.size()));
                indices.addAll(assigned.subList(0, take));
            }
            indices.sort(Integer::compare);
        } else {
            for (int i = 0; i < probabilities.length; i++) {
                if (probabilities[i][best[i]] >= threshold) {
                    indices.add(i);
                }
            }
        }
        return indices.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Returns, for each class, the inputs predicted as it, most confident first. */
    private static List<List<Integer>> byPredictedClass(float[][] probabilities, int[] best) {
        int classes = probabilities.length == 0 ? 0 : probabilities[0].length;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            final int cls = c;
            List<Integer> assigned = new ArrayList<>();
            for (int i = 0; i < probabilities.length; i++) {
                if (best[i] == cls) {
                    assigned.add(i);
                }
            }
            assigned.sort((a, b) -> Float.compare(probabilities[b][cls], probabilities[a][cls]));
            byClass.add(assigned);
        }
        return byClass;
    }

    /**
     * Returns each row's most probable class (the first on a tie).
     *
     * @param probabilities one row per input
     * @return one class per row
     * @throws IllegalArgumentException when a row has another number of classes than the first
     */
    public static int[] argMax(float[][] probabilities) {
        int[] best = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i].length != probabilities[0].length || probabilities[i].length == 0) {
                throw new IllegalArgumentException("probability row " + i + " has " + probabilities[i].length
                        + " classes, row 0 has " + probabilities[0].length);
            }
            for (int c = 1; c < probabilities[i].length; c++) {
                if (probabilities[i][c] > probabilities[i][best[i]]) {
                    best[i] = c;
                }
            }
        }
        return best;
    }

    @Override
    public String toString() {
        if (fraction > 0) {
            return (equal ? "equal per class " : "class-balanced ") + fraction;
        }
        return "threshold " + threshold;
    }
}
