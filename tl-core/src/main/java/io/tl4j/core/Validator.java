package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.core.train.CrossEntropy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a network on validation data after an epoch: {@code val_loss} (plain cross-entropy),
 * {@code val_accuracy} and {@code val_macro_f1}, in inference mode and one batch at a time.
 */
final class Validator {

    private final LabeledData<?> validation;
    private final List<String> classNames;
    private final int batchSize;
    private final CrossEntropy objective;

    /**
     * Creates the validator.
     *
     * @param validation the validation data, labelled with the model's classes
     * @param classNames the model's classes
     * @param batchSize examples per batch
     */
    Validator(LabeledData<?> validation, List<String> classNames, int batchSize) {
        this.validation = validation;
        this.classNames = classNames;
        this.batchSize = batchSize;
        this.objective = new CrossEntropy(classNames.size(), null);
    }

    /**
     * Returns the validation metrics.
     *
     * @param net the network
     * @param source the validation batches' source (cached or raw)
     * @param manager the run's manager
     * @return {@code val_loss}, {@code val_accuracy} and {@code val_macro_f1}
     */
    Map<String, Double> validate(Network net, BatchSource source, NDManager manager) {
        int[] predicted = new int[validation.size()];
        double lossSum = 0;
        for (int[] idx : EpochSchedule.batches(validation.size(), batchSize)) {
            try (NDManager sm = manager.newSubManager();
                    NDScope scope = new NDScope()) {
                NDList x = source.batch(sm, validation, idx, false, null);
                NDArray logits = net.forward(new ParameterStore(sm, false), x, source.prefix(), net.inference())
                        .head();
                NDArray labels = sm.create(CrossEntropy.labelsOf(validation, idx));
                lossSum +=
                        objective.loss(new NDList(logits), new NDList(labels)).getFloat() * idx.length;
                long[] p = logits.argMax(1).toLongArray();
                for (int i = 0; i < idx.length; i++) {
                    predicted[idx[i]] = (int) p[i];
                }
            }
        }
        ClassificationReport report = ClassificationReport.of(validation.labels(), predicted, classNames);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("val_loss", lossSum / validation.size());
        metrics.put("val_accuracy", report.accuracy());
        metrics.put("val_macro_f1", report.macroF1());
        return metrics;
    }
}
