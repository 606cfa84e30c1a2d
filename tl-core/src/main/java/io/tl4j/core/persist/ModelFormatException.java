package io.tl4j.core.persist;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A saved model or checkpoint cannot be used as it is on disk: its JSON is malformed, truncated or
 * empty, a field is missing or holds a value of the wrong type, an unknown value or an unknown
 * format version, a path it names leaves its directory, or a file it lists is missing or modified.
 * The message names the file, the field (where one is to blame) and the bad value, and says what
 * to do.
 */
public class ModelFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The offending file (not serialized: {@code Path} is not serializable). */
    private final transient Path file;

    /** The offending field, as a dotted path from the document's root, or {@code null}. */
    private final String field;

    /**
     * Creates an exception about one field of a file, or the file as a whole.
     *
     * @param file the offending file
     * @param field the offending field as a dotted path ({@code head.activation}), or {@code null}
     *     when the file as a whole is to blame
     * @param detail what is wrong, beginning with a verb ("is missing", "names /etc/passwd, ...")
     * @param cause the underlying exception, or {@code null}
     */
    public ModelFormatException(Path file, String field, String detail, Throwable cause) {
        super(file + (field == null ? ": " : ": field '" + field + "' ") + detail, cause);
        this.file = file;
        this.field = field;
    }

    /**
     * Returns the offending file.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the offending field.
     *
     * @return its dotted path, or empty when the file as a whole is to blame
     */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
