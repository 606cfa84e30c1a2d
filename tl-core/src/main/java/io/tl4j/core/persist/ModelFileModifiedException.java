package io.tl4j.core.persist;

import java.nio.file.Path;

/**
 * A file of a saved model no longer has the sha256 recorded for it when the model was saved: it
 * was modified, truncated or replaced by another model's file. Loading refuses such a model unless
 * the caller explicitly trusts modified files.
 */
public class ModelFileModifiedException extends ModelFormatException {

    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    /**
     * Creates the exception.
     *
     * @param file the modified file
     * @param field the descriptor field recording its hash ({@code files.weights.safetensors})
     * @param descriptor the descriptor that records the hash
     * @param expected the recorded sha256
     * @param actual the sha256 the file has now
     * @param remedy what the caller can do, e.g. the option that accepts modified files
     */
    public ModelFileModifiedException(
            Path file, String field, Path descriptor, String expected, String actual, String remedy) {
        super(
                file,
                null,
                "has sha256 " + actual + " but " + descriptor + " records " + expected
                        + " (field '" + field + "'): the file was modified or replaced after it was saved. "
                        + remedy,
                null);
        this.expected = expected;
        this.actual = actual;
    }

    /**
     * Returns the recorded hash.
     *
     * @return the sha256 recorded at save time, lower-case hex
     */
    public String expected() {
        return expected;
    }

    /**
     * Returns the file's hash now.
     *
     * @return the sha256 of the file as it is now, lower-case hex
     */
    public String actual() {
        return actual;
    }
}
