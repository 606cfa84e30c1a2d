package io.tl4j.vision.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * timm's ConvNeXt-Tiny, EfficientNet-B0, MobileNetV3 and ViT-B/16 checkpoint names (as timm's {@code
 * convnext.py}, {@code efficientnet.py}, {@code mobilenetv3.py}, {@code _efficientnet_blocks.py} and
 * {@code vision_transformer.py} name their modules) map onto exactly torchvision's keys (the golden
 * fixtures' key lists), timm's architecture names onto torchvision's, and other checkpoints are left alone.
 */
class TimmNamesTest {

    private static final Path KEYS = Path.of("src/test/resources/golden/mobile");

    @Test
    void convNeXtTinyNamesBecomeTorchvisionsAndGammaItsLayerScaleShape() throws IOException {
        List<String> timm = new ArrayList<>(List.of("stem.0.weight", "stem.0.bias", "stem.1.weight", "stem.1.bias"));
        int[] depths = {3, 3, 9, 3};
        for (int s = 0; s < 4; s++) {
            if (s > 0) {
                for (String p : List.of("0.weight", "0.bias", "1.weight", "1.bias")) {
                    timm.add("stages." + s + ".downsample." + p);
                }
            }
            for (int b = 0; b < depths[s]; b++) {
                String block = "stages." + s + ".blocks." + b + ".";
                timm.add(block + "gamma");
                for (String part : List.of("conv_dw", "norm", "mlp.fc1", "mlp.fc2")) {
                    timm.add(block + part + ".weight");
                    timm.add(block + part + ".bias");
                }
            }
        }
        timm.addAll(List.of("head.norm.weight", "head.norm.bias", "head.fc.weight", "head.fc.bias"));
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> mapped = TimmNames.toTorchvision(placeholders(timm, manager));
            Map<String, Shape> torchvision = keys("convnext_tiny");
            assertThat(mapped.keySet()).containsExactlyInAnyOrderElementsOf(torchvision.keySet());
            assertThat(mapped.get("features.5.8.layer_scale").getShape())
                    .isEqualTo(torchvision.get("features.5.8.layer_scale"))
                    .isEqualTo(new Shape(384, 1, 1));
        }
    }

    @Test
    void efficientNetB0NamesBecomeTorchvisionsModuleByModule() throws IOException {
        List<String> timm = TimmCheckpoints.names(TimmCheckpoints.efficientNetB0());
        Map<String, String> expected =
                TimmCheckpoints.pairedWithTorchvision(timm, KEYS.resolve("keys_efficientnet_b0.txt"));
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> mapped = TimmNames.toTorchvision(placeholders(timm, manager));
            assertThat(mapped.keySet()).containsExactlyElementsOf(expected.values());
        }
    }

    @Test
    void mobileNetV3NamesBecomeTorchvisionsModuleByModuleWithTheHeadAsALinear() throws IOException {
        for (String model : List.of("mobilenet_v3_large", "mobilenet_v3_small")) {
            List<String> timm = TimmCheckpoints.names(
                    model.endsWith("large") ? TimmCheckpoints.mobileNetV3Large() : TimmCheckpoints.mobileNetV3Small());
            Map<String, String> expected =
                    TimmCheckpoints.pairedWithTorchvision(timm, KEYS.resolve("keys_" + model + ".txt"));
            try (NDManager manager = NDManager.newBaseManager()) {
                Map<String, NDArray> tensors = placeholders(timm, manager);
                tensors.put("conv_head.weight", manager.ones(new Shape(4, 6, 1, 1)));
                NDArray stem = tensors.get("conv_stem.weight");
                Map<String, NDArray> mapped = TimmNames.toTorchvision(tensors);
                // position by position: each timm module is the torchvision module at the same place
                assertThat(mapped.keySet()).as(model).containsExactlyElementsOf(expected.values());
                assertThat(mapped.get("features.0.0.weight")).isSameAs(stem);
                assertThat(mapped.get("classifier.0.weight").getShape()).isEqualTo(new Shape(4, 6));
                // BatchNorm epsilon 1e-5 (timm) -> 1e-3 (torchvision): running_var + 1e-3 == timm's + 1e-5
                String lastBn = model.endsWith("large") ? "features.16.1.running_var" : "features.12.1.running_var";
                assertThat(mapped.get(lastBn).getFloat(0)).isEqualTo(1e-5f - 1e-3f);
                assertThat(mapped.get("features.0.1.running_mean").getFloat(0)).isZero();
            }
        }
    }

    @Test
    void timmsShapesFromItsArchDefsAreTorchvisionsAfterMapping() throws IOException {
        // the same networks, not only the same names: every tensor timm's arch_def and channel rounding make
        // (expansions 4.5, 3.67, 2.3; squeeze-excitation widths) has torchvision's shape once mapped
        Map<String, Map<String, Shape>> models = Map.of(
                "mobilenet_v3_large", TimmCheckpoints.mobileNetV3Large(),
                "mobilenet_v3_small", TimmCheckpoints.mobileNetV3Small(),
                "efficientnet_b0", TimmCheckpoints.efficientNetB0());
        for (Map.Entry<String, Map<String, Shape>> model : models.entrySet()) {
            Map<String, Shape> torchvision =
                    TimmCheckpoints.torchvisionShapes(KEYS.resolve("keys_" + model.getKey() + ".txt"));
            try (NDManager manager = NDManager.newBaseManager()) {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                model.getValue().forEach((name, shape) -> tensors.put(name, manager.zeros(shape)));
                Map<String, Shape> mapped = new LinkedHashMap<>();
                TimmNames.toTorchvision(tensors).forEach((name, array) -> mapped.put(name, array.getShape()));
                assertThat(mapped).as(model.getKey()).isEqualTo(torchvision);
            }
        }
    }

    @Test
    void timmArchitectureNamesBecomeTorchvisionsAndLookAlikesAreRefused() {
        assertThat(TimmNames.torchvisionArchitecture("mobilenetv3_large_100")).isEqualTo("mobilenet_v3_large");
        assertThat(TimmNames.torchvisionArchitecture("mobilenetv3_small_100")).isEqualTo("mobilenet_v3_small");
        assertThat(TimmNames.torchvisionArchitecture("vit_base_patch16_224")).isEqualTo("vit_b_16");
        assertThat(TimmNames.torchvisionArchitecture("efficientnet_b0")).isEqualTo("efficientnet_b0");
        assertThat(TimmNames.torchvisionArchitecture("resnet50")).isEqualTo("resnet50");
        assertThatThrownBy(() -> TimmNames.torchvisionArchitecture("tf_efficientnet_b0"))
                .hasMessageContaining("TensorFlow port")
                .hasMessageContaining("efficientnet_b0");
        assertThatThrownBy(() -> TimmNames.torchvisionArchitecture("mobilenetv3_large_075"))
                .hasMessageContaining("not torchvision's MobileNetV3")
                .hasMessageContaining("mobilenetv3_large_100");
    }

    @Test
    void otherCheckpointsAreLeftAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> resnet = placeholders(List.of("conv1.weight", "bn1.weight", "fc.weight"), manager);
            assertThat(TimmNames.toTorchvision(resnet)).isSameAs(resnet);
        }
    }

    @Test
    void vitB16NamesBecomeTorchvisionsAndAGlobalPoolVitIsLeftAlone() throws IOException {
        // as timm's vision_transformer.py names a class-token ViT-B/16's modules
        List<String> timm =
                new ArrayList<>(List.of("cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias"));
        for (int b = 0; b < 12; b++) {
            for (String part : List.of("norm1", "attn.qkv", "attn.proj", "norm2", "mlp.fc1", "mlp.fc2")) {
                timm.add("blocks." + b + "." + part + ".weight");
                timm.add("blocks." + b + "." + part + ".bias");
            }
        }
        timm.addAll(List.of("norm.weight", "norm.bias", "head.weight", "head.bias"));
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = placeholders(timm, manager);
            NDArray qkv = tensors.get("blocks.7.attn.qkv.weight");
            Map<String, NDArray> mapped = TimmNames.toTorchvision(tensors);
            assertThat(mapped.keySet()).containsExactlyInAnyOrderElementsOf(vitKeys("vit_b_16"));
            assertThat(mapped.get("encoder.layers.encoder_layer_7.self_attention.in_proj_weight"))
                    .isSameAs(qkv);

            Map<String, NDArray> globalPool = placeholders(
                    List.of("cls_token", "blocks.0.attn.qkv.weight", "fc_norm.weight", "head.weight"), manager);
            assertThat(TimmNames.toTorchvision(globalPool)).isSameAs(globalPool);
        }
    }

    /** The torchvision keys of one model in the ViT golden fixtures' key list. */
    private static List<String> vitKeys(String model) throws IOException {
        List<String> keys = new ArrayList<>();
        boolean inModel = false;
        for (String line : Files.readAllLines(Path.of("src/test/resources/golden/vit/vit_keys.txt"))) {
            if (line.startsWith("## ")) {
                inModel = line.equals("## " + model);
            } else if (inModel && !line.isBlank()) {
                keys.add(line.split(" ")[0]);
            }
        }
        assertThat(keys).isNotEmpty();
        return keys;
    }

    /** One small array per name; a layer-scale {@code gamma} gets its channels, as in timm. */
    private static Map<String, NDArray> placeholders(List<String> names, NDManager manager) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (String name : names) {
            long channels = name.startsWith("stages.2.") ? 384 : 8;
            tensors.put(
                    name, name.endsWith(".gamma") ? manager.ones(new Shape(channels)) : manager.zeros(new Shape(1)));
        }
        return tensors;
    }

    private static Map<String, Shape> keys(String model) throws IOException {
        return Files.readAllLines(KEYS.resolve("keys_" + model + ".txt")).stream()
                .map(line -> line.split(" "))
                .filter(parts -> !parts[0].endsWith(".num_batches_tracked"))
                .collect(Collectors.toMap(
                        parts -> parts[0],
                        parts -> new Shape(java.util.Arrays.stream(parts[1].split(","))
                                .mapToLong(Long::parseLong)
                                .toArray()),
                        (a, b) -> a,
                        LinkedHashMap::new));
    }
}
