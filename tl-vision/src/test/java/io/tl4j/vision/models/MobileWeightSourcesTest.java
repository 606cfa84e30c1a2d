package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.vision.Vision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new architectures through the weight sources users call: a safetensors file with
 * torchvision's names (F32 and F16) loads strictly into {@code Vision.torchvision(name)}, classifies
 * with ImageNet's labels and gives torchvision's logits (the frozen, folded network), and its backbone
 * drops only the last classifier layer.
 */
class MobileWeightSourcesTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/mobile");

    @Test
    void torchvisionNamedSafetensorsLoadAndGiveTorchvisionsLogits(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mobilenet_v3_small.safetensors");
        Path half = dir.resolve("mobilenet_v3_small_f16.safetensors");
        writeFormulaWeights(MobileNetV3.of(MobileNetV3.Size.SMALL, 1000), file, half);
        JsonObject golden = JsonParser.parseString(Files.readString(GOLDEN.resolve("golden_mobilenet_v3_small.json")))
                .getAsJsonObject()
                .getAsJsonArray("cases")
                .get(0)
                .getAsJsonObject();
        JsonArray expected = golden.getAsJsonArray("logits").get(0).getAsJsonArray();
        try (PretrainedModel model = Vision.torchvision("mobilenet_v3_small").weights(file, "test");
                PretrainedModel halfModel =
                        Vision.torchvision("mobilenet_v3_small").weights(half, "test");
                NDManager manager = NDManager.newBaseManager()) {
            assertThat(model.labels()).hasSize(1000).startsWith("tench");
            NDArray images = FormulaWeights.input(manager, new Shape(1, 3, 64, 64));
            float[] logits = model.logits(images).toFloatArray();
            float[] halfLogits = halfModel.logits(images).toFloatArray();
            double largest = 0;
            double worst = 0;
            double worstHalf = 0;
            for (int k = 0; k < expected.size(); k++) {
                double e = expected.get(k).getAsDouble();
                largest = Math.max(largest, Math.abs(e));
                worst = Math.max(worst, Math.abs(e - logits[k]));
                worstHalf = Math.max(worstHalf, Math.abs(e - halfLogits[k]));
            }
            assertThat(worst / largest).isLessThan(1e-4);
            assertThat(worstHalf / largest).isLessThan(2e-2); // F16 rounding of every weight
            try (Backbone<float[]> backbone = model.backbone(TensorPipeline.of(new Shape(3, 64, 64)))) {
                assertThat(backbone.layers()).startsWith("features.0").endsWith("avgpool", "classifier");
                assertThat(backbone.weights().keySet())
                        .contains("classifier.0.weight")
                        .noneMatch(k -> k.startsWith("classifier.3."));
            }
        }
    }

    private static void writeFormulaWeights(ImageArchitecture architecture, Path file, Path half) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = architecture.newBlock(manager);
            FormulaWeights.initializeWithZeros(block, manager, new Shape(1, 3, 32, 32));
            Map<String, NDArray> weights = FormulaWeights.forBlock(block, manager);
            SafeTensors.write(file, weights);
            Map<String, NDArray> halves = new LinkedHashMap<>();
            weights.forEach((name, array) -> halves.put(name, array.toType(DataType.FLOAT16, false)));
            SafeTensors.write(half, halves);
        }
    }
}
