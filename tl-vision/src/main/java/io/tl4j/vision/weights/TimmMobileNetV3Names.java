package io.tl4j.vision.weights;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts a timm MobileNetV3 checkpoint ({@code mobilenetv3_large_100.ra_in1k}, {@code
 * mobilenetv3_small_100.lamb_in1k}) to torchvision's {@code mobilenet_v3_large} / {@code _small}
 * names, as timm's {@code mobilenetv3.py}, {@code _efficientnet_builder.py} and {@code
 * _efficientnet_blocks.py} build the network.
 *
 * <p>The two are the same network but for BatchNorm's epsilon: timm's blocks are torchvision's
 * (same channels, kernels, activations, squeeze-excitation with a ReLU and a hard-sigmoid gate), grouped
 * in stages ({@code blocks.S.B}) that torchvision numbers flat ({@code features.N}); timm's head
 * convolution after global pooling ({@code conv_head}, 1x1 with bias) is torchvision's {@code classifier.0}
 * Linear, and its {@code classifier} is {@code classifier.3}. timm normalizes with PyTorch's default
 * epsilon 1e-5, torchvision's MobileNetV3 with 1e-3, so every {@code running_var} is lowered by
 * 0.00099: {@code running_var + 0.001} is then timm's {@code running_var + 0.00001} and inference
 * computes exactly timm's function (a channel whose variance is below 0.00099 gets a negative
 * running variance, which inference handles: only the sum is used). Trained with batch statistics the
 * network is torchvision's, epsilon 1e-3.
 *
 * <p>Not convertible, and not recognizable from names alone: timm's {@code tf_mobilenetv3_*} (TensorFlow
 * "same" padding and epsilon 1e-3) and the {@code _minimal} and {@code _050}/{@code _075} variants (other
 * activations, kernels or widths: the strict load reports their shapes). A Hugging Face directory's
 * {@code config.json} names them, and {@link TimmNames#torchvisionArchitecture} refuses them.
 */
final class TimmMobileNetV3Names {

    /** timm's BatchNorm epsilon minus torchvision's MobileNetV3 epsilon. */
    static final float VARIANCE_SHIFT = 1e-5f - 1e-3f;

    private static final Pattern BLOCK = Pattern.compile("blocks\\.(\\d+)\\.(\\d+)\\.(.+)");
    private static final Pattern PART = Pattern.compile(
            "(conv_pw|conv_dw|conv_pwl|conv|bn1|bn2|bn3|se\\.conv_reduce|se\\.conv_expand)\\.([a-z_]+)");

    private TimmMobileNetV3Names() {}

    /**
     * Whether a checkpoint is a timm MobileNetV3: a {@code conv_stem}, a head convolution with bias and
     * neither EfficientNet's head BatchNorm ({@code bn2}) nor MobileNetV4's {@code norm_head}.
     */
    static boolean matches(Map<String, NDArray> tensors) {
        return tensors.containsKey("conv_stem.weight")
                && tensors.containsKey("conv_head.bias")
                && !tensors.containsKey("bn2.weight")
                && !tensors.containsKey("norm_head.weight");
    }

    /**
     * Renames the tensors to torchvision's names, reshapes {@code conv_head.weight} to the Linear's (out,
     * in) and shifts every BatchNorm's {@code running_var} (see the class comment).
     *
     * @param tensors a timm MobileNetV3 checkpoint; replaced arrays are closed
     * @return the tensors by torchvision name, in the same order; a name without a rule is kept
     * @throws IllegalArgumentException when two tensors map to one name
     */
    static Map<String, NDArray> toTorchvision(Map<String, NDArray> tensors) {
        Map<Integer, Integer> firstFeature = firstFeatureOfStage(tensors);
        Map<String, NDArray> renamed = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = rename(e.getKey(), tensors, firstFeature);
            NDArray array = e.getValue();
            if (name.equals("classifier.0.weight") && array.getShape().dimension() == 4) {
                array = replaced(
                        array,
                        array.reshape(array.getShape().get(0), array.getShape().get(1)));
            } else if (name.startsWith("features.") && name.endsWith(".running_var")) {
                array = replaced(array, array.add(VARIANCE_SHIFT));
            }
            if (renamed.put(name, array) != null) {
                throw new IllegalArgumentException("Two timm MobileNetV3 tensors map to torchvision name " + name);
            }
        }
        return renamed;
    }

    private static NDArray replaced(NDArray original, NDArray replacement) {
        original.close();
        return replacement;
    }

    /** torchvision's {@code features} index of each timm stage's first block (the stem is {@code features.0}). */
    private static Map<Integer, Integer> firstFeatureOfStage(Map<String, NDArray> tensors) {
        Map<Integer, Integer> blocksPerStage = new TreeMap<>();
        for (String name : tensors.keySet()) {
            Matcher block = BLOCK.matcher(name);
            if (block.matches()) {
                blocksPerStage.merge(Integer.parseInt(block.group(1)), Integer.parseInt(block.group(2)) + 1, Math::max);
            }
        }
        Map<Integer, Integer> first = new TreeMap<>();
        int next = 1;
        for (Map.Entry<Integer, Integer> stage : blocksPerStage.entrySet()) {
            first.put(stage.getKey(), next);
            next += stage.getValue();
        }
        return first;
    }

    private static String rename(String name, Map<String, NDArray> tensors, Map<Integer, Integer> firstFeature) {
        Matcher block = BLOCK.matcher(name);
        if (block.matches()) {
            Matcher part = PART.matcher(block.group(3));
            if (!part.matches()) {
                return name;
            }
            String prefix = "blocks." + block.group(1) + "." + block.group(2) + ".";
            String feature = "features."
                    + (firstFeature.get(Integer.parseInt(block.group(1))) + Integer.parseInt(block.group(2))) + ".";
            String torchvisionPart = blockPart(part.group(1), prefix, tensors);
            return torchvisionPart == null ? name : feature + torchvisionPart + "." + part.group(2);
        }
        if (name.startsWith("conv_stem.")) {
            return "features.0.0." + name.substring("conv_stem.".length());
        }
        if (name.startsWith("bn1.")) {
            return "features.0.1." + name.substring("bn1.".length());
        }
        if (name.startsWith("conv_head.")) {
            return "classifier.0." + name.substring("conv_head.".length());
        }
        if (name.startsWith("classifier.")) {
            return "classifier.3." + name.substring("classifier.".length());
        }
        return name;
    }

    /**
     * torchvision's name for a part of one timm block: a {@code ConvBnAct} ({@code conv}, {@code bn1})
     * is a {@code Conv2dNormActivation} ({@code 0}, {@code 1}); a depthwise-separable block ({@code
     * conv_dw, bn1, se, conv_pw, bn2}) is an inverted residual without expansion ({@code block.0},
     * {@code block.1} for SE, then the projection); an inverted residual ({@code conv_pw, bn1, conv_dw,
     * bn2, se, conv_pwl, bn3}) is torchvision's ({@code block.0} ... {@code block.3}). A squeeze-excitation
     * takes a {@code block} index, so the projection's index depends on whether the block has one.
     */
    private static String blockPart(String part, String prefix, Map<String, NDArray> tensors) {
        boolean se = tensors.containsKey(prefix + "se.conv_reduce.weight");
        if (tensors.containsKey(prefix + "conv.weight")) {
            return switch (part) {
                case "conv" -> "0";
                case "bn1" -> "1";
                default -> null;
            };
        }
        if (tensors.containsKey(prefix + "conv_pwl.weight")) {
            int projection = se ? 3 : 2;
            return switch (part) {
                case "conv_pw" -> "block.0.0";
                case "bn1" -> "block.0.1";
                case "conv_dw" -> "block.1.0";
                case "bn2" -> "block.1.1";
                case "se.conv_reduce" -> "block.2.fc1";
                case "se.conv_expand" -> "block.2.fc2";
                case "conv_pwl" -> "block." + projection + ".0";
                case "bn3" -> "block." + projection + ".1";
                default -> null;
            };
        }
        int projection = se ? 2 : 1;
        return switch (part) {
            case "conv_dw" -> "block.0.0";
            case "bn1" -> "block.0.1";
            case "se.conv_reduce" -> "block.1.fc1";
            case "se.conv_expand" -> "block.1.fc2";
            case "conv_pw" -> "block." + projection + ".0";
            case "bn2" -> "block." + projection + ".1";
            default -> null;
        };
    }
}
