package io.tl4j.core.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A weight file cannot be read or written: it is malformed, truncated or uses something this
 * library does not support, or the file system failed. The message names the file and, where one
 * is to blame, the tensor.
 *
 * <p>It is unchecked; {@link #getCause()} is the underlying {@link IOException} for file-system
 * failures, and otherwise an {@code IOException} carrying the same detail.
 */
public class WeightFileException extends UncheckedIOException {

    private static final long serialVersionUID = 1L;

    /** The offending file (not serialized: {@code Path} is not serializable). */
    private final transient Path file;

    /** The offending tensor's name, or {@code null} when the whole file is to blame. */
    private final String tensor;

    /**
     * Creates an exception about the file as a whole.
     *
     * @param file the offending file
     * @param detail what is wrong with it
     */
    public WeightFileException(Path file, String detail) {
        this(file, null, detail, null);
    }

    /**
     * Creates an exception about a file or one of its tensors.
     *
     * @param file the offending file
     * @param tensor the tensor's name in the file, or {@code null} when the file as a whole is
     *     wrong
     * @param detail what is wrong
     * @param cause the underlying exception, or {@code null}
     */
    public WeightFileException(Path file, String tensor, String detail, Throwable cause) {
        super(
                file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + detail,
                cause instanceof IOException io ? io : new IOException(detail, cause));
        this.file = file;
        this.tensor = tensor;
    }

    /**
     * Returns the offending file.
     *
     * @return the file as it was given to the reader or writer
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the offending tensor.
     *
     * @return the tensor's name, or empty when the file as a whole is to blame
     */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }
}
