package io.tl4j.core.adapt;

import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.List;

/**
 * The confident predictions of a model on an unlabelled pool: the inputs whose most probable class
 * reaches a threshold, labelled with that class.
 *
 * @param <I> the raw input type
 */
final class PseudoLabels<I> {

    private final LabeledData<I> data;
    private final int[] taken;
    private final double highest;

    private PseudoLabels(LabeledData<I> data, int[] taken, double highest) {
        this.data = data;
        this.taken = taken;
        this.highest = highest;
    }

    /**
     * Labels the pool with the model's most probable class where its probability reaches the threshold.
     *
     * @param model the teacher
     * @param pool the unlabelled inputs
     * @param threshold the least probability taken
     * @param <I> the raw input type
     * @return the pseudo-labels
     */
    static <I> PseudoLabels<I> of(TransferModel<I> model, Unlabelled<I> pool, double threshold) {
        float[][] p = model.probabilities(pool.inputs());
        List<I> inputs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        double highest = 0;
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            highest = Math.max(highest, p[i][best]);
            if (p[i][best] >= threshold) {
                inputs.add(pool.inputs().get(i));
                labels.add(best);
                indices.add(i);
            }
        }
        LabeledData<I> data = inputs.isEmpty()
                ? null
                : LabeledData.of(
                        inputs, labels.stream().mapToInt(Integer::intValue).toArray(), model.classNames());
        return new PseudoLabels<>(
                data, indices.stream().mapToInt(Integer::intValue).toArray(), highest);
    }

    /** Returns the number of pseudo-labels taken. */
    int size() {
        return taken.length;
    }

    /** Returns the highest probability the model gave any input. */
    double highest() {
        return highest;
    }

    /** Returns the taken inputs with their pseudo-labels; null when none was taken. */
    LabeledData<I> data() {
        return data;
    }

    /**
     * Returns the fraction of pseudo-labels that equal the true labels set aside in the pool (matched by
     * class name), or NaN when the pool has none.
     *
     * @param pool the pool the labels were taken from
     * @return the accuracy, or NaN
     */
    double accuracy(Unlabelled<I> pool) {
        if (!pool.hasTruth() || taken.length == 0) {
            return Double.NaN;
        }
        LabeledData<I> truth = pool.truth();
        int right = 0;
        for (int k = 0; k < taken.length; k++) {
            String predicted = data.classNames().get(data.label(k));
            if (predicted.equals(truth.classNames().get(truth.label(taken[k])))) {
                right++;
            }
        }
        return (double) right / taken.length;
    }
}
