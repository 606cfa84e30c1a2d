package io.tl4j.core.train;

import java.util.Objects;

/**
 * Stop when a validation metric has not improved for {@code patience} epochs, and go back to the
 * weights of the best epoch.
 *
 * @param metric the metric to watch: "val_loss" (lower is better), "val_accuracy" or
 *     "val_macro_f1" (higher is better)
 * @param patience epochs without improvement before stopping
 * @param minDelta the smallest change that counts as an improvement
 * @param restoreBest whether the model returned carries the best epoch's weights
 */
public record EarlyStopping(String metric, int patience, double minDelta, boolean restoreBest) {

    /** Checks the settings. */
    public EarlyStopping {
        Objects.requireNonNull(metric, "metric");
        if (!metric.equals("val_loss") && !metric.equals("val_accuracy") && !metric.equals("val_macro_f1")) {
            throw new IllegalArgumentException(
                    "Unknown early-stopping metric '" + metric + "'; use val_loss, val_accuracy or val_macro_f1");
        }
        if (patience < 1 || minDelta < 0) {
            throw new IllegalArgumentException("patience must be >= 1 and minDelta >= 0");
        }
    }

    /**
     * Creates early stopping on a metric that restores the best weights.
     *
     * @param metric the metric to watch
     * @param patience epochs without improvement before stopping
     * @return early stopping that restores the best weights
     */
    public static EarlyStopping on(String metric, int patience) {
        return new EarlyStopping(metric, patience, 0.0, true);
    }

    /** Tells whether higher values of the metric are better. */
    public boolean higherIsBetter() {
        return !metric.equals("val_loss");
    }

    /**
     * Tells whether {@code value} improves on {@code best} by more than {@code minDelta}.
     *
     * @param value a new value
     * @param best the best so far (NaN when none)
     * @return whether {@code value} improves on {@code best} by more than {@code minDelta}
     */
    public boolean improves(double value, double best) {
        if (Double.isNaN(best)) {
            return true;
        }
        return higherIsBetter() ? value > best + minDelta : value < best - minDelta;
    }
}
