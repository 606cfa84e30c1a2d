package io.tl4j.core.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.tl4j.core.Architecture;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.weights.ParameterNames;
import io.tl4j.core.weights.StateDict;
import io.tl4j.core.weights.WeightFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the fixture made by {@code tl-core/scripts/make_torchscript_fixture.py} (a scripted tiny CNN)
 * and checks it against PyTorch's outputs, trains it, freezes part of it, saves and reloads it.
 */
class TorchScriptBackbonesTest {

    private static final Path PT = Path.of("src/test/resources/torchscript/tiny_cnn.pt");
    private static final Path EXPECTED = Path.of("src/test/resources/torchscript/tiny_cnn_expected.json");
    private static final Shape SAMPLE = new Shape(1, 12, 12);

    private static JsonObject expected;
    private static Backbone<float[]> backbone;

    @BeforeAll
    static void loadFixture() throws IOException {
        expected = new Gson().fromJson(Files.readString(EXPECTED, StandardCharsets.UTF_8), JsonObject.class);
        backbone = TorchScriptBackbones.load(PT, TensorPipeline.of(SAMPLE), "MIT (test fixture)");
    }

    @AfterAll
    static void closeBackbone() {
        backbone.close();
    }

    // ---- the module as PyTorch wrote it ----

    @Test
    void layersAreTheFirstSegmentsOfTheParameterNamesAndFeaturesArePooledChannels() {
        assertThat(backbone.layers()).containsExactly("conv1", "bn1", "layer1");
        assertThat(backbone.featureSize()).isEqualTo(8);
        assertThat(backbone.featureShape()).isEqualTo(new Shape(8));
        assertThat(backbone.isPretrained()).isFalse(); // the weights live in the file, not the backbone
    }

    @Test
    void parametersHaveTheFixturesNamesAndShapesAndLoadTrainable() {
        Map<String, Shape> names = new LinkedHashMap<>();
        for (JsonElement e : expected.getAsJsonArray("parameters")) {
            JsonObject p = e.getAsJsonObject();
            names.put(p.get("name").getAsString(), new Shape(longs(p.getAsJsonArray("shape"))));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> parameters = ParameterNames.of(backbone.instantiate(manager, 0));
            Map<String, Shape> actual = new LinkedHashMap<>();
            parameters.forEach((k, p) -> actual.put(k, p.getArray().getShape()));
            assertThat(actual).containsExactlyEntriesOf(names);
            assertThat(parameters.values()).allMatch(Parameter::requiresGradient);
        }
    }

