package io.tl4j.nlp.data;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads labelled texts for classification from CSV, TSV or JSON-lines files into a tl-core
 * {@link io.tl4j.core.data.LabeledData LabeledData&lt;String&gt;}.
 *
 * <pre>{@code
 * LabeledData<String> data = TextData.csv(Path.of("reviews.csv"))
 *         .text("body")
 *         .label("label")
 *         .classes("negative", "positive")   // optional: any other label is an error
 *         .read();
 * }</pre>
 *
 * <p>Files are decoded as strict UTF-8 (a byte-order mark is dropped; an undecodable byte is an
 * error naming file and line); a name ending in {@code .gz} is decompressed first. Every problem
 * (missing column, short row, empty text, unknown label, broken quoting, malformed JSON) is a
 * {@link TextDataException} naming file and line, unless {@link TextDataReader#skipInvalidRows()}
 * is on, which counts, logs and skips invalid rows instead.
 */
public final class TextData {

    private TextData() {}

    /**
     * Starts reading a CSV file with a header row.
     *
     * @param file a CSV file with a header row (RFC 4180 quoting; quoted fields may span lines)
     * @return a reader to configure
     */
    public static TextDataReader csv(Path file) {
        return of(TextFormat.CSV, file);
    }

    /**
     * Starts reading a tab-separated file with a header row.
     *
     * @param file a tab-separated file with a header row (the same quoting rules as CSV)
     * @return a reader to configure
     */
    public static TextDataReader tsv(Path file) {
        return of(TextFormat.TSV, file);
    }

    /**
     * Starts reading a JSON-lines file.
     *
     * @param file a JSON-lines file: one object per line
     * @return a reader to configure
     */
    public static TextDataReader jsonl(Path file) {
        return of(TextFormat.JSONL, file);
    }

    /**
     * Starts reading a file of the given format.
     *
     * @param format the file's format
     * @param file the file
     * @return a reader to configure
     */
    public static TextDataReader of(TextFormat format, Path file) {
        Objects.requireNonNull(file, "file");
        return new TextDataReader(format, file.toString(), () -> java.nio.file.Files.newInputStream(file));
    }

    /**
     * Reads a classpath resource, such as a data set shipped inside a jar.
     *
     * @param format the resource's format
     * @param anchor the class whose class loader finds the resource (and against whose package a
     *     relative name resolves)
     * @param resource the resource name, as for {@link Class#getResourceAsStream(String)}
     * @return a reader to configure; reading fails with a {@link TextDataException} if the resource
     *     does not exist
     */
    public static TextDataReader resource(TextFormat format, Class<?> anchor, String resource) {
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(resource, "resource");
        String name = "classpath:" + resource;
        return new TextDataReader(format, name, () -> {
            InputStream in = anchor.getResourceAsStream(resource);
            if (in == null) {
                throw new TextDataException(name, 0, "resource not found (relative to " + anchor.getName() + ")");
            }
            return in;
        });
    }
}
