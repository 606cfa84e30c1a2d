package io.tl4j.nlp.data;

/**
 * A row that {@link TextDataReader#skipInvalidRows()} left out.
 *
 * @param file the file (or resource) name
 * @param line the 1-based line where the row starts
 * @param reason why it was left out
 */
public record SkippedRow(String file, int line, String reason) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
