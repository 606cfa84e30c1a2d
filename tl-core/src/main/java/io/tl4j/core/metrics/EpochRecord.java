package io.tl4j.core.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one training epoch measured.
 *
 * @param epoch the epoch number
 * @param trainLoss the mean training loss of the epoch
 * @param learningRate the learning rate at the end of the epoch
 * @param seconds how long the epoch took
 * @param metrics further metrics by name, such as {@code "val_loss"}, {@code "val_accuracy"},
 *     {@code "val_macro_f1"} or {@code "train_accuracy"}, in insertion order
 */
public record EpochRecord(
        int epoch, double trainLoss, double learningRate, double seconds, Map<String, Double> metrics) {

    /**
     * Copies the metrics into an unmodifiable map that keeps their order.
     *
     * @param epoch the epoch number
     * @param trainLoss the mean training loss
     * @param learningRate the learning rate
     * @param seconds how long the epoch took
     * @param metrics further metrics by name; no null names or values
     */
    public EpochRecord {
        Objects.requireNonNull(metrics, "metrics");
        Map<String, Double> copy = new LinkedHashMap<>();
        metrics.forEach((name, value) -> copy.put(
                Objects.requireNonNull(name, "metric name"),
                Objects.requireNonNull(value, () -> "value of metric " + name)));
        metrics = Collections.unmodifiableMap(copy);
    }
}
