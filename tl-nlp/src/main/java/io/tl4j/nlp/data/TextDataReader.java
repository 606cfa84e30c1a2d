package io.tl4j.nlp.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.tl4j.core.data.LabeledData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one text classification file: which column (or JSON field) holds the text, which the
 * label, optionally the classes declared up front, and whether invalid rows are skipped. Made by
 * {@link TextData}; every method returns a new reader.
 */
public final class TextDataReader {

    private static final Logger LOG = LoggerFactory.getLogger(TextDataReader.class);
    private static final int LOGGED_SKIPS = 10;

    /** Opens the raw bytes of the source. */
    interface Opener {
        InputStream open() throws IOException;
    }

    private final TextFormat format;
    private final String name;
    private final Opener opener;
    private final String textColumn;
    private final String labelColumn;
    private final List<String> classes;
    private final boolean skipInvalid;

    TextDataReader(TextFormat format, String name, Opener opener) {
        this(format, name, opener, null, null, null, false);
    }

    private TextDataReader(
            TextFormat format,
            String name,
            Opener opener,
            String textColumn,
            String labelColumn,
            List<String> classes,
            boolean skipInvalid) {
        this.format = Objects.requireNonNull(format, "format");
        this.name = name;
        this.opener = opener;
        this.textColumn = textColumn;
        this.labelColumn = labelColumn;
        this.classes = classes;
        this.skipInvalid = skipInvalid;
    }

    /**
     * Returns a reader taking the text from that column or field.
     *
     * @param column the header name (CSV/TSV) or field name (JSONL) of the text; required
     * @return a reader taking the text from it
     */
    public TextDataReader text(String column) {
        return new TextDataReader(
                format, name, opener, Objects.requireNonNull(column, "column"), labelColumn, classes, skipInvalid);
    }

    /**
     * Returns a reader taking the label from that column or field.
     *
     * @param column the header name (CSV/TSV) or field name (JSONL) of the label; required
     * @return a reader taking the label from it
     */
    public TextDataReader label(String column) {
        return new TextDataReader(
                format, name, opener, textColumn, Objects.requireNonNull(column, "column"), classes, skipInvalid);
    }

    /**
     * Declares the classes up front: they become the class names in this order, and any other
     * label is an invalid row. Without it, the class names are the distinct labels, sorted.
     *
     * @param names the class names, at least one, no duplicates
     * @return a reader with the classes declared
     */
    public TextDataReader classes(String... names) {
        if (names.length == 0 || new LinkedHashSet<>(Arrays.asList(names)).size() != names.length) {
            throw new IllegalArgumentException("Classes must be at least one distinct name: " + Arrays.toString(names));
        }
        return new TextDataReader(format, name, opener, textColumn, labelColumn, List.of(names), skipInvalid);
    }

    /**
     * Skips invalid rows (a missing field, an empty text or label, an unknown label) instead of
     * failing; each one is counted, logged and reported by {@link #readWithReport()}. Problems with
     * the file as a whole (missing column, undecodable bytes, broken quoting) still fail.
     *
     * @return a reader that skips invalid rows
     */
    public TextDataReader skipInvalidRows() {
        return new TextDataReader(format, name, opener, textColumn, labelColumn, classes, true);
    }

    /**
     * Reads the file.
     *
     * @return the labelled texts, in file order
     * @throws TextDataException naming file and line for any problem
     * @throws UncheckedIOException when the file cannot be read
     */
    public LabeledData<String> read() {
        return readWithReport().data();
    }

    /**
     * Reads the file and reports the rows it skipped.
     *
     * @return the labelled texts and the skipped rows
     * @throws TextDataException naming file and line for any problem
     * @throws UncheckedIOException when the file cannot be read
     */
    public TextReadResult readWithReport() {
        if (textColumn == null || labelColumn == null) {
            throw new IllegalStateException("Name the text and label columns first: .text(\"...\").label(\"...\")");
        }
        String content = Utf8Text.decode(bytes(), name);
        Collector collector = new Collector();
        if (format == TextFormat.JSONL) {
            readJsonLines(content, collector);
        } else {
            readDelimited(content, collector);
        }
        return collector.finish();
    }

