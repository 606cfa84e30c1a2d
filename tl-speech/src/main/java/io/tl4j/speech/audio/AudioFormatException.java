package io.tl4j.speech.audio;

/**
 * A recording that cannot be decoded: not a WAV file, an unsupported encoding, truncated, outside
 * the {@link AudioLimits}, or holding non-finite samples. The message starts with the file.
 */
public final class AudioFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;

    /**
     * Creates the exception for a source and what was wrong with it.
     *
     * @param source the file (or other source) that failed
     * @param problem what was wrong with it
     */
    public AudioFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    /** Returns the file (or other source) that failed. */
    public String source() {
        return source;
    }
}
