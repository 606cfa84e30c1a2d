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
     * Labels the inputs of the pool that a selection takes with the model's most probable class.
     *
     * @param model the teacher
     * @param pool the unlabelled inputs
     * @param selection which predictions become pseudo-labels
     * @param round the round, from 1
     * @param <I> the raw input type
     * @return the pseudo-labels
     */
    static <I> PseudoLabels<I> of(
            TransferModel<I> model, Unlabelled<I> pool, PseudoLabelSelection selection, int round) {
        float[][] p = model.probabilities(pool.inputs());
        int[] best = PseudoLabelSelection.argMax(p);
        double highest = 0;
        for (int i = 0; i < p.length; i++) {
            highest = Math.max(highest, p[i][best[i]]);
        }
        List<Integer> indices = new ArrayList<>();
        for (int i : selection.select(p, round)) {
            indices.add(i);
        }
        return of(model, pool, best, indices, highest);
    }

    private static <I> PseudoLabels<I> of(
            TransferModel<I> model, Unlabelled<I> pool, int[] best, List<Integer> indices, double highest) {
        List<I> inputs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i : indices) {
            inputs.add(pool.inputs().get(i));
            labels.add(best[i]);
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
