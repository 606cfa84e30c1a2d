package io.tl4j.core.metrics;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The per-epoch records of a training run. Immutable: {@link #plus(EpochRecord)} returns a new
 * history.
 *
 * <p>The JSON form is {@code {"epochs": [{"epoch": 1, "train_loss": ..., "learning_rate": ...,
 * "seconds": ..., "metrics": {"val_loss": ..., ...}}, ...]}}; NaN and infinite values are written
 * as the bare words {@code NaN}, {@code Infinity} and {@code -Infinity}.
 */
public final class History {

    private static final History EMPTY = new History(List.of());
    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .serializeSpecialFloatingPointValues()
            .create();

    private final List<EpochRecord> epochs;

    private History(List<EpochRecord> epochs) {
        this.epochs = epochs;
    }

    /**
     * Returns the history without epochs.
     *
     * @return the empty history
     */
    public static History empty() {
        return EMPTY;
    }

    /**
     * Returns this history with one more epoch at the end.
     *
     * @param r the epoch record
     * @return the new history
     */
    public History plus(EpochRecord r) {
        List<EpochRecord> all = new ArrayList<>(epochs);
        all.add(r);
        return new History(List.copyOf(all));
    }

    /**
     * Returns the epoch records in the order they were added.
     *
     * @return an unmodifiable list of the records
     */
    public List<EpochRecord> epochs() {
        return epochs;
    }

    /**
     * Returns the number of epochs.
     *
     * @return the number of epochs
     */
    public int size() {
        return epochs.size();
    }

    /**
     * Returns the last epoch record.
     *
     * @return the last record
     * @throws NoSuchElementException if the history is empty
     */
    public EpochRecord last() {
        if (epochs.isEmpty()) {
            throw new NoSuchElementException("the history is empty");
        }
        return epochs.get(epochs.size() - 1);
    }

    /**
     * Returns the epoch number ({@link EpochRecord#epoch()}) with the best value of a metric.
     * Epochs without the metric, or where it is NaN, are skipped; on a tie the earliest epoch wins.
     *
     * @param metric the metric name, for example {@code "val_accuracy"}
     * @param higherIsBetter whether a higher value is better
     * @return the best epoch number, or empty if no epoch has a value of the metric
     */
    public OptionalInt bestEpoch(String metric, boolean higherIsBetter) {
        EpochRecord best = null;
        for (EpochRecord r : epochs) {
            Double value = r.metrics().get(metric);
            if (value == null || value.isNaN()) {
                continue;
            }
            if (best == null
                    || (higherIsBetter
                            ? value > best.metrics().get(metric)
                            : value < best.metrics().get(metric))) {
                best = r;
            }
        }
        return best == null ? OptionalInt.empty() : OptionalInt.of(best.epoch());
    }

    /**
     * Returns the history as pretty-printed JSON (see the class description).
     *
     * @return the JSON text
     */
    public String toJson() {
        JsonArray array = new JsonArray();
        for (EpochRecord r : epochs) {
            JsonObject json = new JsonObject();
            json.addProperty("epoch", r.epoch());
            json.addProperty("train_loss", r.trainLoss());
            json.addProperty("learning_rate", r.learningRate());
            json.addProperty("seconds", r.seconds());
            JsonObject metrics = new JsonObject();
            r.metrics().forEach(metrics::addProperty);
            json.add("metrics", metrics);
            array.add(json);
        }
        JsonObject root = new JsonObject();
        root.add("epochs", array);
        return GSON.toJson(root);
    }

    /**
     * Reads a history from the JSON form written by {@link #toJson()}.
     *
     * @param json the JSON text
     * @return the history
     * @throws IllegalArgumentException if the text is not a history in that form
     */
    public static History fromJson(String json) {
        try {
            List<EpochRecord> records = new ArrayList<>();
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            for (JsonElement element : root.getAsJsonArray("epochs")) {
                JsonObject r = element.getAsJsonObject();
                Map<String, Double> metrics = new LinkedHashMap<>();
                r.getAsJsonObject("metrics")
                        .entrySet()
                        .forEach(e -> metrics.put(e.getKey(), e.getValue().getAsDouble()));
                records.add(new EpochRecord(
                        r.get("epoch").getAsInt(),
                        r.get("train_loss").getAsDouble(),
                        r.get("learning_rate").getAsDouble(),
                        r.get("seconds").getAsDouble(),
                        metrics));
            }
            return new History(List.copyOf(records));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a training history in JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a history from a JSON file written by {@link #writeJson(Path)}.
     *
     * @param path the file
     * @return the history
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not a history in JSON
     */
    public static History readJson(Path path) throws IOException {
        return fromJson(Files.readString(path, StandardCharsets.UTF_8));
    }

    /**
     * Writes the history as JSON, atomically: readers see either the old file or the new one.
     *
     * @param path the file; missing parent folders are created
     * @throws IOException if the file cannot be written
     */
    public void writeJson(Path path) throws IOException {
        writeAtomically(path, toJson());
    }

    /**
     * Writes the history as CSV, atomically. The header is {@code epoch,train_loss,learning_rate,
     * seconds} followed by every metric name in the order first seen; an epoch without a metric
     * leaves its cell empty. Lines end with {@code \n}.
     *
     * @param path the file; missing parent folders are created
     * @throws IOException if the file cannot be written
     */
    public void writeCsv(Path path) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        epochs.forEach(r -> names.addAll(r.metrics().keySet()));
        StringBuilder csv = new StringBuilder("epoch,train_loss,learning_rate,seconds");
        names.forEach(name -> csv.append(',').append(csvCell(name)));
        csv.append('\n');
        for (EpochRecord r : epochs) {
            csv.append(r.epoch())
                    .append(',')
                    .append(r.trainLoss())
                    .append(',')
                    .append(r.learningRate())
                    .append(',')
                    .append(r.seconds());
            for (String name : names) {
                Double value = r.metrics().get(name);
                csv.append(',').append(value == null ? "" : value.toString());
            }
            csv.append('\n');
        }
        writeAtomically(path, csv.toString());
    }

    /**
     * Compares the epoch records.
     *
     * @param other the object to compare with
     * @return whether {@code other} is a history with equal records in the same order
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof History history && epochs.equals(history.epochs);
    }

    /**
     * Hashes the epoch records.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return epochs.hashCode();
    }

    /**
     * Describes the history by its number of epochs and its last record.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "History[size=" + size() + (epochs.isEmpty() ? "" : ", last=" + last()) + "]";
    }

    /** Quotes a CSV cell that contains a comma, a quote or a line break. */
    private static String csvCell(String text) {
        if (text.chars().anyMatch(ch -> ch == ',' || ch == '"' || ch == '\n' || ch == '\r')) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    private static void writeAtomically(Path path, String content) throws IOException {
        Path target = path.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp =
                Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
