package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.WeightFileException;
import io.tl4j.core.weights.WeightMismatchException;
import io.tl4j.vision.Vision;
import io.tl4j.vision.weights.TorchvisionWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight sources, each into the Java network, against the tiny torchvision-layout ResNet that
 * {@code scripts/make_golden_fixtures.py} wrote with formula weights.
 */
class WeightSourcesTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final Path HF_DIR = GOLDEN.resolve("hf_tiny_resnet");
    static final Shape SAMPLE = new Shape(3, 32, 32);

    /** The script's TinyResNet: BasicBlocks [1, 1], widths 8 and 16, 3x3 stride-1 stem, no fc. */
    static final ResNet TINY = ResNet.builder()
            .setBlockType(BlockType.BASIC)
            .setBlocksPerStage(1, 1)
            .optBaseWidth(8)
            .optSmallImageStem(true)
            .build();

    @Test
    void huggingFaceDirectoryWithPyTorchCountersGivesPyTorchsFeatures() throws IOException {
        try (PretrainedModel tiny = Vision.custom("tiny_resnet", TINY).weights(HF_DIR, "MIT (test fixture)");
                Backbone<float[]> backbone = tiny.backbone(TensorPipeline.of(SAMPLE))) {
            assertThat(tiny.architecture().numClasses()).isZero();
            assertThat(tiny.provenance().source()).endsWith("model.safetensors");
            assertThat(tiny.provenance().sha256()).hasSize(64);
            assertThat(tiny.weights())
                    .containsKey("layer2.0.downsample.1.running_var")
                    .doesNotContainKey("bn1.num_batches_tracked");
            assertThat(backbone.layers()).containsExactly("conv1", "bn1", "relu", "layer1", "layer2", "avgpool");
            assertThat(features(backbone)).satisfies(f -> assertCloseToFixture(f, 1e-4));
            assertThatThrownBy(() -> tiny.classify(null, 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no classifier layer");
        }
    }

    @Test
    void halfPrecisionFilesAreWidenedToFloat32() {
        try (PretrainedModel f32 = Vision.custom("tiny", TINY).weights(HF_DIR);
                PretrainedModel f16 =
                        Vision.custom("tiny", TINY).weights(GOLDEN.resolve("tiny_resnet_f16.safetensors"));
                PretrainedModel bf16 =
                        Vision.custom("tiny", TINY).weights(GOLDEN.resolve("tiny_resnet_bf16.safetensors"))) {
            assertRoundedFrom(f16.weights(), f32.weights(), 0x1p-11);
            assertRoundedFrom(bf16.weights(), f32.weights(), 0x1p-8);
        }
    }

    @Test
    void missingUnexpectedAndMisShapedTensorsAreAllNamed(@TempDir Path dir) {
        Path file = dir.resolve("broken.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>(TorchvisionWeights.readSafetensors(HF_DIR, manager));
            tensors.remove("layer1.0.bn2.running_var");
            tensors.put("layer9.0.conv1.weight", manager.zeros(new Shape(2, 2)));
            tensors.put("layer2.0.conv1.weight", manager.zeros(new Shape(16, 8, 5, 5)));
            SafeTensors.write(file, tensors);
        }
        assertThatThrownBy(() -> Vision.custom("tiny", TINY).weights(file))
                .isInstanceOf(WeightMismatchException.class)
                .hasMessageStartingWith("state dict read from " + file + " does not match")
                .hasMessageContaining("missing (no tensor for parameter): layer1.0.bn2.running_var")
                .hasMessageContaining("unexpected (no parameter for tensor): layer9.0.conv1.weight")
                .hasMessageContaining("layer2.0.conv1.weight expected (16, 8, 3, 3) found (16, 8, 5, 5)");
    }

    @Test
    void aDirectoryWithoutWeightsOrWithAnotherModelsConfigIsRejected(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"architecture\": \"resnet18\"}");
        assertThatThrownBy(() -> Vision.resnet50().weights(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds resnet18 (config.json), not resnet50");
        assertThatThrownBy(() -> Vision.resnet18().weights(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining("no model.safetensors in the directory; it holds [config.json]");
        assertThatThrownBy(() -> Vision.fromHuggingFace(HF_DIR, "MIT"))
                .hasMessageContaining("Unknown torchvision model 'tiny_resnet'");
    }

    @Test
    void timmVggNamesMapToTorchvisionsWithTheirConvolutionsFlattened() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> timm = new LinkedHashMap<>();
            timm.put("features.0.weight", manager.arange(6f).reshape(1, 6, 1, 1));
            timm.put("pre_logits.fc1.weight", manager.arange(2f * 512 * 49).reshape(2, 512, 7, 7));
            timm.put("pre_logits.fc1.bias", manager.arange(2f));
            timm.put("pre_logits.fc2.weight", manager.arange(4f).reshape(2, 2, 1, 1));
            timm.put("pre_logits.fc2.bias", manager.arange(2f));
            timm.put("head.fc.weight", manager.arange(6f).reshape(3, 2));
            timm.put("head.fc.bias", manager.arange(3f));
            Map<String, NDArray> tv = TorchvisionWeights.fromTimm(timm);
            assertThat(tv.keySet())
                    .containsExactly(
                            "features.0.weight",
                            "classifier.0.weight",
                            "classifier.0.bias",
                            "classifier.3.weight",
                            "classifier.3.bias",
                            "classifier.6.weight",
                            "classifier.6.bias");
            assertThat(tv.get("features.0.weight").getShape()).isEqualTo(new Shape(1, 6, 1, 1));
            NDArray fc6 = tv.get("classifier.0.weight");
            assertThat(fc6.getShape()).isEqualTo(new Shape(2, 25088));
            // torch.flatten order: channel, then row, then column
            assertThat(fc6.getFloat(1, 512 * 49 - 1)).isEqualTo(2f * 512 * 49 - 1);
            assertThat(fc6.getFloat(0, 7 * 49 + 2 * 7 + 3)).isEqualTo(7 * 49 + 2 * 7 + 3);
            assertThat(tv.get("classifier.3.weight").getShape()).isEqualTo(new Shape(2, 2));
        }
    }

    @Test
    void djlParamsFilesRoundTripIntoAFreshNetwork(@TempDir Path dir) throws IOException {
        ResNet withHead = TINY.withNumClasses(10);
        float[] expected;
        NDArray input;
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("tiny")) {
            Block block = withHead.newBlock(manager);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 32, 32));
            input = FormulaWeights.input(manager, new Shape(2, 3, 32, 32));
            expected = block.forward(new ParameterStore(manager, false), new NDList(input), false)
                    .singletonOrThrow()
                    .toFloatArray();
            model.save(dir, "tiny");
        }
        Path params = dir.resolve("tiny-0000.params");
        assertThat(params).exists();
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel loaded = Vision.custom("tiny", withHead).weights(params)) {
            assertThat(loaded.architecture().numClasses()).isEqualTo(10);
            assertThat(loaded.labels()).startsWith("class 0", "class 1");
            float[] actual = loaded.logits(FormulaWeights.input(manager, new Shape(2, 3, 32, 32)))
                    .toFloatArray();
            // the loaded model is frozen, so it runs with its BatchNorms folded: equal within rounding
            assertThat(actual).containsExactly(expected, within(1e-5f));
        }
        ResNet narrower = withHead.toBuilder().optBaseWidth(4).build();
        assertThatThrownBy(() -> Vision.custom("narrow", narrower).weights(params))
                .isInstanceOf(WeightMismatchException.class)
                .hasMessageContaining("conv1.weight expected (4, 3, 3, 3) found (8, 3, 3, 3)");
        assertThatThrownBy(() -> Vision.custom("headless", TINY).weights(params))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining("data is left after its last layer");
        assertThatThrownBy(() -> Vision.custom(
                                "deeper",
                                withHead.toBuilder().setBlocksPerStage(1, 1, 1).build())
                        .weights(params))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining("not a DJL .params file of");
        assertThatThrownBy(() -> Vision.custom("tiny", TINY).weights(dir.resolve("absent.params")))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining("no such DJL .params file");
    }

    @Test
    void grayscaleSmallResNetWeightsLoadForOneChannelInputs(@TempDir Path dir) {
        ResNet gray = ResNet.builder()
                .setBlockType(BlockType.BASIC)
                .setBlocksPerStage(1, 1)
                .optBaseWidth(4)
                .optSmallImageStem(true)
                .build();
        Path file = dir.resolve("gray.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = gray.newBlock(manager);
            FormulaWeights.initializeWithZeros(block, manager, new Shape(1, 1, 28, 28));
            SafeTensors.write(file, FormulaWeights.forBlock(block, manager));
        }
        try (PretrainedModel model = Vision.custom("gray", gray).weights(file);
                Backbone<float[]> backbone = model.backbone(TensorPipeline.of(new Shape(1, 28, 28)))) {
            assertThat(model.weights().get("conv1.weight").getShape()).isEqualTo(new Shape(4, 1, 3, 3));
            assertThat(backbone.featureShape()).isEqualTo(new Shape(8));
        }
    }

    @Test
    void torchScriptFileIsATrainableBackboneWithTorchvisionLayerNames() throws IOException {
        try (Backbone<float[]> backbone =
                Vision.torchScript(GOLDEN.resolve("tiny_resnet.pt"), TensorPipeline.of(SAMPLE), "MIT (test fixture)")) {
            assertThat(backbone.layers()).containsExactly("conv1", "bn1", "layer1", "layer2");
            assertThat(backbone.featureShape()).isEqualTo(new Shape(16));
            assertCloseToFixture(features(backbone), 1e-4);
        }
    }

    /** The backbone's eval-mode features of the formula input. */
    static float[] features(Backbone<float[]> backbone) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = backbone.instantiate(manager, 0);
            return block.forward(
                            new ParameterStore(manager, false),
                            new NDList(FormulaWeights.input(manager, new Shape(2, 3, 32, 32))),
                            false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    static void assertCloseToFixture(float[] actual, double relative) {
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(GOLDEN.resolve("tiny_resnet.json")))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        JsonArray rows = json.getAsJsonArray("features");
        double largest = 0;
        double worst = 0;
        int i = 0;
        for (int r = 0; r < rows.size(); r++) {
            for (var v : rows.get(r).getAsJsonArray()) {
                largest = Math.max(largest, Math.abs(v.getAsDouble()));
                worst = Math.max(worst, Math.abs(v.getAsDouble() - actual[i++]));
            }
        }
        assertThat(i).isEqualTo(actual.length);
        assertThat(largest).isGreaterThan(0.1);
        assertThat(worst / largest).isLessThan(relative);
    }

    private static void assertRoundedFrom(Map<String, NDArray> rounded, Map<String, NDArray> exact, double ulp) {
        assertThat(rounded.keySet()).containsExactlyElementsOf(exact.keySet());
        rounded.forEach((name, array) -> {
            assertThat(array.getDataType()).isEqualTo(DataType.FLOAT32);
            float[] r = array.toFloatArray();
            float[] e = exact.get(name).toFloatArray();
            boolean anyDifferent = false;
            for (int i = 0; i < r.length; i++) {
                assertThat((double) Math.abs(r[i] - e[i])).as(name).isLessThanOrEqualTo(Math.abs(e[i]) * ulp);
                anyDifferent |= r[i] != e[i];
            }
            if (List.of("conv1.weight", "layer2.0.conv2.weight").contains(name)) {
                assertThat(anyDifferent).as(name + " was rounded").isTrue();
            }
        });
    }
}
