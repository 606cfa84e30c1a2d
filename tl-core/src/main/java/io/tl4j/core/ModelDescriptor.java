package io.tl4j.core;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.tl4j.core.metrics.History;
import io.tl4j.core.persist.AtomicFiles;
import io.tl4j.core.persist.ConfigJson;
import io.tl4j.core.persist.JsonFields;
import io.tl4j.core.persist.ModelDirectory;
import io.tl4j.core.persist.ModelFormatException;
import io.tl4j.core.torchscript.TorchScriptBackbones;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code model.json} of a saved model: what {@link TransferModel#save} writes and {@link
 * TransferModel#load} reads back. Reading checks every field; a bad one is a {@link
 * ModelFormatException} naming the file, the field and the value (and the allowed values where
 * there is a list).
 *
 * <p>Since tl4j records them, {@code files} maps each other file of the directory to its sha256
 * ({@code weights.safetensors}, and {@code backbone.pt} for a TorchScript backbone, whose {@code
 * architectureConfig.path} then names it relative to the directory). Descriptors without {@code
 * files} come from earlier versions and still load, unverified.
 */
final class ModelDescriptor {

    static final String FILE = "model.json";
    static final String WEIGHTS = "weights.safetensors";
    static final String TORCHSCRIPT_MODULE = "backbone.pt";
    static final String FORMAT = "tl4j-model";
    static final String FILES = "files";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final List<String> HEAD_KINDS = List.of("linear", "mlp", "custom");

    final JsonFields fields;
    final List<String> classes;
    final String architecture;
    final JsonFields architectureConfig;
    final String pipeline;
    final JsonFields pipelineConfig;
    final int[] adapter;
    final Provenance provenance;
    /** The sha256 of each other file, by name; null for a descriptor from before tl4j recorded them. */
    final Map<String, String> files;

