package io.tl4j.core;

import io.tl4j.core.data.LabeledData;
import java.util.List;
import java.util.Locale;

/**
 * What adapting a model to a new task cost on the old one: old-task accuracy before and after, and
 * the new task's accuracy. Predictions are matched to the truth by class name, so a model that no
 * longer knows an old class scores zero on it.
 *
 * @param oldAccuracyBefore the old model's accuracy on the old task
 * @param oldAccuracyAfter the adapted model's accuracy on the old task
 * @param newAccuracy the adapted model's accuracy on the new task
 */
public record AdaptationReport(double oldAccuracyBefore, double oldAccuracyAfter, double newAccuracy) {

    /**
     * Measures how an adapted model does on the old and the new task, against the model before adaptation.
     *
     * @param before the model before adaptation
     * @param after the adapted model
     * @param oldTask held-out data of the old task
     * @param newTask held-out data of the new task
     * @param <I> the raw input type
     * @return the report
     */
    public static <I> AdaptationReport measure(
            TransferModel<I> before, TransferModel<I> after, LabeledData<I> oldTask, LabeledData<I> newTask) {
        return new AdaptationReport(
                accuracyByName(before, oldTask), accuracyByName(after, oldTask), accuracyByName(after, newTask));
    }

    /** Returns the fraction of the old task's accuracy that the adapted model kept. */
    public double retained() {
        return oldAccuracyBefore == 0 ? 0 : oldAccuracyAfter / oldAccuracyBefore;
    }

    private static <I> double accuracyByName(TransferModel<I> model, LabeledData<I> data) {
        int[] predicted = model.predict(data.inputs());
        List<String> names = model.classNames();
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            if (names.get(predicted[i]).equals(data.classNames().get(data.label(i)))) {
                correct++;
            }
        }
        return (double) correct / data.size();
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "old task %.3f -> %.3f (%.0f%% kept), new task %.3f",
                oldAccuracyBefore,
                oldAccuracyAfter,
                100 * retained(),
                newAccuracy);
    }
}