    @Test
    void evalForwardEqualsPyTorchs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = backbone.instantiate(manager, 0);
            float[] out = forward(block, manager, false);
            assertClose(out, expected.getAsJsonArray("eval_output"));
        }
    }

    @Test
    void aFreshBlocksFirstTrainingForwardUsesBatchStatisticsLikePyTorch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = backbone.instantiate(manager, 0);
            float[] out = forward(block, manager, true);
            assertClose(out, expected.getAsJsonArray("train_output"));
        }
    }

    @Test
    void inferenceForwardsInsideAGradientCollectorRecordGradientsAndKeepRunningStatistics() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = backbone.instantiate(manager, 0);
            Map<String, Parameter> parameters = ParameterNames.of(block);
            parameters.forEach((name, p) -> p.freeze(!name.startsWith("layer1.")));
            try (NDManager sm = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray x = sm.create(fixedInput(), new Shape(2, 1, 12, 12));
                NDArray out = block.forward(new ParameterStore(sm, false), new NDList(x), false)
                        .head();
                collector.backward(out.sum());
            }
            float[] gradient =
                    parameters.get("layer1.0.weight").getArray().getGradient().toFloatArray();
            assertThat(norm(gradient)).isGreaterThan(0);
            // the eval-mode forward left BatchNorm's running statistics alone ...
            assertClose(forward(block, manager, false), expected.getAsJsonArray("eval_output"));
            // ... a training-mode forward moves them
            forward(block, manager, true);
            float[] moved = forward(block, manager, false);
            assertThat(maxDifference(moved, expected.getAsJsonArray("eval_output")))
                    .isGreaterThan(1e-3f);
        }
    }

    @Test
    void eachBlockIsAnIndependentModuleClosedWithItsManager() {
        try (NDManager second = NDManager.newBaseManager()) {
            NDManager first = NDManager.newBaseManager();
            Block a = backbone.instantiate(first, 0);
            Block b = backbone.instantiate(second, 0);
            NDArray weight = ParameterNames.of(a).get("conv1.weight").getArray();
            NDArray other = ParameterNames.of(b).get("conv1.weight").getArray();
            weight.subi(1f); // in place, in native memory: b must not see it
            assertThat(other.toFloatArray()).isNotEqualTo(weight.toFloatArray());
            first.close();
            assertThat(weight.isReleased()).isTrue();
            assertThat(other.isReleased()).isFalse();
            assertThatThrownBy(() -> forward(a, second, false)).hasMessageContaining("released");
            assertClose(forward(b, second, false), expected.getAsJsonArray("eval_output"));
        }
    }

    @Test
    void loadingAndClosingBlocksLeavesNoNativeArraysBehind() {
        NDManager system;
        try (NDManager probe = NDManager.newBaseManager()) {
            system = probe.getParentManager();
        }
        int before = system.getManagedArrays().size();
        for (int i = 0; i < 5; i++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = backbone.instantiate(manager, 0);
                forward(block, manager, true);
                // the loaded model's arrays are visible from the system manager while it lives
                assertThat(system.getManagedArrays().size()).isGreaterThanOrEqualTo(before + 8);
            }
        }
        assertThat(system.getManagedArrays()).hasSize(before);
        // a whole fit, its model and the backbone it hands out again
        try (TransferModel<float[]> model = learner().freezeUntil("layer1").fit(data());
                Backbone<float[]> trained = model.backbone()) {
            assertThat(trained.layers()).hasSize(3);
            assertThat(system.getManagedArrays().size()).isGreaterThan(before);
        }
        assertThat(system.getManagedArrays()).hasSize(before);
    }

    // ---- training ----

    @Test
    void unfreezeAllTrainsEveryParameter() {
        TransferLearner<float[]> learner = learner().unfreezeAll();
        try (TransferModel<float[]> model = learner.fit(data());
                Backbone<float[]> trained = model.backbone();
                NDManager manager = NDManager.newBaseManager()) {
            Map<String, float[]> before = values(StateDict.export(backbone.instantiate(manager, 0)));
            Map<String, float[]> after = values(trained.weights());
            assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
            before.forEach(
                    (name, values) -> assertThat(after.get(name)).as(name).isNotEqualTo(values));
        }
    }

    @Test
    void freezeUntilKeepsEarlierLayersBitIdenticalAndTrainsTheRest() {
        TransferLearner<float[]> learner = learner().freezeUntil("layer1");
        try (TransferModel<float[]> model = learner.fit(data());
                Backbone<float[]> trained = model.backbone();
                NDManager manager = NDManager.newBaseManager()) {
            Map<String, float[]> before = values(StateDict.export(backbone.instantiate(manager, 0)));
            Map<String, float[]> after = values(trained.weights());
            before.forEach((name, values) -> {
                if (name.startsWith("layer1.")) {
                    assertThat(after.get(name)).as(name).isNotEqualTo(values);
                } else {
                    assertThat(after.get(name)).as(name).isEqualTo(values);
                }
            });
        }
    }

    @Test
    void featureExtractionLeavesTheWholeModuleBitIdenticalWithOrWithoutTheCache() {
        for (boolean cache : new boolean[] {true, false}) {
            try (TransferModel<float[]> model =
                            learner().freezeAll().featureCache(cache).fit(data());
                    Backbone<float[]> trained = model.backbone();
                    NDManager manager = NDManager.newBaseManager()) {
                Map<String, float[]> before = values(StateDict.export(backbone.instantiate(manager, 0)));
                assertThat(values(trained.weights())).as("cache " + cache).containsExactlyEntriesOf(before);
                assertThat(model.history().epochs()).hasSize(3);
            }
        }
    }

    /**
     * The saved weights hold parameters only and loading rebuilds the module from the original file,
     * so identical predictions also prove that training left the partly frozen module's BatchNorm
     * running statistics where the file has them.
     */
    @Test
    void aSavedModelLoadsBackAndPredictsTheSame(@TempDir Path dir) {
        LabeledData<float[]> data = data();
        try (TransferModel<float[]> model = learner().freezeUntil("layer1").fit(data)) {
            model.save(dir);
            float[][] expectedP = model.probabilities(data.inputs());
            try (TransferModel<float[]> loaded = TransferModel.load(dir, backbone)) {
                assertThat(loaded.probabilities(data.inputs())).isDeepEqualTo(expectedP);
            }
            TorchScriptBackbones.register();
            try (TransferModel<float[]> loaded = TransferModel.load(dir)) {
                assertThat(loaded.probabilities(data.inputs())).isDeepEqualTo(expectedP);
                assertThat(loaded.provenance()).isEqualTo(backbone.provenance());
            }
        }
    }

    @Test
    void aFullyFineTunedModelKeepsItsBatchNormStatisticsThroughSaveAndBackbone(@TempDir Path dir) {
        LabeledData<float[]> data = data();
        try (TransferModel<float[]> model = learner().unfreezeAll().fit(data)) {
            float[][] expectedP = model.probabilities(data.inputs());
            model.save(dir);
            assertThat(dir.resolve("backbone.pt")).exists();
            try (TransferModel<float[]> loaded = TransferModel.load(dir)) {
                assertThat(loaded.probabilities(data.inputs())).isDeepEqualTo(expectedP);
            }
            try (Backbone<float[]> trained = model.backbone();
                    NDManager manager = NDManager.newBaseManager()) {
                Block again = trained.instantiate(manager, 0);
                try (NDManager other = NDManager.newBaseManager()) {
                    Block original = backbone.instantiate(other, 0);
                    assertThat(forward(again, manager, false)).isNotEqualTo(forward(original, other, false));
                }
            }
        }
    }

    @Test
    void saveModuleKeepsTrainedRunningStatistics(@TempDir Path dir) {
        Path file = dir.resolve("trained.pt");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = backbone.instantiate(manager, 0);
            ParameterNames.of(block).get("layer1.0.bias").getArray().addi(0.5f);
            forward(block, manager, true); // moves the running statistics
            float[] trained = forward(block, manager, false);
            TorchScriptBackbones.saveModule(block, file);
            assertThat(TorchScriptBackbones.isTorchScript(block)).isTrue();

            Block again = TorchScriptBackbones.architecture(file).newBlock(manager);
            assertThat(forward(again, manager, false)).containsExactly(trained);
            assertThat(values(StateDict.export(again))).containsExactlyEntriesOf(values(StateDict.export(block)));
            assertThat(maxDifference(trained, expected.getAsJsonArray("eval_output")))
                    .isGreaterThan(1e-3f);
        }
        assertThatThrownBy(() -> TorchScriptBackbones.saveModule(
                        Linear.builder().setUnits(2).build(), file))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- sources and provenance ----

    @Test
    void provenanceRecordsThePathTheSha256AndTheLicence() {
        Provenance p = backbone.provenance();
        assertThat(p.source()).isEqualTo(PT.toAbsolutePath().normalize().toString());
        assertThat(p.sha256()).isEqualTo(Provenance.sha256(PT)).hasSize(64);
        assertThat(p.licence()).isEqualTo("MIT (test fixture)");
        assertThat(backbone.architecture().id()).isEqualTo(TorchScriptBackbones.ID);
        assertThat(backbone.architecture().config())
                .isEqualTo(new TorchScriptBackbones.Config(
                        PT.toAbsolutePath().normalize().toString()));
    }

    @Test
    void loadsFromAFileUrlIntoTheCache(@TempDir Path cache) throws IOException {
        var url = PT.toUri().toURL();
        try (Backbone<float[]> fromUrl = TorchScriptBackbones.load(url, cache, TensorPipeline.of(SAMPLE), "MIT");
                NDManager manager = NDManager.newBaseManager()) {
            assertThat(fromUrl.provenance().source()).isEqualTo(url.toString());
            assertThat(fromUrl.provenance().sha256()).isEqualTo(Provenance.sha256(PT));
            assertThat(fromUrl.layers()).containsExactly("conv1", "bn1", "layer1");
            try (var files = Files.list(cache)) {
                assertThat(files.map(f -> f.getFileName().toString()).toList())
                        .singleElement()
                        .asString()
                        .endsWith("tiny_cnn.pt");
            }
            assertClose(
                    forward(fromUrl.instantiate(manager, 0), manager, false), expected.getAsJsonArray("eval_output"));
        }
        try (Backbone<float[]> again = TorchScriptBackbones.load(url, cache, TensorPipeline.of(SAMPLE), "MIT");
                var files = Files.list(cache)) {
            assertThat(files).hasSize(1); // served from the cache
            assertThat(again.provenance().sha256()).isEqualTo(Provenance.sha256(PT));
        }
    }

    @Test
    void aMissingFileIsAnErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nothing_here.pt");
        assertThatThrownBy(() -> TorchScriptBackbones.load(missing, TensorPipeline.of(SAMPLE), "MIT"))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aCorruptFileIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Path corrupt = dir.resolve("corrupt.pt");
        byte[] bytes = Files.readAllBytes(PT);
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertThatThrownBy(() -> TorchScriptBackbones.load(corrupt, TensorPipeline.of(SAMPLE), "MIT"))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining(corrupt.toString());
        Path text = dir.resolve("text.pt");
        Files.writeString(text, "not a TorchScript zip");
        assertThatThrownBy(() -> TorchScriptBackbones.load(text, TensorPipeline.of(SAMPLE), "MIT"))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining(text.toString());
    }

    @Test
    void aPipelineOfTheWrongShapeIsAnErrorNamingTheFileAndTheShape() {
        assertThatThrownBy(() -> TorchScriptBackbones.load(PT, TensorPipeline.of(new Shape(3, 12, 12)), "MIT"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(PT.toAbsolutePath().normalize().toString())
                .hasMessageContaining("(3, 12, 12)");
    }

    @Test
    void theArchitectureIsRebuiltFromItsConfig() {
        Architecture a = TorchScriptBackbones.fromConfig(
                (TorchScriptBackbones.Config) backbone.architecture().config());
        assertThat(a.id()).isEqualTo(TorchScriptBackbones.ID);
        assertThat(a.config()).isEqualTo(backbone.architecture().config());
        assertThatThrownBy(() -> TorchScriptBackbones.fromConfig(new TorchScriptBackbones.Config(null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path");
    }

    // ---- helpers ----

    private static TransferLearner<float[]> learner() {
        return TransferLearner.from(backbone)
                .epochs(3)
                .batchSize(8)
                .learningRate(0.01f)
                .backboneLearningRate(1f)
                .progressBar(false)
                .seed(3);
    }

    /** 24 images: class "rows" has horizontal stripes, class "columns" vertical ones, plus noise. */
    private static LabeledData<float[]> data() {
        Random random = new Random(11);
        List<float[]> inputs = new ArrayList<>();
        int[] labels = new int[24];
        for (int n = 0; n < labels.length; n++) {
            labels[n] = n % 2;
            float[] x = new float[144];
            for (int i = 0; i < 12; i++) {
                for (int j = 0; j < 12; j++) {
                    int stripe = labels[n] == 0 ? i : j;
                    x[i * 12 + j] = (stripe % 2 == 0 ? 1f : -1f) + (float) random.nextGaussian() * 0.3f;
                }
            }
            inputs.add(x);
        }
        return LabeledData.of(inputs, labels, List.of("rows", "columns"));
    }

    private static float[] fixedInput() {
        float[] x = new float[2 * 144];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.1 * i);
        }
        return x;
    }

    private static float[] forward(Block block, NDManager manager, boolean training) {
        try (NDManager sm = manager.newSubManager()) {
            NDArray x = sm.create(fixedInput(), new Shape(2, 1, 12, 12));
            return block.forward(new ParameterStore(sm, false), new NDList(x), training)
                    .head()
                    .toFloatArray();
        }
    }

    private static void assertClose(float[] actual, JsonArray expectedRows) {
        List<Float> flat = new ArrayList<>();
        expectedRows.forEach(row -> row.getAsJsonArray().forEach(v -> flat.add(v.getAsFloat())));
        assertThat(actual).hasSize(flat.size());
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("output %d", i).isCloseTo(flat.get(i), within(1e-5f));
        }
    }

    private static float maxDifference(float[] actual, JsonArray expectedRows) {
        List<Float> flat = new ArrayList<>();
        expectedRows.forEach(row -> row.getAsJsonArray().forEach(v -> flat.add(v.getAsFloat())));
        float max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - flat.get(i)));
        }
        return max;
    }

    private static double norm(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    private static long[] longs(JsonArray array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsLong();
        }
        return values;
    }

    private static Map<String, float[]> values(Map<String, NDArray> arrays) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        arrays.forEach((k, v) -> copy.put(k, v.toFloatArray()));
        return copy;
    }
}
