package io.tl4j.vision.weights;

import static org.assertj.core.api.Assertions.assertThat;

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
 * timm's ConvNeXt-Tiny and EfficientNet-B0 checkpoint names (as timm's {@code convnext.py} and
 * {@code _efficientnet_blocks.py} name their modules) map onto exactly torchvision's keys (the golden
 * fixtures' key lists), and other checkpoints are left alone.
 */
class TimmNamesTest {

    private static final Path KEYS = Path.of("src/test/resources/golden/mobile");
    private static final List<String> BN = List.of("weight", "bias", "running_mean", "running_var");

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
    void efficientNetB0NamesBecomeTorchvisions() throws IOException {
        List<String> timm = new ArrayList<>(List.of("conv_stem.weight"));
        BN.forEach(p -> timm.add("bn1." + p));
        addAll(timm, "blocks.0.0.", "conv_dw", "bn1", "se", "conv_pw", "bn2");
        int[] blocks = {2, 2, 3, 3, 4, 1};
        for (int s = 1; s <= 6; s++) {
            for (int b = 0; b < blocks[s - 1]; b++) {
                addAll(
                        timm,
                        "blocks." + s + "." + b + ".",
                        "conv_pw",
                        "bn1",
                        "conv_dw",
                        "bn2",
                        "se",
                        "conv_pwl",
                        "bn3");
            }
        }
        timm.add("conv_head.weight");
        BN.forEach(p -> timm.add("bn2." + p));
        timm.addAll(List.of("classifier.weight", "classifier.bias"));
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> mapped = TimmNames.toTorchvision(placeholders(timm, manager));
            assertThat(mapped.keySet())
                    .containsExactlyInAnyOrderElementsOf(keys("efficientnet_b0").keySet());
        }
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

    /** timm's parts of a block: convolutions (weight only), BatchNorms, squeeze-excitation. */
    private static void addAll(List<String> names, String prefix, String... parts) {
        for (String part : parts) {
            if (part.startsWith("bn")) {
                BN.forEach(p -> names.add(prefix + part + "." + p));
            } else if (part.equals("se")) {
                for (String p :
                        List.of("conv_reduce.weight", "conv_reduce.bias", "conv_expand.weight", "conv_expand.bias")) {
                    names.add(prefix + "se." + p);
                }
            } else {
                names.add(prefix + part + ".weight");
            }
        }
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
