package io.tl4j.core.monitor;

/** Hears a {@link DriftMonitor}'s alerts; called on the thread that observed the window's last prediction. */
@FunctionalInterface
public interface DriftListener {

    /**
     * Receives one alert: a statistic that went from below its threshold to above it.
     *
     * @param alert what crossed which threshold
     */
    void onDrift(DriftAlert alert);
}
