package io.tl4j.serving;

/** A request failure that the server answers as JSON {@code {"error": ..., "field": ...}} with an HTTP status. */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String kind;
    private final String field;

    /**
     * Creates a failure with the HTTP status to answer, a short kind for metrics, the message and the request field.
     *
     * @param status HTTP status code
     * @param kind short machine-readable kind, used as the metrics tag (for example {@code bad_input})
     * @param message what went wrong, for the caller
     * @param field the request field at fault, or {@code null} when none is
     */
    public ApiException(int status, String kind, String message, String field) {
        super(message);
        this.status = status;
        this.kind = kind;
        this.field = field;
    }

    /**
     * Returns the HTTP status code to answer with.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }

    /**
     * Returns the short kind of the failure, used as a metrics tag.
     *
     * @return the kind
     */
    public String kind() {
        return kind;
    }

    /**
     * Returns the request field at fault, or {@code null}.
     *
     * @return the field name or {@code null}
     */
    public String field() {
        return field;
    }
}
