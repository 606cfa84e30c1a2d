package io.tl4j.core;

import com.google.gson.JsonElement;
import io.tl4j.core.persist.ConfigJson;
import io.tl4j.core.persist.JsonFields;
import io.tl4j.core.persist.ModelDescriptor;
import io.tl4j.core.persist.ModelDirectory;
import io.tl4j.core.torchscript.TorchScriptBackbones;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Rebuilds the components a saved model's {@link ModelDescriptor} names: its architecture (a
 * TorchScript backbone's module taken from the model directory), its input pipeline (both through
 * {@link Components}) and its head. A bad setting is an error naming the descriptor's file and field.
 */
final class SavedComponents {

    private static final List<String> HEAD_KINDS = List.of("linear", "mlp", "custom");

    private SavedComponents() {}

    /**
     * Builds the head a descriptor describes, checking each of its settings.
     *
     * @param d the descriptor
     * @return the head
     */
    static Head head(ModelDescriptor d) {
        JsonFields h = d.head();
        String kind = h.oneOf("kind", HEAD_KINDS);
        if ("custom".equals(kind)) {
            throw h.error(
                    "kind",
                    "is \"custom\": a custom head cannot be rebuilt from " + ModelDescriptor.FILE
                            + "; load the model with TransferModel.load(dir, backbone, head)");
        }
        if (Arrays.stream(h.integers("hidden")).anyMatch(units -> units <= 0)) {
            throw h.error("hidden", "is " + h.json().get("hidden") + ", not positive integers");
        }
        JsonElement dropout = h.json().get("dropout");
        if (!isProbability(dropout)) {
            throw h.error("dropout", "is " + dropout + ", not a number in [0, 1)");
        }
        h.oneOf(
                "activation",
                Arrays.stream(Head.Nonlinearity.values()).map(Enum::name).toList());
        return d.build("head", json -> Head.fromConfig(ConfigJson.read(json, Head.Config.class)));
    }

    /**
     * Builds the architecture a descriptor describes.
     *
     * @param d the descriptor
     * @param directory the model directory, where a TorchScript backbone's module is
     * @param backbone supplies the architecture when not null and the backbone is not TorchScript
     * @return the architecture
     */
    static Architecture architecture(ModelDescriptor d, ModelDirectory directory, Backbone<?> backbone) {
        String architecture = d.architecture();
        if (TorchScriptBackbones.ID.equals(architecture)) {
            Optional<Path> module = torchScriptModule(d, directory, backbone != null);
            if (module.isPresent()) {
                return TorchScriptBackbones.architecture(module.get());
            }
        }
        if (backbone != null) {
            return backbone.architecture();
        }
        if (!Components.architectureIds().contains(architecture)) {
            throw d.fields()
                    .error(
                            "architecture",
                            "is \"" + architecture + "\", which is not registered; registered: "
                                    + new TreeSet<>(Components.architectureIds())
                                    + ". Add the module that provides it to the "
                                    + "class path, register it in Components, or pass the backbone to TransferModel.load(dir, backbone)");
        }
        return d.build(
                "architectureConfig",
                json -> Components.architecture(
                        architecture, ConfigJson.read(json, Components.architectureConfigType(architecture))));
    }

    /**
     * The TorchScript module of a saved model with a TorchScript backbone, inside the directory.
     * Descriptors from before tl4j recorded file hashes hold the absolute path of the original
     * module, which loading never opened: the directory's {@code backbone.pt} was used, or else the
     * caller's backbone, and still is.
     *
     * @param d the descriptor
     * @param directory the model directory
     * @param backboneGiven whether the caller supplies a backbone
     * @return the module, or empty for an old descriptor whose directory has none when the caller
     *     supplies a backbone
     */
    private static Optional<Path> torchScriptModule(
            ModelDescriptor d, ModelDirectory directory, boolean backboneGiven) {
        Map<String, String> files = d.files();
        String field = "architectureConfig." + TorchScriptBackbones.PATH;
        JsonFields config = d.architectureConfig();
        String name = config.string(TorchScriptBackbones.PATH);
        if (files == null && isAbsolute(name)) {
            Path module = directory.resolve(field, ModelDescriptor.TORCHSCRIPT_MODULE);
            if (Files.isRegularFile(module)) {
                return Optional.of(module);
            }
            if (backboneGiven) {
                return Optional.empty();
            }
        }
        Path module = directory.resolve(field, name);
        if (files != null
                && !files.containsKey(directory.directory().relativize(module).toString())) {
            throw config.error(
                    TorchScriptBackbones.PATH,
                    "names " + name + ", which '" + ModelDescriptor.FILES
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
     * Builds the input pipeline a descriptor describes.
     *
     * @param d the descriptor
     * @return the pipeline
     */
    static InputPipeline<?> pipeline(ModelDescriptor d) {
        String pipeline = d.pipeline();
        if (!Components.pipelineIds().contains(pipeline)) {
            throw d.fields()
                    .error(
                            "pipeline",
                            "is \"" + pipeline + "\", which is not registered; registered: "
                                    + new TreeSet<>(Components.pipelineIds())
                                    + ". Add the module that provides it to the "
                                    + "class path, register it in Components, or pass the backbone to TransferModel.load(dir, backbone)");
        }
        return d.build(
                "pipelineConfig",
                json -> Components.pipeline(pipeline, ConfigJson.read(json, Components.pipelineConfigType(pipeline))));
    }

    private static boolean isProbability(JsonElement value) {
        if (value == null
                || !value.isJsonPrimitive()
                || !value.getAsJsonPrimitive().isNumber()) {
            return false;
        }
        float p = Float.parseFloat(value.getAsString());
        return p >= 0 && p < 1;
    }
}
