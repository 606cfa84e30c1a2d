package io.tl4j.core.persist;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Provenance;
import io.tl4j.core.metrics.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code model.json} of a saved model: what {@code TransferModel.save} writes and {@code
 * TransferModel.load} reads back. Reading checks every field; a bad one is a {@link
 * ModelFormatException} naming the file, the field and the value (and the allowed values where
 * there is a list). Component settings ({@code architectureConfig}, {@code pipelineConfig}, {@code
 * head}) are JSON objects written by {@link ConfigJson}; {@link #build} turns a failure to rebuild
 * a component from one into an error naming the field.
 *
 * <p>{@code files} maps each other file of the directory to its sha256 ({@code
 * weights.safetensors}, and {@code backbone.pt} for a TorchScript backbone, whose {@code
 * architectureConfig.path} then names it relative to the directory). Descriptors without {@code
 * files} load unverified.
 */
public final class ModelDescriptor {

    /** The descriptor's file name in a model directory. */
    public static final String FILE = "model.json";
    /** The weights' file name in a model directory. */
    public static final String WEIGHTS = "weights.safetensors";
    /** The file name of a TorchScript backbone's module in a model directory. */
    public static final String TORCHSCRIPT_MODULE = "backbone.pt";
    /** The value of the descriptor's {@code format} field. */
    public static final String FORMAT = "tl4j-model";
    /** The descriptor's format version. */
    public static final int VERSION = 2;
    /** The field that records the sha256 of each file. */
    public static final String FILES = "files";

    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .disableHtmlEscaping()
            .serializeSpecialFloatingPointValues()
            .create();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * What a descriptor records about a model.
     *
     * @param classes the class names, in the order of the model's outputs
     * @param architecture the backbone architecture's id
     * @param architectureConfig its configuration, as the directory needs it (a TorchScript module
     *     named relative to the directory)
     * @param pipeline the input pipeline's id
     * @param pipelineConfig its configuration
     * @param head the head's configuration
     * @param adapter the widths of the layers added between backbone and head
     * @param provenance where the backbone's pretrained weights came from
     * @param files the sha256 of each other file written, by name
     * @param history the training history
     * @param training the training configuration as JSON, or null when the model does not know it
     */
    public record Contents(
            List<String> classes,
            String architecture,
            Record architectureConfig,
            String pipeline,
            Record pipelineConfig,
            Record head,
            int[] adapter,
            Provenance provenance,
            Map<String, String> files,
            History history,
            JsonObject training) {}

    private final JsonFields fields;
    private final List<String> classes;
    private final String architecture;
    private final JsonFields architectureConfig;
    private final String pipeline;
    private final JsonFields pipelineConfig;
    private final int[] adapter;
    private final Provenance provenance;
    private final Map<String, String> files;

    private ModelDescriptor(JsonFields fields) {
        this.fields = fields;
        String format = fields.string("format");
        if (!FORMAT.equals(format)) {
            throw fields.error(
                    "format",
                    "is \"" + format + "\", so this is not a tl4j model descriptor " + "(expected \"" + FORMAT + "\")");
        }
        int version = fields.integer("version");
        if (version == 1) {
            throw fields.error(
                    "version",
                    "is 1: the model was saved by a tl4j snapshot that wrote component "
                            + "settings as strings, which this tl4j does not read (it reads format version "
                            + VERSION + "); train and save the model again");
        }
        if (version != VERSION) {
            throw fields.error(
                    "version",
                    "is " + version + "; this tl4j reads format version " + VERSION
                            + " (was the model saved by a newer tl4j?)");
        }
        classes = fields.strings("classes");
        if (classes.isEmpty() || new HashSet<>(classes).size() != classes.size()) {
            throw fields.error("classes", "is " + classes + "; a model needs one or more distinct class names");
        }
        architecture = fields.string("architecture");
        architectureConfig = fields.object("architectureConfig");
        pipeline = fields.string("pipeline");
        pipelineConfig = fields.object("pipelineConfig");
        fields.object("head");
        adapter = fields.has("adapter") ? fields.integers("adapter") : new int[0];
        if (Arrays.stream(adapter).anyMatch(units -> units <= 0)) {
            throw fields.error("adapter", "is " + Arrays.toString(adapter) + "; widths must be positive");
        }
        provenance = fields.optionalObject("provenance")
                .map(p -> new Provenance(
                        p.optionalString("source").orElse(null),
                                p.optionalString("sha256").orElse(null),
                        p.optionalString("licence").orElse(null),
                                p.optionalString("note").orElse(null)))
                .orElse(Provenance.unknown());
        files = fields.has(FILES) ? fields.stringMap(FILES) : null;
        if (files != null) {
            JsonFields listed = fields.object(FILES);
            files.forEach((name, sha) -> {
                if (!SHA256.matcher(sha).matches()) {
                    throw listed.error(name, "is \"" + sha + "\", not a sha256 (64 lower-case hex digits)");
                }
            });
        }
    }

    /**
     * Reads and checks a saved model's descriptor.
     *
     * @param directory the model directory
     * @return the descriptor
     * @throws IllegalArgumentException when there is no descriptor
     * @throws ModelFormatException when it is malformed
     */
    public static ModelDescriptor read(Path directory) {
        Path file = directory.resolve(FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("No saved model in " + directory + ": " + file + " is missing", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return new ModelDescriptor(JsonFields.parse(file, text));
    }

    /**
     * Writes a descriptor atomically, with mode 0644.
     *
     * @param directory the model directory
     * @param contents what to record
     * @throws IOException when the file system fails
     */
    public static void write(Path directory, Contents contents) throws IOException {
        JsonObject d = new JsonObject();
        d.addProperty("format", FORMAT);
        d.addProperty("version", VERSION);
        d.add("classes", GSON.toJsonTree(contents.classes()));
        d.addProperty("architecture", contents.architecture());
        d.add("architectureConfig", ConfigJson.write(contents.architectureConfig()));
        d.addProperty("pipeline", contents.pipeline());
        d.add("pipelineConfig", ConfigJson.write(contents.pipelineConfig()));
        d.add("head", ConfigJson.write(contents.head()));
        JsonArray units = new JsonArray();
        Arrays.stream(contents.adapter()).forEach(units::add);
        d.add("adapter", units);
        d.add("provenance", GSON.toJsonTree(contents.provenance()));
        d.addProperty("created", Instant.now().toString());
        JsonObject hashes = new JsonObject();
        new TreeMap<>(contents.files()).forEach(hashes::addProperty);
        d.add(FILES, hashes);
        d.add("history", JsonParser.parseString(contents.history().toJson()));
        if (contents.training() != null) {
            d.add("training", contents.training());
        }
        AtomicFiles.writeString(directory.resolve(FILE), GSON.toJson(d));
    }

    /** Returns the descriptor's fields, for errors naming its file and a field. */
    public JsonFields fields() {
        return fields;
    }

    /** Returns the class names, in the order of the model's outputs. */
    public List<String> classes() {
        return classes;
    }

    /** Returns the backbone architecture's id. */
    public String architecture() {
        return architecture;
    }

    /** Returns the architecture's configuration object. */
    public JsonFields architectureConfig() {
        return architectureConfig;
    }

    /** Returns the input pipeline's id. */
    public String pipeline() {
        return pipeline;
    }

    /** Returns the input pipeline's configuration object. */
    public JsonFields pipelineConfig() {
        return pipelineConfig;
    }

    /** Returns the head's configuration object. */
    public JsonFields head() {
        return fields.object("head");
    }

    /** Returns the widths of the layers added between backbone and head. */
    public int[] adapter() {
        return adapter.clone();
    }

    /** Returns where the backbone's pretrained weights came from. */
    public Provenance provenance() {
        return provenance;
    }

    /** Returns the sha256 of each other file, by name; null for a descriptor that records none. */
    public Map<String, String> files() {
        return files;
    }

    /** Returns the training history, empty when the descriptor has none. */
    public History history() {
        if (!fields.has("history")) {
            return History.empty();
        }
        JsonElement history = fields.json().get("history");
        try {
            return History.fromJson(GSON.toJson(history));
        } catch (IllegalArgumentException e) {
            throw fields.error("history", "is not a training history: " + e.getMessage());
        }
    }

    /**
     * Returns the training configuration the model was trained with, as saved.
     *
     * @return the {@code training} object, or empty for a model saved without it
     */
    public Optional<JsonFields> training() {
        return fields.optionalObject("training");
    }

    /**
     * Builds a component from one of the descriptor's configuration objects, turning its failure on
     * a bad configuration into a {@link ModelFormatException} naming the field and showing the value.
     *
     * @param field the object's field: {@code architectureConfig}, {@code pipelineConfig} or {@code head}
     * @param factory builds the component from the object (with {@link ConfigJson#read}, say)
     * @param <T> the component's type
     * @return the component
     */
    public <T> T build(String field, Function<JsonObject, T> factory) {
        JsonObject config = fields.object(field).json();
        try {
            return factory.apply(config);
        } catch (IllegalArgumentException | NullPointerException | IndexOutOfBoundsException e) {
            throw fields.error(
                    field,
                    "is " + describe(config) + ", which is not a valid configuration: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The object as {@code {key=value, ...}}, strings unquoted and long values cut short, for messages. */
    private static String describe(JsonObject object) {
        StringJoiner text = new StringJoiner(", ", "{", "}");
        object.entrySet().forEach(e -> {
            JsonElement value = e.getValue();
            String shown = value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
                    ? value.getAsString()
                    : value.toString();
            text.add(e.getKey() + "=" + (shown.length() <= 80 ? shown : shown.substring(0, 77) + "..."));
        });
        return text.toString();
    }
}
