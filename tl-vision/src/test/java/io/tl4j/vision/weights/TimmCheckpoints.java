package io.tl4j.vision.weights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * timm checkpoints' tensor names and shapes in module order, derived from timm's code: the {@code arch_def} strings
 * of {@code mobilenetv3.py}'s {@code _gen_mobilenet_v3} and {@code efficientnet.py}'s {@code _gen_efficientnet},
 * decoded as {@code _efficientnet_builder.py} decodes them ({@code ds}/{@code ir}/{@code cn}, repeats, kernel,
 * expansion, output channels, squeeze-excitation ratio), with the modules {@code _efficientnet_blocks.py}'s {@code
 * DepthwiseSeparableConv}, {@code InvertedResidual}, {@code ConvBnAct} and {@code SqueezeExcite} create and the
 * channel rounding of {@code make_divisible}; and their pairing with the golden fixtures' torchvision keys, which
 * list the same modules in the same order.
 */
public final class TimmCheckpoints {

    private static final List<String> BN = List.of("weight", "bias", "running_mean", "running_var");
    private static final Pattern BLOCK =
            Pattern.compile("(ds|ir|cn)_r(\\d+)_k(\\d+)_s\\d+(?:_e([\\d.]+))?_c(\\d+)(?:_se([\\d.]+))?(?:_nre)?");

    /** {@code mobilenetv3_large_100}'s {@code arch_def}, as in timm's {@code mobilenetv3.py}. */
    private static final String[][] MOBILENET_V3_LARGE = {
        {"ds_r1_k3_s1_e1_c16_nre"},
        {"ir_r1_k3_s2_e4_c24_nre", "ir_r1_k3_s1_e3_c24_nre"},
        {"ir_r3_k5_s2_e3_c40_se0.25_nre"},
        {"ir_r1_k3_s2_e6_c80", "ir_r1_k3_s1_e2.5_c80", "ir_r2_k3_s1_e2.3_c80"},
        {"ir_r2_k3_s1_e6_c112_se0.25"},
        {"ir_r3_k5_s2_e6_c160_se0.25"},
        {"cn_r1_k1_s1_c960"}
    };

    /** {@code mobilenetv3_small_100}'s {@code arch_def}. */
    private static final String[][] MOBILENET_V3_SMALL = {
        {"ds_r1_k3_s2_e1_c16_se0.25_nre"},
        {"ir_r1_k3_s2_e4.5_c24_nre", "ir_r1_k3_s1_e3.67_c24_nre"},
        {"ir_r1_k5_s2_e4_c40_se0.25", "ir_r2_k5_s1_e6_c40_se0.25"},
        {"ir_r2_k5_s1_e3_c48_se0.25"},
        {"ir_r3_k5_s2_e6_c96_se0.25"},
        {"cn_r1_k1_s1_c576"}
    };

    /** {@code efficientnet_b0}'s {@code arch_def} (depth and width multipliers 1). */
    private static final String[][] EFFICIENTNET_B0 = {
        {"ds_r1_k3_s1_e1_c16_se0.25"},
        {"ir_r2_k3_s2_e6_c24_se0.25"},
        {"ir_r2_k5_s2_e6_c40_se0.25"},
        {"ir_r3_k3_s2_e6_c80_se0.25"},
        {"ir_r3_k5_s1_e6_c112_se0.25"},
        {"ir_r4_k5_s2_e6_c192_se0.25"},
        {"ir_r1_k3_s1_e6_c320_se0.25"}
    };

    private TimmCheckpoints() {}

    /**
     * {@code mobilenetv3_large_100}'s tensors: stem of 16, the stages, the efficient head ({@code conv_head} 1x1 to
     * 1280 with bias, after pooling) and {@code classifier}. Squeeze-excitation widths follow timm's MobileNetV3:
     * {@code round_channels(mid * 0.25)} of the expanded channels ({@code se_from_exp}).
     *
     * @return shapes by name, in module order
     */
    public static Map<String, Shape> mobileNetV3Large() {
        return mobileNetV3(MOBILENET_V3_LARGE, 1280);
    }

    /**
     * {@code mobilenetv3_small_100}'s tensors (head of 1024).
     *
     * @return shapes by name, in module order
     */
    public static Map<String, Shape> mobileNetV3Small() {
        return mobileNetV3(MOBILENET_V3_SMALL, 1024);
    }

