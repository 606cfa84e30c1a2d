package io.tl4j.nlp.data;

/** The file formats {@link TextData} reads. */
public enum TextFormat {
    /** Comma-separated values with a header row, quoted as in RFC 4180 (fields may span lines). */
    CSV(','),
    /** Tab-separated values with a header row, the same quoting rules as {@link #CSV}. */
    TSV('\t'),
    /** JSON lines: one JSON object per line; blank lines are ignored. */
    JSONL('\0');

    private final char delimiter;

    TextFormat(char delimiter) {
        this.delimiter = delimiter;
    }

    /** Returns the field delimiter of a delimited format. */
    char delimiter() {
        return delimiter;
    }
}
