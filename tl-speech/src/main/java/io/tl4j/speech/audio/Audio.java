package io.tl4j.speech.audio;

import java.util.Objects;

/**
 * A mono recording: samples in [-1, 1] at a sample rate, and where it came from (a file name, for
 * error messages).
 *
 * @param samples the samples (not copied; treat as read-only)
 * @param sampleRate samples per second
 * @param source where the recording came from, e.g. its file
 */
public record Audio(float[] samples, int sampleRate, String source) {

    /** Checks the arguments. */
    public Audio {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(source, "source");
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("Sample rate must be positive, got " + sampleRate + " for " + source);
        }
    }

    /** Returns the duration in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    /**
     * Returns this recording resampled to {@code targetRate} (itself when already there), see {@link Resampler}.
     *
     * @param targetRate the wanted sample rate
     * @return this recording at {@code targetRate} (itself when already there), see {@link Resampler}
     */
    public Audio resampledTo(int targetRate) {
        if (targetRate == sampleRate) {
            return this;
        }
        return new Audio(Resampler.resample(samples, sampleRate, targetRate), targetRate, source);
    }

    @Override
    public String toString() {
        return "Audio[" + source + ", " + samples.length + " samples at " + sampleRate + " Hz]";
    }
}
