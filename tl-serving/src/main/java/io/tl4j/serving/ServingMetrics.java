package io.tl4j.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tl4j.core.monitor.DriftMonitor;
import java.time.Duration;
import java.util.Collection;
import java.util.function.ToDoubleFunction;

/**
 * Records the server's Micrometer metrics and renders them as Prometheus text.
 *
 * <p>Meters: {@code tl4j_predict_latency_seconds} (per model and version, with histogram buckets),
 * {@code tl4j_batch_size} (per model), {@code tl4j_queue_depth} (per model), {@code tl4j_dropped_inputs_total}
 * (per model: queued inputs whose request was answered before their batch), {@code tl4j_errors_total} (per kind),
 * {@code tl4j_predictions_total} (per model and predicted class), {@code tl4j_confidence} (per model) and, for a model
 * served with a reference profile, {@code tl4j_drift_class_psi}, {@code tl4j_drift_confidence_psi} (the last
 * window's statistics, NaN until the first window is full), {@code tl4j_drift_feature_shift}, {@code
 * tl4j_drift_threshold} (per statistic: what the current version alerts above), {@code tl4j_drift_alerts} (alerts of
 * the current version) and, per model and version once feedback arrived, {@code tl4j_feedback_accuracy},
 * {@code tl4j_feedback_macro_f1} and {@code tl4j_feedback_count} over the rolling feedback window.
 */
final class ServingMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** Registers the queue depth gauge of one model. */
    void queueDepth(String model, Collection<?> queue) {
        Gauge.builder("tl4j.queue.depth", queue, Collection::size)
                .tag("model", model)
                .description("Inputs waiting for a batch")
                .register(registry);
    }

    /** Registers the drift gauges of one served name; they read whichever version the slot serves. */
    void drift(ModelSlot slot) {
        Gauge.builder("tl4j.drift.class.psi", slot, s -> statistic(s, DriftMonitor.DriftStatus::classPsi))
                .tag("model", slot.name())
                .description("PSI of the predicted-class mix over the last window against the reference profile")
                .register(registry);
        Gauge.builder("tl4j.drift.confidence.psi", slot, s -> statistic(s, DriftMonitor.DriftStatus::confidencePsi))
                .tag("model", slot.name())
                .description("PSI of the confidence over the last window against the reference profile")
                .register(registry);
        Gauge.builder("tl4j.drift.feature.shift", slot, s -> statistic(s, DriftMonitor.DriftStatus::featureShift))
                .tag("model", slot.name())
                .description("Mean standardised shift of the head's input features over the last window (NaN when "
                        + "the profile has no features)")
                .register(registry);
        threshold(slot, "class_psi", DriftMonitor.Thresholds::classPsi);
        threshold(slot, "confidence_psi", DriftMonitor.Thresholds::confidencePsi);
        threshold(slot, "feature_shift", DriftMonitor.Thresholds::featureShift);
        Gauge.builder("tl4j.drift.alerts", slot, s -> {
                    DriftMonitor drift = s.current().drift();
                    return drift == null ? Double.NaN : drift.alerts().size();
                })
                .tag("model", slot.name())
                .description("Drift alerts raised for the version now served")
                .register(registry);
    }

    /** Registers the gauge of one drift threshold the served version alerts above (raised for a small profile). */
    private void threshold(ModelSlot slot, String statistic, ToDoubleFunction<DriftMonitor.Thresholds> value) {
        Gauge.builder(
                        "tl4j.drift.threshold",
                        slot,
                        s -> s.current().drift() == null
                                ? Double.NaN
                                : value.applyAsDouble(s.current().drift().thresholds()))
                .tags("model", slot.name(), "statistic", statistic)
                .description("Threshold of a drift statistic: the configured one, or the sampling noise of the"
                        + " reference profile's size where that is higher")
                .register(registry);
    }

    /** Registers the rolling feedback gauges of one model version. */
    void feedback(String model, FeedbackWindow window) {
        Gauge.builder("tl4j.feedback.accuracy", window, FeedbackWindow::accuracy)
                .tags("model", model, "version", window.version())
                .description("Accuracy over the latest feedbacks (true labels reported by callers)")
                .register(registry);
        Gauge.builder("tl4j.feedback.macro.f1", window, FeedbackWindow::macroF1)
                .tags("model", model, "version", window.version())
                .description("Macro-F1 over the latest feedbacks")
                .register(registry);
        Gauge.builder("tl4j.feedback.count", window, FeedbackWindow::size)
                .tags("model", model, "version", window.version())
                .description("Feedbacks in the rolling window")
                .register(registry);
    }

    private static double statistic(ModelSlot slot, ToDoubleFunction<DriftMonitor.DriftStatus> value) {
        DriftMonitor drift = slot.current().drift();
        DriftMonitor.DriftStatus status = drift == null ? null : drift.status();
        return status == null ? Double.NaN : value.applyAsDouble(status);
    }

    /** Records the size of one forward pass. */
    void batch(String model, int size) {
        DistributionSummary.builder("tl4j.batch.size")
                .tag("model", model)
                .description("Inputs per forward pass")
                .publishPercentileHistogram()
                .register(registry)
                .record(size);
    }

    /** Records one answered input: its latency, predicted class and confidence. */
    void prediction(String model, String version, Duration latency, String label, double confidence) {
        Timer.builder("tl4j.predict.latency")
                .tags("model", model, "version", version)
                .description("Time from request to answer, per input")
                .publishPercentileHistogram()
                .register(registry)
                .record(latency);
        Counter.builder("tl4j.predictions")
                .tags("model", model, "class", label)
                .description("Predictions per top class")
                .register(registry)
                .increment();
        DistributionSummary.builder("tl4j.confidence")
                .tag("model", model)
                .description("Probability of the top class")
                .serviceLevelObjectives(0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
                .register(registry)
                .record(confidence);
    }

    /** Counts inputs dropped unscored because their request had already been answered (timeout, full queue). */
    void dropped(String model, int inputs) {
        Counter.builder("tl4j.dropped.inputs")
                .tag("model", model)
                .description("Queued inputs dropped because their request was already answered")
                .register(registry)
                .increment(inputs);
    }

    /** Counts one failed request by its kind. */
    void error(String kind) {
        Counter.builder("tl4j.errors")
                .tag("kind", kind)
                .description("Failed requests")
                .register(registry)
                .increment();
    }

    /** Returns every meter as Prometheus text. */
    String scrape() {
        return registry.scrape();
    }
}
