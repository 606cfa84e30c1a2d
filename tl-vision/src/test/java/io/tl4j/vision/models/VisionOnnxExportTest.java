package io.tl4j.vision.models;

import static io.tl4j.vision.models.TransferFixtures.formulaBackbone;
import static io.tl4j.vision.models.TransferFixtures.twoClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Backbone;
import io.tl4j.core.Head;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import io.tl4j.vision.data.FashionMnistResNet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trained ResNets (basic and bottleneck blocks, both stems, partly or wholly trained so that the
 * BatchNorm statistics moved) and a VGG with BatchNorm exported to ONNX give on ONNX Runtime the
 * logits tl4j computes, within 1e-4, at two batch sizes; {@code optimizeForInference()} then serves
 * the same probabilities; a saved and reloaded model exports the same.
 */
class VisionOnnxExportTest {

    private static final Offset<Float> SAME = Offset.offset(1e-4f);

    /**
     * A backbone, how much of it trains, and whether the case also saves and reloads the model (VGG's
     * 120 M parameters make that slow).
     */
    private record Case(
            String name,
            Shape sample,
            Function<NDManager, Backbone<float[]>> backbone,
            Function<TransferLearner<float[]>, TransferLearner<float[]>> freezing,
            boolean reload) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        Shape rgb = new Shape(3, 40, 36);
        Shape gray = new Shape(1, 20, 20);
        ResNet basic = ResNet.builder()
                .setBlockType(BlockType.BASIC)
                .setBlocksPerStage(2, 1, 1)
                .optBaseWidth(4)
                .build();
        ResNet bottleneck = ResNet.builder()
                .setBlockType(BlockType.BOTTLENECK)
                .setBlocksPerStage(1, 2)
                .optBaseWidth(4)
                .optSmallImageStem(true)
                .build();
        return Stream.of(
                Arguments.of(new Case(
                        "basic ResNet, layer1 frozen",
                        rgb,
                        m -> untrained(basic, rgb),
                        learner -> learner.freezeUntil("layer2"),
                        true)),
                Arguments.of(new Case(
                        "bottleneck ResNet, small stem, all trained",
                        gray,
                        m -> untrained(bottleneck, gray),
                        TransferLearner::unfreezeAll,
                        true)),
                Arguments.of(new Case(
                        "VGG-11 with BatchNorm, formula weights, frozen",
                        new Shape(3, 32, 32),
                        m -> formulaBackbone(Vgg.of(11, true, 0), new Shape(3, 32, 32), m),
                        TransferLearner::freezeAll,
                        false)),
                Arguments.of(new Case(
                        "shipped Fashion-MNIST ResNet, frozen",
                        new Shape(1, 28, 28),
                        m -> FashionMnistResNet.backbone(),
                        TransferLearner::freezeAll,
                        true)));
    }

    private static Backbone<float[]> untrained(ResNet architecture, Shape sample) {
        return Backbone.<float[]>builder()
                .setArchitecture(architecture)
                .setPipeline(TensorPipeline.of(sample))
                .build();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void onnxRuntimeGivesTl4jsLogitsAndServesItsProbabilities(Case c, @TempDir Path dir) throws Exception {
        LabeledData<float[]> data = twoClasses(c.sample(), 16);
        List<float[]> five = data.inputs().subList(0, 5);
        List<float[]> two = data.inputs().subList(5, 7);
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> backbone = c.backbone().apply(manager);
                TransferModel<float[]> model = c.freezing()
                        .apply(TransferLearner.from(backbone))
                        .head(Head.mlp(6))
                        .epochs(2)
                        .batchSize(8)
                        .learningRate(0.01f)
                        .seed(5)
                        .progressBar(false)
                        .fit(data)) {
            Path file = dir.resolve("model.onnx");
            model.exportOnnx(file);
            try (OnnxRuntimeImages ort = new OnnxRuntimeImages(file)) {
                assertSameScores(ort.logits(model.pipeline(), five), model.logits(five));
                assertSameScores(ort.logits(model.pipeline(), two), model.logits(two));
            }
            float[][] engine = model.probabilities(five);
            assertThat(model.optimizeForInference()).isTrue();
            assertSameScores(model.probabilities(five), engine);
            if (!c.reload()) {
                return;
            }
            model.save(dir.resolve("saved"));
            try (TransferModel<float[]> loaded = TransferModel.load(dir.resolve("saved"))) {
                Path again = dir.resolve("reloaded.onnx");
                loaded.exportOnnx(again);
                try (OnnxRuntimeImages ort = new OnnxRuntimeImages(again)) {
                    assertSameScores(ort.logits(loaded.pipeline(), two), model.logits(two));
                }
            }
        }
    }

    private static void assertSameScores(float[][] actual, float[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("image %d", i).containsExactly(expected[i], SAME);
        }
        assertThat(expected[0][0]).as("a trained head gives non-zero scores").isNotZero();
    }

    @Test
    void aMissingWeightIsNamedAndABatchMustBeImages() {
        ResNet resnet = ResNet.builder().setDepth(18).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> stemOnly = Map.of("conv1.weight", manager.zeros(new Shape(64, 3, 7, 7)));
            assertThatThrownBy(() -> resnet.writeOnnx(new OnnxGraphBuilder("g"), stemOnly))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has no weight bn1.weight");
            assertThatThrownBy(() -> resnet.onnxInputs(new NDList(manager.zeros(new Shape(2, 3, 8)))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(batch, channels, height, width)")
                    .hasMessageContaining("(2, 3, 8)");
        }
    }
}