    /**
     * {@code efficientnet_b0}'s tensors: stem of 32, the stages (squeeze-excitation from the block's input: {@code
     * round(mid * 0.25 / exp_ratio)}), {@code conv_head} 1x1 to 1280 without bias, {@code bn2}, {@code classifier}.
     *
     * @return shapes by name, in module order
     */
    public static Map<String, Shape> efficientNetB0() {
        Map<String, Shape> tensors = new LinkedHashMap<>();
        int in = stem(tensors, 32);
        in = stages(tensors, EFFICIENTNET_B0, in, false);
        tensors.put("conv_head.weight", new Shape(1280, in, 1, 1));
        bn(tensors, "bn2", 1280);
        tensors.put("classifier.weight", new Shape(1000, 1280));
        tensors.put("classifier.bias", new Shape(1000));
        return tensors;
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
        List<String> torchvision = torchvisionShapes(keysFile).keySet().stream().toList();
        assertThat(timm).hasSameSizeAs(torchvision);
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < timm.size(); i++) {
            pairs.put(timm.get(i), torchvision.get(i));
        }
        return pairs;
    }

    /**
     * Reads a golden key list's shapes, BatchNorm counters left out.
     *
     * @param keysFile a golden key list ({@code name dim,dim,...} per line)
     * @return shapes by torchvision name, in order
     * @throws IOException when the key list cannot be read
     */
    public static Map<String, Shape> torchvisionShapes(Path keysFile) throws IOException {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(keysFile)) {
            String[] parts = line.split(" ");
            if (parts[0].isBlank() || parts[0].endsWith(".num_batches_tracked")) {
                continue;
            }
            String[] dims = parts[1].split(",");
            long[] shape = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                shape[i] = Long.parseLong(dims[i]);
            }
            shapes.put(parts[0], new Shape(shape));
        }
        return shapes;
    }

    private static Map<String, Shape> mobileNetV3(String[][] archDef, int numFeatures) {
        Map<String, Shape> tensors = new LinkedHashMap<>();
        int in = stem(tensors, 16);
        in = stages(tensors, archDef, in, true);
        tensors.put("conv_head.weight", new Shape(numFeatures, in, 1, 1));
        tensors.put("conv_head.bias", new Shape(numFeatures));
        tensors.put("classifier.weight", new Shape(1000, numFeatures));
        tensors.put("classifier.bias", new Shape(1000));
        return tensors;
    }

    private static int stem(Map<String, Shape> tensors, int channels) {
        tensors.put("conv_stem.weight", new Shape(channels, 3, 3, 3));
        bn(tensors, "bn1", channels);
        return channels;
    }

    /** Adds every block of the stages; returns the last block's output channels. */
    private static int stages(Map<String, Shape> tensors, String[][] archDef, int in, boolean seFromExpansion) {
        for (int s = 0; s < archDef.length; s++) {
            int b = 0;
            for (String def : archDef[s]) {
                Matcher m = BLOCK.matcher(def);
                assertThat(m.matches()).as(def).isTrue();
                for (int r = 0; r < Integer.parseInt(m.group(2)); r++, b++) {
                    in = block(tensors, "blocks." + s + "." + b + ".", m, in, seFromExpansion);
                }
            }
        }
        return in;
    }

    private static int block(Map<String, Shape> tensors, String prefix, Matcher m, int in, boolean seFromExpansion) {
        int kernel = Integer.parseInt(m.group(3));
        double expansion = m.group(4) == null ? 1 : Double.parseDouble(m.group(4));
        int out = Integer.parseInt(m.group(5));
        double seRatio = m.group(6) == null ? 0 : Double.parseDouble(m.group(6));
        // MobileNetV3: SqueezeExcite(mid, rd_ratio, rd_round_fn=round_channels); EfficientNet: the ratio is
        // divided by the expansion (se_from_exp=False) and rounded with Python's round
        DoubleUnaryOperator reduce = seFromExpansion ? TimmCheckpoints::makeDivisible : Math::rint;
        double ratio = seFromExpansion ? seRatio : seRatio / expansion;
        switch (m.group(1)) {
            case "cn" -> {
                tensors.put(prefix + "conv.weight", new Shape(out, in, kernel, kernel));
                bn(tensors, prefix + "bn1", out);
            }
            case "ds" -> {
                tensors.put(prefix + "conv_dw.weight", new Shape(in, 1, kernel, kernel));
                bn(tensors, prefix + "bn1", in);
                se(tensors, prefix, in, seRatio == 0 ? 0 : (int) reduce.applyAsDouble(in * ratio));
                tensors.put(prefix + "conv_pw.weight", new Shape(out, in, 1, 1));
                bn(tensors, prefix + "bn2", out);
            }
            default -> {
                int mid = (int) makeDivisible(in * expansion);
                tensors.put(prefix + "conv_pw.weight", new Shape(mid, in, 1, 1));
                bn(tensors, prefix + "bn1", mid);
                tensors.put(prefix + "conv_dw.weight", new Shape(mid, 1, kernel, kernel));
                bn(tensors, prefix + "bn2", mid);
                se(tensors, prefix, mid, seRatio == 0 ? 0 : (int) reduce.applyAsDouble(mid * ratio));
                tensors.put(prefix + "conv_pwl.weight", new Shape(out, mid, 1, 1));
                bn(tensors, prefix + "bn3", out);
            }
        }
        return out;
    }

    /** timm's {@code make_divisible(v, 8)}: to a multiple of 8, at least 8, never below 90% of {@code v}. */
    private static double makeDivisible(double v) {
        int rounded = Math.max(8, (int) (v + 4) / 8 * 8);
        return rounded < 0.9 * v ? rounded + 8 : rounded;
    }

    private static void se(Map<String, Shape> tensors, String prefix, int channels, int reduced) {
        if (reduced > 0) {
            tensors.put(prefix + "se.conv_reduce.weight", new Shape(reduced, channels, 1, 1));
            tensors.put(prefix + "se.conv_reduce.bias", new Shape(reduced));
            tensors.put(prefix + "se.conv_expand.weight", new Shape(channels, reduced, 1, 1));
            tensors.put(prefix + "se.conv_expand.bias", new Shape(channels));
        }
    }

    private static void bn(Map<String, Shape> tensors, String name, int channels) {
        BN.forEach(p -> tensors.put(name + "." + p, new Shape(channels)));
    }

    /**
     * The names of a checkpoint's tensors, in module order.
     *
     * @param tensors shapes by name
     * @return the names
     */
    public static List<String> names(Map<String, Shape> tensors) {
        return new ArrayList<>(tensors.keySet());
    }
}
