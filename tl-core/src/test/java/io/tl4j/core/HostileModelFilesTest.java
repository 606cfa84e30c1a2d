package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.persist.ModelFileModifiedException;
import io.tl4j.core.persist.ModelFormatException;
import io.tl4j.core.torchscript.TorchScriptBackbones;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.WeightFileException;
import io.tl4j.core.weights.WeightMismatchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model directories fed hostile edits: paths leading out of the directory, files swapped, removed
 * or truncated, non-finite weights, and every kind of broken {@code model.json}. Each must be
 * refused with an exception of a known type whose message names the file and the field or tensor.
 * Also: the modes and the bytes that {@code save} writes.
 */
class HostileModelFilesTest {

    private static final LabeledData<float[]> TEST = Fixtures.tiny(4, 41);

    @TempDir
    static Path shared;

    private static Path saved;
    private static Path other;
    private static float[][] expected;
    private static float[][] otherExpected;

    @TempDir
    Path dir;

    @BeforeAll
    static void saveTwoModels() {
        saved = shared.resolve("saved");
        other = shared.resolve("other");
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .progressBar(false)
                        .unfreezeAll()
                        .head(Head.mlp(12).dropout(0.1f))
                        .epochs(2)
                        .seed(1)
                        .fit(Fixtures.tiny(6, 40));
                TransferModel<float[]> second = TransferLearner.from(backbone)
                        .progressBar(false)
                        .unfreezeAll()
                        .head(Head.mlp(12).dropout(0.1f))
                        .epochs(2)
                        .seed(2)
                        .fit(Fixtures.tiny(6, 42))) {
            model.save(saved);
            second.save(other);
            expected = model.probabilities(TEST.inputs());
            otherExpected = second.probabilities(TEST.inputs());
        }
    }

    // ---- paths that lead out of the model directory ----

    @Test
    void anAbsoluteModulePathIsRefusedByName() throws IOException {
        Path model = copy();
        editDescriptor(model, d -> torchScript(d, "/etc/passwd"));
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(model.resolve("model.json").toString())
                .hasMessageContaining("field 'architectureConfig.path' names /etc/passwd, outside the model directory");
    }

    @Test
    void aParentRelativeModulePathIsRefusedByName() throws IOException {
        Path model = copy();
        Files.writeString(dir.resolve("outside.pt"), "not a module");
        editDescriptor(model, d -> torchScript(d, "../outside.pt"));
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.json")
                .hasMessageContaining(
                        "field 'architectureConfig.path' names ../outside.pt, outside the model directory")
                .hasMessageContaining("'..'");
    }

    @Test
    void aSymbolicLinkLeadingOutOfTheDirectoryIsRefused() throws IOException {
        Path model = copy();
        Path outside = Files.writeString(dir.resolve("foreign.pt"), "not a module");
        Files.createSymbolicLink(model.resolve("backbone.pt"), outside);
        editDescriptor(model, d -> torchScript(d, "backbone.pt"));
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("field 'architectureConfig.path' names backbone.pt, outside the model directory")
                .hasMessageContaining("symbolic link to " + outside.toRealPath());
    }

    @Test
    void aWeightsFileThatIsASymbolicLinkOutOfTheDirectoryIsRefused() throws IOException {
        Path model = copy();
        Path outside = Files.copy(other.resolve("weights.safetensors"), dir.resolve("elsewhere.safetensors"));
        Files.delete(model.resolve("weights.safetensors"));
        Files.createSymbolicLink(model.resolve("weights.safetensors"), outside);
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("field 'files.weights.safetensors' names weights.safetensors, outside")
                .hasMessageContaining(outside.toRealPath().toString());
    }

    @Test
    void aFileListedWithAPathOutOfTheDirectoryIsRefused() throws IOException {
        Path model = copy();
        editDescriptor(model, d -> d.getAsJsonObject("files").addProperty("../../x.bin", "0".repeat(64)));
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("field 'files.../../x.bin' names ../../x.bin, outside the model directory");
    }

    // ---- files missing, swapped, truncated, not finite ----

    @Test
    void aMissingWeightsFileIsNamed() throws IOException {
        Path model = copy();
        Files.delete(model.resolve("weights.safetensors"));
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("field 'files.weights.safetensors' names weights.safetensors, which is missing");
    }

    @Test
    void anotherModelsWeightsAreRefusedAndLoadOnlyWhenModifiedFilesAreTrusted() throws IOException {
        Path model = copy();
        Files.copy(
                other.resolve("weights.safetensors"),
                model.resolve("weights.safetensors"),
                StandardCopyOption.REPLACE_EXISTING);
        String recorded = Provenance.sha256(saved.resolve("weights.safetensors"));
        String actual = Provenance.sha256(other.resolve("weights.safetensors"));
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOfSatisfying(ModelFileModifiedException.class, e -> {
                    assertThat(e.expected()).isEqualTo(recorded);
                    assertThat(e.actual()).isEqualTo(actual);
                    assertThat(e.file())
                            .isEqualTo(model.resolve("weights.safetensors").toAbsolutePath());
                    assertThat(e.getMessage())
                            .contains("weights.safetensors", recorded, actual, "trustingModifiedFiles()");
                });
        try (TransferModel<float[]> trusted = TransferModel.load(model, LoadOptions.trustingModifiedFiles())) {
            assertThat(trusted.probabilities(TEST.inputs())).isDeepEqualTo(otherExpected);
        }
    }

    @Test
    void weightsOfAnotherShapeAreRefusedNamingTheFileAndTheTensors() throws IOException {
        Path model = copy();
        Path weights = model.resolve("weights.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new java.util.LinkedHashMap<>(SafeTensors.read(weights, manager));
            String name = tensors.keySet().iterator().next();
            tensors.put(name, manager.zeros(new ai.djl.ndarray.types.Shape(3)));
            SafeTensors.write(weights, tensors, Map.of());
        }
        assertThatThrownBy(() -> TransferModel.load(model, LoadOptions.trustingModifiedFiles()))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> {
                    assertThat(e.file()).contains(weights);
                    assertThat(e.getMessage()).contains(weights.toString());
                });
    }

    @Test
    void aTruncatedWeightsFileIsRefusedAndTrustedStillNamesTheTensor() throws IOException {
        Path model = copy();
        Path weights = model.resolve("weights.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFileModifiedException.class)
                .hasMessageContaining(weights.toAbsolutePath().toString());
        assertThatThrownBy(() -> TransferModel.load(model, LoadOptions.trustingModifiedFiles()))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining("weights.safetensors")
                .hasMessageContaining("tensor '")
                .hasMessageContaining("run past the end of the data section");
    }

    @Test
    void nanWeightsAreRefusedNamingTheTensorEvenWithMatchingHashes() throws IOException {
        Path model = copy();
        Path weights = model.resolve("weights.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = SafeTensors.read(weights, manager);
            String victim = tensors.keySet().stream()
                    .filter(k -> k.startsWith("head."))
                    .findFirst()
                    .orElseThrow();
            tensors.put(victim, tensors.get(victim).mul(Float.NaN));
            SafeTensors.write(weights, tensors, SafeTensors.readMetadata(weights));
            String hash = Provenance.sha256(weights);
            editDescriptor(model, d -> d.getAsJsonObject("files").addProperty("weights.safetensors", hash));
            assertThatThrownBy(() -> TransferModel.load(model))
                    .isInstanceOf(WeightFileException.class)
                    .hasMessageContaining(weights.toString())
                    .hasMessageContaining("tensor '" + victim + "'")
                    .hasMessageContaining("NaN or infinite");
        }
    }

    // ---- model.json edited or broken ----

    @Test
    void anUnknownActivationListsTheAllowedValues() throws IOException {
        assertDescriptorRefused(
                d -> d.getAsJsonObject("head").addProperty("activation", "SWISH"),
                "field 'head.activation' is \"SWISH\"; allowed: [RELU, GELU, TANH]");
    }

    @Test
    void aBadNumberInTheArchitectureIsNamed() throws IOException {
        assertDescriptorRefused(
                d -> d.getAsJsonObject("architectureConfig").addProperty("widths", "16,eight"),
                "field 'architectureConfig' is {widths=16,eight}",
                "\"16,eight\"");
    }

    @Test
    void aBadNumberInTheHeadIsNamed() throws IOException {
        assertDescriptorRefused(
                d -> d.getAsJsonObject("head").addProperty("dropout", "lots"),
                "field 'head.dropout' is \"lots\", not a number in [0, 1)");
    }

    @Test
    void aNumberOfTheWrongTypeIsNamed() throws IOException {
        assertDescriptorRefused(d -> d.addProperty("version", "one"), "field 'version' is \"one\", not an integer");
    }

    @Test
    void aMissingFieldIsNamed() throws IOException {
        assertDescriptorRefused(d -> d.remove("pipeline"), "field 'pipeline' is missing");
        assertDescriptorRefused(d -> d.remove("classes"), "field 'classes' is missing");
    }

    @Test
    void anUnknownFormatVersionIsNamed() throws IOException {
        assertDescriptorRefused(
                d -> d.addProperty("version", 99), "field 'version' is 99; this tl4j reads format version 2");
    }

    @Test
    void anUnknownArchitectureListsTheRegisteredOnes() throws IOException {
        assertDescriptorRefused(
                d -> d.addProperty("architecture", "tl4j.nonesuch"),
                "field 'architecture' is \"tl4j.nonesuch\", which is not registered; registered: [",
                Architectures.MLP);
    }

    @Test
    void aHashThatIsNotASha256IsNamed() throws IOException {
        assertDescriptorRefused(
                d -> d.getAsJsonObject("files").addProperty("weights.safetensors", "abc"),
                "field 'files.weights.safetensors' is \"abc\", not a sha256");
    }

    @Test
    void aTruncatedDescriptorIsNamed() throws IOException {
        Path model = copy();
        String json = Files.readString(model.resolve("model.json"));
        Files.writeString(model.resolve("model.json"), json.substring(0, json.length() / 2));
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(model.resolve("model.json").toString())
                .hasMessageContaining("is not valid JSON (truncated or edited by hand?)");
    }

    @Test
    void aDescriptorThatIsNotJsonOrEmptyIsNamed() throws IOException {
        Path model = copy();
        Files.writeString(model.resolve("model.json"), "<html>model</html>");
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(model.resolve("model.json") + ": is not valid JSON");
        Files.writeString(model.resolve("model.json"), "[1, 2]");
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("holds [1,2] where a JSON object is expected");
        Files.writeString(model.resolve("model.json"), "");
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(model.resolve("model.json") + ": is empty");
    }

    // ---- models saved before hashes were recorded ----

    @Test
    void aModelSavedBeforeHashesStillLoadsAndPredictsTheSame() throws IOException {
        Path model = copy();
        editDescriptor(model, d -> d.remove("files"));
        try (TransferModel<float[]> loaded = TransferModel.load(model)) {
            assertThat(loaded.probabilities(TEST.inputs())).isDeepEqualTo(expected);
        }
    }

    // ---- TorchScript backbones: the module is a file of the directory too ----

    @Test
    void aForeignTorchScriptModuleIsRefusedAndAnOldDescriptorsAbsolutePathIsNeverOpened() throws IOException {
        Path pt = Path.of("src/test/resources/torchscript/tiny_cnn.pt");
        Path model = dir.resolve("ts");
        LabeledData<float[]> data = stripes();
        float[][] predicted;
        try (Backbone<float[]> backbone =
                        TorchScriptBackbones.load(pt, TensorPipeline.of(new Shape(1, 12, 12)), "MIT (test fixture)");
                TransferModel<float[]> trained = TransferLearner.from(backbone)
                        .progressBar(false)
                        .epochs(1)
                        .fit(data)) {
            trained.save(model);
            predicted = trained.probabilities(data.inputs());
        }
        JsonObject d = JsonParser.parseString(Files.readString(model.resolve("model.json")))
                .getAsJsonObject();
        assertThat(d.getAsJsonObject("architectureConfig").get("path").getAsString())
                .isEqualTo("backbone.pt");
        assertThat(d.getAsJsonObject("files").keySet()).containsExactly("backbone.pt", "weights.safetensors");

        Path legacy = Files.createDirectory(dir.resolve("legacy"));
        for (String name : List.of("model.json", "weights.safetensors", "backbone.pt")) {
            Files.copy(model.resolve(name), legacy.resolve(name));
        }
        editDescriptor(legacy, e -> {
            e.remove("files");
            torchScript(e, "/etc/passwd"); // earlier versions recorded the original module's absolute path
        });
        try (TransferModel<float[]> loaded = TransferModel.load(legacy)) {
            assertThat(loaded.probabilities(data.inputs())).isDeepEqualTo(predicted);
        }
        Files.delete(legacy.resolve("backbone.pt"));
        assertThatThrownBy(() -> TransferModel.load(legacy))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("field 'architectureConfig.path' names /etc/passwd, outside the model directory");

        Files.copy(pt, model.resolve("backbone.pt"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOf(ModelFileModifiedException.class)
                .hasMessageContaining(
                        model.resolve("backbone.pt").toAbsolutePath().toString())
                .hasMessageContaining("field 'files.backbone.pt'");
    }

    /** Twelve 1x12x12 images in two classes: horizontal and vertical stripes. */
    private static LabeledData<float[]> stripes() {
        java.util.Random random = new java.util.Random(7);
        List<float[]> inputs = new java.util.ArrayList<>();
        int[] labels = new int[12];
        for (int n = 0; n < labels.length; n++) {
            labels[n] = n % 2;
            float[] x = new float[144];
            for (int i = 0; i < x.length; i++) {
                int stripe = labels[n] == 0 ? i / 12 : i % 12;
                x[i] = (stripe % 2 == 0 ? 1f : -1f) + (float) random.nextGaussian() * 0.3f;
            }
            inputs.add(x);
        }
        return LabeledData.of(inputs, labels, List.of("rows", "columns"));
    }

    // ---- what save writes ----

    @Test
    void savedFilesAreWorldReadableWhateverTheUmask() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        try (Stream<Path> files = Files.list(saved)) {
            for (Path file : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .as(file.toString())
                        .isEqualTo("rw-r--r--");
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void savingTheSameModelTwiceGivesByteIdenticalWeightsAndNoTemporaryFiles() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/.weights.safetensors.k1llt3mp.tmp"), "left by a killed save");
        try (TransferModel<float[]> loaded = TransferModel.load(saved)) {
            loaded.save(dir.resolve("a"));
            loaded.save(dir.resolve("a"));
            loaded.save(dir.resolve("b"));
        }
        assertThat(Files.readAllBytes(dir.resolve("a/weights.safetensors")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b/weights.safetensors")))
                .isEqualTo(Files.readAllBytes(saved.resolve("weights.safetensors")));
        try (Stream<Path> files = Files.list(dir.resolve("a"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("model.json", "weights.safetensors");
        }
    }

    @Test
    void safetensorsMetadataIsSortedWhateverTheMapOrder() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = Map.of("w", manager.create(new float[] {1f, 2f}, new Shape(2)));
            Map<String, String> forward = new LinkedHashMap<>();
            forward.put("architecture", "x");
            forward.put("format", "y");
            forward.put("zeta", "z");
            Map<String, String> backward = new LinkedHashMap<>();
            List.of("zeta", "format", "architecture").forEach(k -> backward.put(k, forward.get(k)));
            SafeTensors.write(dir.resolve("f.safetensors"), tensors, forward);
            SafeTensors.write(dir.resolve("b.safetensors"), tensors, backward);
        }
        assertThat(dir.resolve("f.safetensors")).hasSameBinaryContentAs(dir.resolve("b.safetensors"));
        assertThat(SafeTensors.readMetadata(dir.resolve("b.safetensors")).keySet())
                .containsExactly("architecture", "format", "zeta");
    }

    // ---- helpers ----

    private void assertDescriptorRefused(Consumer<JsonObject> edit, String... messageParts) throws IOException {
        Path model = copy();
        editDescriptor(model, edit);
        assertThatThrownBy(() -> TransferModel.load(model))
                .isInstanceOfSatisfying(
                        ModelFormatException.class,
                        e -> assertThat(e.getMessage())
                                .contains(model.resolve("model.json").toString())
                                .contains(messageParts));
    }

    /** Makes the descriptor claim a TorchScript backbone whose module is {@code path}. */
    private static void torchScript(JsonObject d, String path) {
        d.addProperty("architecture", TorchScriptBackbones.ID);
        JsonObject config = new JsonObject();
        config.addProperty(TorchScriptBackbones.PATH, path);
        d.add("architectureConfig", config);
    }

    private Path copy() throws IOException {
        Path model = Files.createTempDirectory(dir, "model");
        try (Stream<Path> files = Files.list(saved)) {
            for (Path file : files.toList()) {
                Files.copy(file, model.resolve(file.getFileName()));
            }
        }
        return model;
    }

    private static void editDescriptor(Path model, Consumer<JsonObject> edit) throws IOException {
        Path file = model.resolve("model.json");
        JsonObject d = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        edit.accept(d);
        Files.writeString(file, d.toString(), StandardCharsets.UTF_8);
    }
}
