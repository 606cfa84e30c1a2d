package io.tl4j.nlp.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits delimited text into records as RFC 4180 describes: a field that starts with a double
 * quote runs to the matching quote and may contain delimiters, line breaks and doubled quotes
 * ({@code ""}); records end at {@code \n} or {@code \r\n}. A quote inside an unquoted field is an
 * ordinary character (as in Python's csv module and spreadsheets). Blank lines are ignored.
 */
final class DelimitedParser {

    /**
     * A record and the line it starts on.
     *
     * @param line the 1-based line of its first character
     * @param fields its fields
     */
    record Row(int line, List<String> fields) {}

    private final String text;
    private final char delimiter;
    private final String file;
    private int pos;
    private int line = 1;

    private DelimitedParser(String text, char delimiter, String file) {
        this.text = text;
        this.delimiter = delimiter;
        this.file = file;
    }

    /**
     * Parses a delimited file into its records, header first.
     *
     * @param text the decoded file
     * @param delimiter the field delimiter
     * @param file the file name, for messages
     * @return the records, header first
     * @throws TextDataException for an unterminated quoted field or text after a closing quote
     */
    static List<Row> parse(String text, char delimiter, String file) {
        return new DelimitedParser(text, delimiter, file).rows();
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        while (pos < text.length()) {
            if (atLineEnd()) {
                skipLineEnd();
                continue;
            }
            int start = line;
            List<String> fields = new ArrayList<>();
            boolean more = true;
            while (more) {
                fields.add(text.startsWith("\"", pos) ? quoted() : unquoted());
                if (pos < text.length() && text.charAt(pos) == delimiter) {
                    pos++;
                } else {
                    more = false;
                    if (pos < text.length()) {
                        skipLineEnd();
                    }
                }
            }
            rows.add(new Row(start, List.copyOf(fields)));
        }
        return rows;
    }

    private String quoted() {
        int opened = line;
        pos++;
        StringBuilder field = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new TextDataException(file, opened, "quoted field is never closed (missing '\"')");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                    field.append('"');
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            if (c == '\n') {
                line++;
            }
            field.append(c);
            pos++;
        }
        if (pos < text.length() && text.charAt(pos) != delimiter && !atLineEnd()) {
            throw new TextDataException(
                    file,
                    line,
                    "unexpected '" + text.charAt(pos)
                            + "' after a closing quote; a quote inside a quoted field must be doubled (\"\")");
        }
        return field.toString();
    }

    private String unquoted() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != delimiter && !atLineEnd()) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private boolean atLineEnd() {
        char c = text.charAt(pos);
        return c == '\n' || (c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n');
    }

    private void skipLineEnd() {
        pos += text.charAt(pos) == '\r' ? 2 : 1;
        line++;
    }
}