    private void readDelimited(String content, Collector collector) {
        List<DelimitedParser.Row> rows = DelimitedParser.parse(content, format.delimiter(), name);
        if (rows.isEmpty()) {
            throw new TextDataException(name, 0, "the file is empty; expected a header row");
        }
        DelimitedParser.Row header = rows.get(0);
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            if (columns.put(header.fields().get(i), i) != null) {
                throw new TextDataException(
                        name,
                        header.line(),
                        "duplicate column '" + header.fields().get(i) + "' in the header");
            }
        }
        int textIndex = column(columns, textColumn, header);
        int labelIndex = column(columns, labelColumn, header);
        for (DelimitedParser.Row row : rows.subList(1, rows.size())) {
            if (row.fields().size() != header.fields().size()) {
                collector.invalid(
                        row.line(),
                        "has " + row.fields().size() + " fields but the header has "
                                + header.fields().size());
                continue;
            }
            collector.add(row.line(), row.fields().get(textIndex), row.fields().get(labelIndex));
        }
    }

    private int column(Map<String, Integer> columns, String column, DelimitedParser.Row header) {
        Integer index = columns.get(column);
        if (index == null) {
            throw new TextDataException(
                    name, header.line(), "no column '" + column + "'; the header has " + header.fields());
        }
        return index;
    }

    private void readJsonLines(String content, Collector collector) {
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            JsonObject object;
            try {
                JsonElement element = JsonParser.parseString(line);
                if (!element.isJsonObject()) {
                    throw new TextDataException(name, i + 1, "expected a JSON object, found " + abbreviate(line));
                }
                object = element.getAsJsonObject();
            } catch (JsonParseException e) {
                throw new TextDataException(name, i + 1, "malformed JSON: " + e.getMessage());
            }
            String text = field(object, textColumn, i + 1, collector);
            String label = text == null ? null : field(object, labelColumn, i + 1, collector);
            if (label != null) {
                collector.add(i + 1, text, label);
            }
        }
    }

    /** The field as a string, or null after recording the row as invalid. */
    private String field(JsonObject object, String field, int line, Collector collector) {
        JsonElement value = object.get(field);
        if (value == null || value.isJsonNull()) {
            collector.invalid(line, "no field '" + field + "'; the object has " + object.keySet());
            return null;
        }
        if (!value.isJsonPrimitive()) {
            collector.invalid(line, "field '" + field + "' is not a string, number or boolean");
            return null;
        }
        return value.getAsString();
    }

    private byte[] bytes() {
        try (InputStream raw = opener.open();
                InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** Gathers valid rows and, when skipping, the invalid ones. */
    private final class Collector {
        private final List<String> texts = new ArrayList<>();
        private final List<String> labels = new ArrayList<>();
        private final List<SkippedRow> skipped = new ArrayList<>();

        void add(int line, String text, String label) {
            if (text.isBlank()) {
                invalid(line, "the text ('" + textColumn + "') is empty");
            } else if (label.isBlank()) {
                invalid(line, "the label ('" + labelColumn + "') is empty");
            } else if (classes != null && !classes.contains(label)) {
                invalid(line, "unknown label '" + label + "'; the declared classes are " + classes);
            } else {
                texts.add(text);
                labels.add(label);
            }
        }

        void invalid(int line, String reason) {
            if (!skipInvalid) {
                throw new TextDataException(name, line, reason);
            }
            SkippedRow row = new SkippedRow(name, line, reason);
            if (skipped.size() < LOGGED_SKIPS) {
                LOG.warn("Skipping {}", row);
            }
            skipped.add(row);
        }

        TextReadResult finish() {
            if (!skipped.isEmpty()) {
                LOG.warn("Skipped {} invalid row(s) of {}; kept {}", skipped.size(), name, texts.size());
            }
            if (texts.isEmpty()) {
                throw new TextDataException(
                        name,
                        0,
                        "no valid examples"
                                + (skipped.isEmpty()
                                        ? ""
                                        : " (" + skipped.size() + " rows skipped, first: " + skipped.get(0) + ")"));
            }
            LabeledData<String> data;
            if (classes != null) {
                int[] ids = labels.stream().mapToInt(classes::indexOf).toArray();
                data = LabeledData.of(texts, ids, classes);
            } else {
                data = LabeledData.ofNamedLabels(texts, labels);
            }
            return new TextReadResult(data, skipped);
        }
    }
}
