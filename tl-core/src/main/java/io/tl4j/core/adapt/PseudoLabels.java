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
        int[] best = argMax(p);
        List<Integer> indices = new ArrayList<>();
        double highest = 0;
        for (int i = 0; i < p.length; i++) {
            highest = Math.max(highest, p[i][best[i]]);
            if (p[i][best[i]] >= threshold) {
                indices.add(i);
            }
        }
        return of(model, pool, best, indices, highest);
    }

    /**
     * Labels, for every class, the most confident {@code fraction} of the inputs the model assigns to
     * it (at least one when it assigns any), whatever their probability: class-balanced selection as in
     * CBST (Zou et al., 2018), so that a class the model is less sure of still gets pseudo-labels.
     *
     * @param model the teacher
     * @param pool the unlabelled inputs
     * @param fraction the fraction of each predicted class taken, in (0, 1]
     * @param <I> the raw input type
     * @return the pseudo-labels
     */
    static <I> PseudoLabels<I> ofTopFraction(TransferModel<I> model, Unlabelled<I> pool, double fraction) {
        float[][] p = model.probabilities(pool.inputs());
        int[] best = argMax(p);
        List<Integer> indices = new ArrayList<>();
        double highest = 0;
        for (int c = 0; c < model.classNames().size(); c++) {
            final int cls = c;
            List<Integer> assigned = new ArrayList<>();
            for (int i = 0; i < p.length; i++) {
                if (best[i] == cls) {
                    assigned.add(i);
                }
            }
            assigned.sort((a, b) -> Float.compare(p[b][cls], p[a][cls]));
            int take = assigned.isEmpty() ? 0 : Math.max(1, (int) Math.round(fraction * assigned.size()));
            indices.addAll(assigned.subList(0, take));
        }
        for (int i = 0; i < p.length; i++) {
            highest = Math.max(highest, p[i][best[i]]);
        }
        indices.sort(Integer::compare);
        return of(model, pool, best, indices, highest);
    }

    private static int[] argMax(float[][] p) {
        int[] best = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][best[i]]) {
                    best[i] = c;
                }
            }
        }
        return best;
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
