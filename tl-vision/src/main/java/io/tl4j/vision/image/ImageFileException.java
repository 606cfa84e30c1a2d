package io.tl4j.vision.image;

import java.nio.file.Path;

/**
 * Signals an image file that cannot be decoded: empty, truncated, corrupt, not an image, or in a
 * format Java cannot read. The message names the file and says what was found and what to do.
 */
public final class ImageFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates the exception.
     *
     * @param file the file
     * @param problem what is wrong with it, e.g. "is empty (0 bytes)"
     * @param cause the decoder's exception, or null
     */
    public ImageFileException(Path file, String problem, Throwable cause) {
        super("Cannot decode image file " + file + ": " + problem, cause);
        this.file = file;
    }

    /** Returns the file that could not be decoded. */
    public Path file() {
        return file;
    }
}
