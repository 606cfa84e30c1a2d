package io.tl4j.speech.audio;

import java.util.Locale;

/**
 * Bounds a WAV file's header must respect before its samples are decoded, so that a damaged or
 * hostile header (a file declaring 1 Hz, or two hours of data) fails at once with a clear message
 * instead of costing minutes and gigabytes. The defaults suit speech and music recordings; raise
 * them for anything else:
 *
 * <pre>{@code
 * AudioLimits longer = AudioLimits.defaults().withMaxSeconds(3600);           // hour-long recordings
 * Audio audio = Wav.read(Path.of("lecture.wav"), longer);
 * LabeledData<Audio> data = AudioFolder.at(root).withLimits(longer).load();
 * }</pre>
 *
 * @param minSampleRate the lowest accepted sample rate in Hz, default {@value #DEFAULT_MIN_SAMPLE_RATE}
 * @param maxSampleRate the highest accepted sample rate in Hz, default {@value #DEFAULT_MAX_SAMPLE_RATE}
 * @param maxSeconds the longest accepted recording in seconds, default {@value #DEFAULT_MAX_SECONDS}
 */
public record AudioLimits(int minSampleRate, int maxSampleRate, double maxSeconds) {

    /** The default lowest sample rate, in Hz. */
    public static final int DEFAULT_MIN_SAMPLE_RATE = 1_000;
    /** The default highest sample rate, in Hz. */
    public static final int DEFAULT_MAX_SAMPLE_RATE = 384_000;
    /** The default longest recording: ten minutes. */
    public static final double DEFAULT_MAX_SECONDS = 600;

    private static final AudioLimits DEFAULTS =
            new AudioLimits(DEFAULT_MIN_SAMPLE_RATE, DEFAULT_MAX_SAMPLE_RATE, DEFAULT_MAX_SECONDS);

    /** Checks that the range is non-empty and positive and the duration positive. */
    public AudioLimits {
        if (minSampleRate <= 0 || maxSampleRate < minSampleRate) {
            throw new IllegalArgumentException("AudioLimits: sample rate range " + minSampleRate + ".." + maxSampleRate
                    + " Hz is empty or not positive; give 0 < min <= max");
        }
        if (!(maxSeconds > 0)) {
            throw new IllegalArgumentException("AudioLimits: maxSeconds must be positive, got " + maxSeconds);
        }
    }

    /** Returns the default limits: 1,000..384,000 Hz and at most ten minutes. */
    public static AudioLimits defaults() {
        return DEFAULTS;
    }

    /**
     * Returns these limits with another sample rate range.
     *
     * @param min the lowest accepted sample rate in Hz
     * @param max the highest accepted sample rate in Hz
     * @return these limits with that sample rate range
     */
    public AudioLimits withSampleRates(int min, int max) {
        return new AudioLimits(min, max, maxSeconds);
    }

    /**
     * Returns these limits with another longest duration.
     *
     * @param seconds the longest accepted recording, in seconds
     * @return these limits with that duration
     */
    public AudioLimits withMaxSeconds(double seconds) {
        return new AudioLimits(minSampleRate, maxSampleRate, seconds);
    }

    /**
     * Checks that a declared sample rate is within the range.
     *
     * @param source the file, for the message
     * @param sampleRate the sample rate its header declares
     * @throws AudioFormatException when the rate is outside the range
     */
    void checkSampleRate(String source, long sampleRate) {
        if (sampleRate < minSampleRate || sampleRate > maxSampleRate) {
            throw new AudioFormatException(
                    source,
                    "the fmt chunk declares a sample rate of " + sampleRate
                            + " Hz, outside the accepted " + minSampleRate + ".." + maxSampleRate
                            + " Hz; if that rate is"
                            + " right, raise the range with AudioLimits.defaults().withSampleRates(min, max) passed to"
                            + " Wav.read or AudioFolder.withLimits");
        }
    }

    /**
     * Checks that a recording is not longer than allowed.
     *
     * @param source the file, for the message
     * @param frames the number of sample frames its data chunk holds
     * @param sampleRate its sample rate
     * @param streaming whether the length was taken from the file's end (a streaming WAV)
     * @throws AudioFormatException when the recording is longer than allowed
     */
    void checkDuration(String source, long frames, int sampleRate, boolean streaming) {
        double seconds = frames / (double) sampleRate;
        if (seconds > maxSeconds) {
            throw new AudioFormatException(
                    source,
                    String.format(
                            Locale.ROOT,
                            "the data chunk %s %.1f s of audio (%d frames at %d Hz), over the %s s limit; to read"
                                    + " longer recordings, raise it with AudioLimits.defaults().withMaxSeconds(%d) passed"
                                    + " to Wav.read or AudioFolder.withLimits, or cut the file (e.g. sox in.wav out.wav"
                                    + " trim 0 %s)",
                            streaming ? "runs to the end of the file, holding" : "declares",
                            seconds,
                            frames,
                            sampleRate,
                            plain(maxSeconds),
                            (long) Math.ceil(seconds),
                            plain(maxSeconds)));
        }
    }

    private static String plain(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
