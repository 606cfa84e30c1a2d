package io.tl4j.vision.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * timm checkpoints' tensor names in module order, written from timm's code ({@code mobilenetv3.py}'s and
 * {@code efficientnet.py}'s {@code arch_def}s, the modules of {@code _efficientnet_blocks.py}'s {@code
 * DepthwiseSeparableConv}, {@code InvertedResidual}, {@code ConvBnAct} and {@code SqueezeExcite}), and their
 * pairing with torchvision's keys of the golden fixtures, which list the same modules in the same order.
 */
public final class TimmCheckpoints {

    private static final List<String> BN = List.of("weight", "bias", "running_mean", "running_var");

    private TimmCheckpoints() {}

    /**
     * {@code mobilenetv3_large_100}'s names: stages {@code ds_r1_k3_s1_e1_c16_nre}; {@code ir} x2; {@code ir}
     * x3 with SE; {@code ir} x4; {@code ir} x2 with SE; {@code ir} x3 with SE; {@code cn_r1_k1_s1_c960}; then
     * the efficient head ({@code conv_head} with bias, {@code classifier}).
     *
     * @return the names in module order
     */
    public static List<String> mobileNetV3Large() {
        List<String> names = stem();
        addAll(names, "blocks.0.0.", "conv_dw", "bn1", "conv_pw", "bn2");
        invertedResiduals(names, 1, 2, false);
        invertedResiduals(names, 2, 3, true);
        invertedResiduals(names, 3, 4, false);
        invertedResiduals(names, 4, 2, true);
        invertedResiduals(names, 5, 3, true);
        addAll(names, "blocks.6.0.", "conv", "bn1");
        return head(names);
    }

    /**
     * {@code mobilenetv3_small_100}'s names: stages {@code ds_r1_k3_s2_e1_c16_se0.25_nre}; {@code ir} x2;
     * {@code ir} x3 with SE; {@code ir} x2 with SE; {@code ir} x3 with SE; {@code cn_r1_k1_s1_c576}; head.
     *
     * @return the names in module order
     */
    public static List<String> mobileNetV3Small() {
        List<String> names = stem();
        addAll(names, "blocks.0.0.", "conv_dw", "bn1", "se", "conv_pw", "bn2");
        invertedResiduals(names, 1, 2, false);
        invertedResiduals(names, 2, 3, true);
        invertedResiduals(names, 3, 2, true);
        invertedResiduals(names, 4, 3, true);
        addAll(names, "blocks.5.0.", "conv", "bn1");
        return head(names);
    }

    /**
     * {@code efficientnet_b0}'s names: {@code ds} with SE; {@code ir} stages of 2, 2, 3, 3, 4, 1 blocks, all
     * with SE; {@code conv_head}, {@code bn2}, {@code classifier}.
     *
     * @return the names in module order
     */
    public static List<String> efficientNetB0() {
        List<String> names = stem();
        addAll(names, "blocks.0.0.", "conv_dw", "bn1", "se", "conv_pw", "bn2");
        int[] blocks = {2, 2, 3, 3, 4, 1};
        for (int s = 1; s <= 6; s++) {
            invertedResiduals(names, s, blocks[s - 1], true);
        }
        names.add("conv_head.weight");
        BN.forEach(p -> names.add("bn2." + p));
        names.addAll(List.of("classifier.weight", "classifier.bias"));
        return names;
    }

    /**
     * Pairs timm's names with torchvision's keys of the same modules, position by position.
     *
     * @param timm timm's names in module order
     * @param keysFile a golden key list ({@code name shape} per line, BatchNorm counters included)
     * @return torchvision's name by timm's, in order
     * @throws IOException when the key list cannot be read
     */
    public static Map<String, String> pairedWithTorchvision(List<String> timm, Path keysFile) throws IOException {
        List<String> torchvision = Files.readAllLines(keysFile).stream()
                .map(line -> line.split(" ")[0])
                .filter(name -> !name.isBlank() && !name.endsWith(".num_batches_tracked"))
                .toList();
        assertThat(timm).hasSameSizeAs(torchvision);
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < timm.size(); i++) {
            pairs.put(timm.get(i), torchvision.get(i));
        }
        return pairs;
    }

    private static List<String> stem() {
        List<String> names = new ArrayList<>(List.of("conv_stem.weight"));
        BN.forEach(p -> names.add("bn1." + p));
        return names;
    }

    private static List<String> head(List<String> names) {
        names.addAll(List.of("conv_head.weight", "conv_head.bias", "classifier.weight", "classifier.bias"));
        return names;
    }

    private static void invertedResiduals(List<String> names, int stage, int count, boolean se) {
        for (int b = 0; b < count; b++) {
            String prefix = "blocks." + stage + "." + b + ".";
            if (se) {
                addAll(names, prefix, "conv_pw", "bn1", "conv_dw", "bn2", "se", "conv_pwl", "bn3");
            } else {
                addAll(names, prefix, "conv_pw", "bn1", "conv_dw", "bn2", "conv_pwl", "bn3");
            }
        }
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
}
