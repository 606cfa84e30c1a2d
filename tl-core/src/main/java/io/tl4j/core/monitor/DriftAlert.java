package io.tl4j.core.monitor;

/**
 * A statistic of live traffic that crossed its threshold.
 *
 * @param statistic what drifted: {@code "class_psi"}, {@code "confidence_psi"} or {@code "feature_shift"}
 * @param value its value over the window
 * @param threshold the threshold it crossed
 * @param observations how many observations the monitor had seen when it raised the alert
 * @param window how many of them the statistic was computed over
 */
public record DriftAlert(String statistic, double value, double threshold, long observations, int window) {

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "%s %.4f above %.4f over the last %d of %d observations",
                statistic,
                value,
                threshold,
                window,
                observations);
    }
}
