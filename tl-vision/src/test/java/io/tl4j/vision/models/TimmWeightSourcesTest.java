package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.WeightFileException;
import io.tl4j.vision.Vision;
import io.tl4j.vision.weights.TimmCheckpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * timm checkpoints of MobileNetV3 and EfficientNet-B0 through the weight sources users call: the golden
 * formula weights, written under timm's names (as timm's code names the modules) and in timm's form, load
 * strictly into torchvision's network and hold torchvision's arrays; a timm MobileNetV3 directory gives
 * torchvision 0.14.1's logits; a TensorFlow port's directory is refused.
 */
class TimmWeightSourcesTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/mobile");

    @Test
    void aTimmMobileNetV3DirectoryLoadsAsTorchvisionsNetworkAndGivesItsLogits(@TempDir Path dir) throws IOException {
        Map<String, String> torchvisionByTimm = TimmCheckpoints.pairedWithTorchvision(
                TimmCheckpoints.names(TimmCheckpoints.mobileNetV3Small()),
                GOLDEN.resolve("keys_mobilenet_v3_small.txt"));
        Path model = Files.createDirectories(dir.resolve("mobilenetv3_small_100.lamb_in1k"));
        Files.writeString(
                model.resolve("config.json"), "{\"architecture\": \"mobilenetv3_small_100\", \"num_classes\": 1000}");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> formula = formulaWeights(MobileNetV3.of(MobileNetV3.Size.SMALL, 1000), manager);
            // what a timm network (BatchNorm epsilon 1e-5) computing the same function holds: its head
            // convolution 4-D, each running variance larger by 0.001 - 0.00001
            Map<String, NDArray> timm = new LinkedHashMap<>();
            torchvisionByTimm.forEach((timmName, torchvisionName) -> {
                NDArray array = formula.get(torchvisionName);
                if (timmName.equals("conv_head.weight")) {
                    array = array.reshape(
                            array.getShape().get(0), array.getShape().get(1), 1, 1);
                } else if (timmName.endsWith(".running_var")) {
                    array = array.add(1e-3f - 1e-5f);
                }
                timm.put(timmName, array);
            });
            SafeTensors.write(model.resolve("model.safetensors"), timm);

            try (PretrainedModel loaded = Vision.fromHuggingFace(model, "Apache-2.0")) {
                assertThat(loaded.labels()).hasSize(1000);
                assertSameWeights(loaded.weights(), formula);
                NDArray images = FormulaWeights.input(manager, new Shape(1, 3, 64, 64));
                JsonArray expected = JsonParser.parseString(
                                Files.readString(GOLDEN.resolve("golden_mobilenet_v3_small.json")))
                        .getAsJsonObject()
                        .getAsJsonArray("cases")
                        .get(0)
                        .getAsJsonObject()
                        .getAsJsonArray("logits")
                        .get(0)
                        .getAsJsonArray();
                float[] logits = loaded.logits(images).toFloatArray();
                double largest = 0;
                double worst = 0;
                for (int k = 0; k < expected.size(); k++) {
                    double e = expected.get(k).getAsDouble();
                    largest = Math.max(largest, Math.abs(e));
                    worst = Math.max(worst, Math.abs(e - logits[k]));
                }
                assertThat(worst / largest).isLessThan(1e-4);
            }
        }
    }

    @Test
    void aTimmMobileNetV3LargeFileLoadsTorchvisionsArrays(@TempDir Path dir) throws IOException {
        Map<String, String> torchvisionByTimm = TimmCheckpoints.pairedWithTorchvision(
                TimmCheckpoints.names(TimmCheckpoints.mobileNetV3Large()),
                GOLDEN.resolve("keys_mobilenet_v3_large.txt"));
        Path file = dir.resolve("mobilenetv3_large_100.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> formula = formulaWeights(MobileNetV3.of(MobileNetV3.Size.LARGE, 1000), manager);
            Map<String, NDArray> timm = new LinkedHashMap<>();
            torchvisionByTimm.forEach((timmName, torchvisionName) -> {
                NDArray array = formula.get(torchvisionName);
                timm.put(
                        timmName,
                        timmName.equals("conv_head.weight")
                                ? array.reshape(
                                        array.getShape().get(0),
                                        array.getShape().get(1),
                                        1,
                                        1)
                                : timmName.endsWith(".running_var") ? array.add(1e-3f - 1e-5f) : array);
            });
            SafeTensors.write(file, timm);
            try (PretrainedModel loaded =
                    Vision.torchvision("mobilenet_v3_large").weights(file, "Apache-2.0")) {
                assertSameWeights(loaded.weights(), formula);
            }
        }
    }

    @Test
    void aTimmEfficientNetB0FileLoadsTorchvisionsArrays(@TempDir Path dir) throws IOException {
        Map<String, String> torchvisionByTimm = TimmCheckpoints.pairedWithTorchvision(
                TimmCheckpoints.names(TimmCheckpoints.efficientNetB0()), GOLDEN.resolve("keys_efficientnet_b0.txt"));
        Path file = dir.resolve("efficientnet_b0.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> formula = formulaWeights(EfficientNet.of(0, 1000), manager);
            Map<String, NDArray> timm = new LinkedHashMap<>();
            torchvisionByTimm.forEach((timmName, torchvisionName) -> timm.put(timmName, formula.get(torchvisionName)));
            SafeTensors.write(file, timm);
            try (PretrainedModel loaded = Vision.torchvision("efficientnet_b0").weights(file, "Apache-2.0")) {
                Map<String, NDArray> weights = loaded.weights();
                assertThat(weights.keySet()).containsExactlyInAnyOrderElementsOf(formula.keySet());
                formula.forEach((name, array) -> assertThat(weights.get(name).contentEquals(array))
                        .as(name)
                        .isTrue());
            }
        }
    }

    @Test
    void aTensorFlowPortsDirectoryIsRefusedNamingWhy(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"architecture\": \"tf_mobilenetv3_large_100\"}");
        SafeTensors.write(dir.resolve("model.safetensors"), Map.of());
        for (Runnable load : List.<Runnable>of(
                () -> Vision.torchvision("mobilenet_v3_large").weights(dir),
                () -> Vision.fromHuggingFace(dir, "Apache-2.0"))) {
            assertThatThrownBy(load::run)
                    .isInstanceOf(WeightFileException.class)
                    .hasMessageContaining("config.json")
                    .hasMessageContaining("tf_mobilenetv3_large_100 is a TensorFlow port")
                    .hasMessageContaining("mobilenetv3_large_100");
        }
    }

    /** The formula's weights of a network, by torchvision name. */
    private static Map<String, NDArray> formulaWeights(ImageArchitecture architecture, NDManager manager) {
        Block block = architecture.newBlock(manager);
        FormulaWeights.initializeWithZeros(block, manager, new Shape(1, 3, 32, 32));
        return FormulaWeights.forBlock(block, manager);
    }

    /** Every array as the formula made it; running variances within float rounding of the 0.00099 shift. */
    private static void assertSameWeights(Map<String, NDArray> loaded, Map<String, NDArray> formula) {
        assertThat(loaded.keySet()).containsExactlyInAnyOrderElementsOf(formula.keySet());
        formula.forEach((name, array) -> {
            if (name.endsWith(".running_var")) {
                assertThat(loaded.get(name).allClose(array, 0, 1e-6, false))
                        .as(name)
                        .isTrue();
            } else {
                assertThat(loaded.get(name).contentEquals(array)).as(name).isTrue();
            }
        });
    }
}
