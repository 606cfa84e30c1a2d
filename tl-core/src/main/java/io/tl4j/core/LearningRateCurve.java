package io.tl4j.core;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What a learning-rate range test measured: the loss at each step of an exponentially rising learning rate,
 * smoothed, and the rate it suggests — where the smoothed loss falls fastest against the log of the rate,
 * before its minimum (the "steepest descent" rule; fastai also offers the minimum divided by ten, given here as
 * {@link #minimumOverTen()}).
 *
 * @param learningRates the head's learning rate at each recorded step
 * @param losses each step's training loss
 * @param smoothed the losses under an exponential moving average (0.98), debiased
 * @param suggestion the suggested learning rate, empty when the sweep diverged too early to tell
 * @param note how the sweep ended and why there is or is not a suggestion
 */
public record LearningRateCurve(
        List<Double> learningRates,
        List<Double> losses,
        List<Double> smoothed,
        OptionalDouble suggestion,
        String note) {

    /** Copies the lists. */
    public LearningRateCurve {
        learningRates = List.copyOf(learningRates);
        losses = List.copyOf(losses);
        smoothed = List.copyOf(smoothed);
    }

    /**
     * Returns the learning rate at the smoothed loss's minimum, divided by ten, or empty when there is no
     * suggestion.
     *
     * @return the rate
     */
    public OptionalDouble minimumOverTen() {
        if (suggestion.isEmpty()) {
            return OptionalDouble.empty();
        }
        int best = 0;
        for (int i = 1; i < smoothed.size(); i++) {
            if (smoothed.get(i) < smoothed.get(best)) {
                best = i;
            }
        }
        return OptionalDouble.of(learningRates.get(best) / 10);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "LearningRateCurve[%d steps, %s, suggestion %s]",
                learningRates.size(),
                note,
                suggestion.isPresent() ? String.format(Locale.ROOT, "%.3g", suggestion.getAsDouble()) : "none");
    }
}
