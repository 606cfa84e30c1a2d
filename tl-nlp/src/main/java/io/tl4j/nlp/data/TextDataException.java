package io.tl4j.nlp.data;

/**
 * A text data file could not be read: the message names the file, the line and what was wrong.
 */
public final class TextDataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    /**
     * Creates the exception for a problem at a line of a file.
     *
     * @param file the file (or resource) name
     * @param line the 1-based line where the problem starts, or 0 when it concerns the whole file
     * @param problem what was wrong
     */
    public TextDataException(String file, int line, String problem) {
        super(line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** Returns the file (or resource) name. */
    public String file() {
        return file;
    }

    /** Returns the 1-based line where the problem starts, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
