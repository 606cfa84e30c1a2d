package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Backbone;
import io.tl4j.core.Prediction;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.vision.Vision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade: ImageNet classification with labels, backbones, their layers and feature shapes. */
class VisionTest {

    @Test
    void imagenetWeightsClassifyWithTorchvisionsLabelsAndDropTheirHeadAsABackbone(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("resnet18.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Vision.resnet18().architecture().newBlock(manager);
            FormulaWeights.initializeWithZeros(block, manager, new Shape(1, 3, 64, 64));
            SafeTensors.write(file, FormulaWeights.forBlock(block, manager));
        }
        JsonObject golden = JsonParser.parseString(Files.readString(Path.of("src/test/resources/golden/logits.json")))
                .getAsJsonObject()
                .getAsJsonArray("cases")
                .get(0)
                .getAsJsonObject();
        assertThat(golden.get("model").getAsString()).isEqualTo("resnet18");
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel resnet = Vision.resnet18().weights(file, "test formula")) {
            assertThat(resnet.labels()).hasSize(1000).startsWith("tench", "goldfish");
            List<List<Prediction>> top3 = resnet.classify(FormulaWeights.input(manager, new Shape(2, 3, 64, 64)), 3);
            assertThat(top3).hasSize(2);
            for (int image = 0; image < 2; image++) {
                JsonArray logits = golden.getAsJsonArray("logits").get(image).getAsJsonArray();
                int best = 0;
                double sum = 0;
                for (int k = 0; k < 1000; k++) {
                    if (logits.get(k).getAsDouble() > logits.get(best).getAsDouble()) {
                        best = k;
                    }
                }
                for (int k = 0; k < 1000; k++) {
                    sum += Math.exp(
                            logits.get(k).getAsDouble() - logits.get(best).getAsDouble());
                }
                Prediction first = top3.get(image).get(0);
                assertThat(first.index()).isEqualTo(best);
                assertThat(first.label()).isEqualTo(ImageNetLabels.all().get(best));
                assertThat((double) first.probability()).isCloseTo(1 / sum, org.assertj.core.data.Offset.offset(1e-5));
                assertThat(top3.get(image).get(1).probability()).isLessThanOrEqualTo(first.probability());
            }
            try (Backbone<float[]> backbone = resnet.backbone(TensorPipeline.of(new Shape(3, 64, 64)))) {
                assertThat(backbone.featureShape()).isEqualTo(new Shape(512));
                assertThat(backbone.layers())
                        .containsExactly(
                                "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool");
                assertThat(backbone.weights())
                        .containsKey("layer4.1.bn2.running_mean")
                        .doesNotContainKeys("fc.weight", "fc.bias");
                NDArray conv1 = backbone.weights().get("conv1.weight");
                assertThat(conv1.toFloatArray())
                        .containsExactly(resnet.weights().get("conv1.weight").toFloatArray());
                assertThat(backbone.provenance().licence()).isEqualTo("test formula");
            }
        }
    }

    @Test
    void featuresArePooledAtAnyInputOf32PixelsOrMore() {
        for (int size : new int[] {32, 224}) {
            try (Backbone<float[]> resnet =
                            Vision.resnet50().untrainedBackbone(TensorPipeline.of(new Shape(3, size, size)));
                    Backbone<float[]> vgg =
                            Vision.vgg(11, false).untrainedBackbone(TensorPipeline.of(new Shape(3, size, size)))) {
                assertThat(resnet.featureShape()).as("resnet50 at %d", size).isEqualTo(new Shape(2048));
                assertThat(vgg.featureShape()).as("vgg11 at %d", size).isEqualTo(new Shape(4096));
                assertThat(vgg.layers()).containsExactly("features", "avgpool", "classifier");
            }
        }
        try (Backbone<float[]> resnet18 =
                Vision.resnet18().untrainedBackbone(TensorPipeline.of(new Shape(3, 45, 61)))) {
            assertThat(resnet18.featureShape()).isEqualTo(new Shape(512));
        }
    }

    @Test
    void freezeUntilAcceptsEveryLayerNameAndSuggestsTheNearestForATypo() {
        try (Backbone<float[]> resnet = Vision.resnet18().untrainedBackbone(TensorPipeline.of(new Shape(3, 32, 32)))) {
            for (String layer : resnet.layers()) {
                assertThat(TransferLearner.from(resnet).freezeUntil(layer)).isNotNull();
            }
            assertThatThrownBy(() -> TransferLearner.from(resnet).freezeUntil("layer5"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Unknown layer 'layer5'")
                    .hasMessageContaining("did you mean 'layer");
            assertThatThrownBy(() -> TransferLearner.from(resnet).freezeUntil("fc"))
                    .hasMessageContaining("Unknown layer 'fc'");
        }
    }

    @Test
    void unknownTorchvisionNamesAreListed() {
        assertThatThrownBy(() -> Vision.torchvision("resnet20"))
                .hasMessageContaining("Unknown torchvision model " + "'resnet20'; known: [resnet18, resnet34");
        assertThatThrownBy(() -> Vision.vgg(12, true)).hasMessageContaining("vgg12_bn");
        assertThat(Vision.vgg(16, true).architecture())
                .isInstanceOf(Vgg.class)
                .satisfies(a -> assertThat(((Vgg) a).batchNorm()).isTrue());
    }

    @Test
    void adaptivePoolingBinsArePyTorchs() {
        // 3 rows into 7 bins: PyTorch's bins are [0,1) [0,1) [0,2) [1,2) [1,3) [2,3) [2,3)
        float[] m = AdaptiveAvgPool2d.binMatrix(7, 3);
        assertThat(m).containsExactly(1, 0, 0, 1, 0, 0, .5f, .5f, 0, 0, 1, 0, 0, .5f, .5f, 0, 0, 1, 0, 0, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(12f).reshape(1, 1, 3, 4);
            AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(2, 3);
            pool.initialize(manager, DataType.FLOAT32, x.getShape());
            NDArray y = pool.forward(
                            new ai.djl.training.ParameterStore(manager, false), new ai.djl.ndarray.NDList(x), false)
                    .singletonOrThrow();
            // rows [0,2) and [1,3); columns [0,2) [1,3) [2,4)
            assertThat(y.toFloatArray()).containsExactly(2.5f, 3.5f, 4.5f, 6.5f, 7.5f, 8.5f);
        }
    }
}