    private ModelDescriptor(JsonFields fields) {
        this.fields = fields;
        String format = fields.string("format");
        if (!FORMAT.equals(format)) {
            throw fields.error("format", "is \"" + format + "\", so this is not a tl4j model descriptor "
                    + "(expected \"" + FORMAT + "\")");
        }
        int version = fields.integer("version");
        if (version == 1) {
            throw fields.error("version", "is 1: the model was saved by a tl4j snapshot that wrote component "
                    + "settings as strings, which this tl4j does not read (it reads format version "
                    + TransferModel.FORMAT_VERSION + "); train and save the model again");
        }
        if (version != TransferModel.FORMAT_VERSION) {
            throw fields.error("version", "is " + version + "; this tl4j reads format version "
                    + TransferModel.FORMAT_VERSION + " (was the model saved by a newer tl4j?)");
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
        provenance = fields.optionalObject("provenance").map(p -> new Provenance(
                p.optionalString("source").orElse(null), p.optionalString("sha256").orElse(null),
                p.optionalString("licence").orElse(null), p.optionalString("note").orElse(null)))
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
    static ModelDescriptor read(Path directory) {
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
     * @param model the model described: its classes, pipeline, provenance and history
     * @param architecture its backbone's architecture
     * @param architectureConfig the architecture's configuration as the directory needs it (a
     *     TorchScript module named relative to the directory)
     * @param head its head
     * @param adapter the widths of its added layers
     * @param files the sha256 of each other file written, by name
     * @throws IOException when the file system fails
     */
    static void write(Path directory, TransferModel<?> model, Architecture architecture,
            Record architectureConfig, Head head, int[] adapter, Map<String, String> files)
            throws IOException {
        JsonObject d = new JsonObject();
        d.addProperty("format", FORMAT);
        d.addProperty("version", TransferModel.FORMAT_VERSION);
        d.add("classes", GSON.toJsonTree(model.classNames()));
        d.addProperty("architecture", architecture.id());
        d.add("architectureConfig", ConfigJson.write(architectureConfig));
        d.addProperty("pipeline", model.pipeline().id());
        d.add("pipelineConfig", ConfigJson.write(model.pipeline().config()));
        d.add("head", ConfigJson.write(head.config()));
        JsonArray units = new JsonArray();
        Arrays.stream(adapter).forEach(units::add);
        d.add("adapter", units);
        d.add("provenance", GSON.toJsonTree(model.provenance()));
        d.addProperty("created", Instant.now().toString());
        JsonObject hashes = new JsonObject();
        new TreeMap<>(files).forEach(hashes::addProperty);
        d.add(FILES, hashes);
        d.add("history", JsonParser.parseString(model.history().toJson()));
        AtomicFiles.writeString(directory.resolve(FILE), GSON.toJson(d));
    }

    /** Returns the training history, empty when the descriptor has none. */
    History history() {
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
     * Builds the head the descriptor describes.
     *
     * @return the head
     */
    Head head() {
        JsonFields h = fields.object("head");
        String kind = h.oneOf("kind", HEAD_KINDS);
        if ("custom".equals(kind)) {
            throw h.error("kind", "is \"custom\": a custom head cannot be rebuilt from " + FILE
                    + "; load the model with TransferModel.load(dir, backbone, head)");
        }
        if (Arrays.stream(h.integers("hidden")).anyMatch(units -> units <= 0)) {
            throw h.error("hidden", "is " + h.json().get("hidden") + ", not positive integers");
        }
        JsonElement dropout = h.json().get("dropout");
        if (!isProbability(dropout)) {
            throw h.error("dropout", "is " + dropout + ", not a number in [0, 1)");
        }
        h.oneOf("activation", Arrays.stream(Head.Nonlinearity.values()).map(Enum::name).toList());
        return build("head", h, () -> Head.fromConfig(ConfigJson.read(h.json(), Head.Config.class)));
    }

    /**
     * Builds the architecture the descriptor describes.
     *
     * @param directory the model directory, where a TorchScript backbone's module is
     * @param backbone supplies the architecture when not null and the backbone is not TorchScript
     * @return the architecture
     */
    Architecture architecture(ModelDirectory directory, Backbone<?> backbone) {
        if (TorchScriptBackbones.ID.equals(architecture)) {
            Optional<Path> module = torchScriptModule(directory, backbone != null);
            if (module.isPresent()) {
                return TorchScriptBackbones.architecture(module.get());
            }
        }
        if (backbone != null) {
            return backbone.architecture();
        }
        if (!Components.architectureIds().contains(architecture)) {
            throw fields.error("architecture", "is \"" + architecture + "\", which is not registered; registered: "
                    + new TreeSet<>(Components.architectureIds()) + ". Add the module that provides it to the "
                    + "class path, register it in Components, or pass the backbone to TransferModel.load(dir, backbone)");
        }
        return build("architectureConfig", architectureConfig, () -> Components.architecture(architecture,
                ConfigJson.read(architectureConfig.json(), Components.architectureConfigType(architecture))));
    }

    /**
     * The TorchScript module of a saved model with a TorchScript backbone, inside the directory.
     * Descriptors from before tl4j recorded file hashes hold the absolute path of the original
     * module, which loading never opened: the directory's {@code backbone.pt} was used, or else the
     * caller's backbone, and still is.
     *
     * @param backboneGiven whether the caller supplies a backbone
     * @return the module, or empty for an old descriptor whose directory has none when the caller
     *     supplies a backbone
     */
    private Optional<Path> torchScriptModule(ModelDirectory directory, boolean backboneGiven) {
        String field = "architectureConfig." + TorchScriptBackbones.PATH;
        JsonFields config = architectureConfig;
        String name = config.string(TorchScriptBackbones.PATH);
        if (files == null && isAbsolute(name)) {
            Path module = directory.resolve(field, TORCHSCRIPT_MODULE);
            if (Files.isRegularFile(module)) {
                return Optional.of(module);
            }
            if (backboneGiven) {
                return Optional.empty();
            }
        }
        Path module = directory.resolve(field, name);
        if (files != null && !files.containsKey(directory.directory().relativize(module).toString())) {
            throw config.error(TorchScriptBackbones.PATH, "names " + name + ", which '" + FILES
                    + "' does not list with its sha256; the descriptor was edited by hand");
        }
        directory.requireFile(field, module);
        return Optional.of(module);
    }

    private static boolean isAbsolute(String name) {
        try {
            return Path.of(name).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * Builds the input pipeline the descriptor describes.
     *
     * @return the pipeline
     */
    InputPipeline<?> pipeline() {
        if (!Components.pipelineIds().contains(pipeline)) {
            throw fields.error("pipeline", "is \"" + pipeline + "\", which is not registered; registered: "
                    + new TreeSet<>(Components.pipelineIds()) + ". Add the module that provides it to the "
                    + "class path, register it in Components, or pass the backbone to TransferModel.load(dir, backbone)");
        }
        return build("pipelineConfig", pipelineConfig, () -> Components.pipeline(pipeline,
                ConfigJson.read(pipelineConfig.json(), Components.pipelineConfigType(pipeline))));
    }

    /** Runs a component factory, turning its failure on a bad configuration into one naming the field. */
    private <T> T build(String field, JsonFields config, Supplier<T> factory) {
        try {
            return factory.get();
        } catch (IllegalArgumentException | NullPointerException | IndexOutOfBoundsException e) {
            throw fields.error(field, "is " + describe(config.json()) + ", which is not a valid configuration: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The object as {@code {key=value, ...}}, strings unquoted and long values cut short, for messages. */
    private static String describe(JsonObject object) {
        StringJoiner text = new StringJoiner(", ", "{", "}");
        object.entrySet().forEach(e -> {
            JsonElement value = e.getValue();
            String shown = value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString()
                    : value.toString();
            text.add(e.getKey() + "=" + (shown.length() <= 80 ? shown : shown.substring(0, 77) + "..."));
        });
        return text.toString();
    }

    private static boolean isProbability(JsonElement value) {
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            return false;
        }
        float p = Float.parseFloat(value.getAsString());
        return p >= 0 && p < 1;
    }
}
