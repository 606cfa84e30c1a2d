package io.tl4j.vision.weights;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the names of timm's ConvNeXt, EfficientNet, MobileNetV3 and ViT checkpoints ({@code
 * convnext_tiny.fb_in1k}, {@code efficientnet_b0.ra_in1k}, {@code mobilenetv3_large_100.ra_in1k}, {@code
 * vit_base_patch16_224.augreg2_in21k_ft_in1k}, ...) to torchvision's, whose layouts are the same networks:
 *
 * <ul>
 *   <li>ConvNeXt: {@code stem.N} to {@code features.0.N}; {@code stages.S.downsample.N} to {@code
 *       features.(2S).N}; {@code stages.S.blocks.B.conv_dw}, {@code .norm}, {@code .mlp.fc1},
 *       {@code .mlp.fc2} to {@code features.(2S+1).B.block.0}, {@code .2}, {@code .3}, {@code .5};
 *       {@code gamma} (C) to {@code layer_scale} (C, 1, 1); {@code head.norm}, {@code head.fc} to
 *       {@code classifier.0}, {@code classifier.2}.
 *   <li>EfficientNet: {@code conv_stem}, {@code bn1} to {@code features.0.0}, {@code .1}; {@code
 *       blocks.S.B} to {@code features.(S+1).B.block}, with the first stage's depthwise-separable
 *       blocks ({@code conv_dw, bn1, se, conv_pw, bn2}) and the others' inverted residuals ({@code
 *       conv_pw, bn1, conv_dw, bn2, se, conv_pwl, bn3}) numbered as torchvision's; {@code
 *       se.conv_reduce}, {@code se.conv_expand} to {@code fc1}, {@code fc2}; {@code conv_head},
 *       {@code bn2} to the last {@code features} layer; {@code classifier} to {@code classifier.1}.
 *   <li>MobileNetV3 ({@code mobilenetv3_large_100}, {@code mobilenetv3_small_100}): {@code conv_stem},
 *       {@code bn1} to {@code features.0.0}, {@code .1}; {@code blocks.S.B} to {@code features.N}, numbered
 *       flat across stages, with depthwise-separable, inverted-residual and last {@code conv}/{@code bn1}
 *       blocks numbered as torchvision's (a block's projection index depends on whether it has
 *       squeeze-excitation); {@code conv_head} (1x1, after pooling) reshaped to {@code classifier.0}'s
 *       Linear; {@code classifier} to {@code classifier.3}. timm's BatchNorm epsilon is 1e-5 and
 *       torchvision's 1e-3, so each {@code running_var} is lowered by 0.00099: inference then computes timm's
 *       function exactly. timm's {@code tf_mobilenetv3_*} ("same" padding) has the same names and is not
 *       this network; {@link #torchvisionArchitecture} refuses it by its {@code config.json} name.
 *   <li>ViT (class-token models; LayerNorm epsilon 1e-6 in both): {@code cls_token}, {@code pos_embed},
 *       {@code patch_embed.proj} to {@code class_token}, {@code encoder.pos_embedding}, {@code conv_proj};
 *       {@code blocks.I.norm1}, {@code .attn.qkv}, {@code .attn.proj}, {@code .norm2}, {@code .mlp.fc1},
 *       {@code .mlp.fc2} to {@code encoder.layers.encoder_layer_I.ln_1}, {@code .self_attention.in_proj_*},
 *       {@code .self_attention.out_proj}, {@code .ln_2}, {@code .mlp.0}, {@code .mlp.3} (timm's fused
 *       {@code qkv} is torchvision's {@code in_proj}, rows in the same q, k, v order); {@code norm} to
 *       {@code encoder.ln}; {@code head} to {@code heads.head}. Many timm ViT weights expect inputs normalised
 *       with mean and std 0.5 rather than ImageNet's: set the pipeline's normalisation to match.
 * </ul>
 *
 * <p>A checkpoint is recognized by its stem ({@code stem.0.weight} with {@code stages.*} for
 * ConvNeXt; {@code conv_stem.weight} with a top-level {@code bn2} for EfficientNet; {@code cls_token}
 * with {@code blocks.0.attn.qkv.weight} for ViT; {@code conv_stem.weight} with a biased {@code conv_head} and
 * no {@code bn2} for MobileNetV3); any other is returned as it is. A global-pool ViT (with {@code fc_norm}, no class
 * token in the head's path) is a different network and is left as it is. Names without a rule are kept,
 * so loading reports them.
 */
public final class TimmNames {

    private static final Pattern CONVNEXT_BLOCK =
            Pattern.compile("stages\\.(\\d+)\\.blocks\\.(\\d+)\\.(conv_dw|norm|mlp\\.fc1|mlp\\.fc2|gamma)(.*)");
    private static final Pattern CONVNEXT_DOWNSAMPLE = Pattern.compile("stages\\.(\\d+)\\.downsample\\.(\\d+)(\\..*)");
    private static final Map<String, String> CONVNEXT_PARTS =
            Map.of("conv_dw", "block.0", "norm", "block.2", "mlp.fc1", "block.3", "mlp.fc2", "block.5");

    private static final Pattern EFFICIENTNET_BLOCK =
            Pattern.compile("blocks\\.(\\d+)\\.(\\d+)\\.([a-z_]+\\d?)(\\..*)");
    private static final Map<String, String> SEPARABLE = Map.of(
            "conv_dw",
            "0.0",
            "bn1",
            "0.1",
            "se.conv_reduce",
            "1.fc1",
            "se.conv_expand",
            "1.fc2",
            "conv_pw",
            "2.0",
            "bn2",
            "2.1");
    private static final Map<String, String> INVERTED = Map.of(
            "conv_pw", "0.0",
            "bn1", "0.1",
            "conv_dw", "1.0",
            "bn2", "1.1",
            "se.conv_reduce", "2.fc1",
            "se.conv_expand", "2.fc2",
            "conv_pwl", "3.0",
            "bn3", "3.1");
    private static final Pattern EFFICIENTNET_SE =
            Pattern.compile("blocks\\.(\\d+)\\.(\\d+)\\.(se\\.conv_reduce|se\\.conv_expand)(\\..*)");

    private static final Pattern VIT_BLOCK = Pattern.compile(
            "blocks\\.(\\d+)\\.(norm1|attn\\.qkv|attn\\.proj|norm2|mlp\\.fc1|mlp\\.fc2)\\.(weight|bias)");
    private static final Map<String, String> VIT_PARTS = Map.of(
            "norm1", "ln_1.",
            "attn.proj", "self_attention.out_proj.",
            "norm2", "ln_2.",
            "mlp.fc1", "mlp.0.",
            "mlp.fc2", "mlp.3.");

    /** timm's names of networks torchvision names otherwise; the others share torchvision's name. */
    private static final Map<String, String> TORCHVISION_ARCHITECTURES = Map.of(
            "mobilenetv3_large_100", "mobilenet_v3_large",
            "mobilenetv3_small_100", "mobilenet_v3_small",
            "vit_base_patch16_224", "vit_b_16",
            "vit_base_patch32_224", "vit_b_32",
            "vit_large_patch16_224", "vit_l_16");

    private TimmNames() {}

    /**
     * Returns torchvision's name of the network a timm architecture name (a Hugging Face {@code
     * config.json}'s {@code architecture}) builds: {@code mobilenetv3_large_100} is {@code
     * mobilenet_v3_large}, {@code vit_base_patch16_224} is {@code vit_b_16}, and a name torchvision shares
     * ({@code resnet50}, {@code efficientnet_b0}, {@code convnext_tiny}, ...) is itself.
     *
     * @param architecture timm's architecture name
     * @return torchvision's name of the same network, or {@code architecture} itself
     * @throws IllegalArgumentException for a timm network that looks like a torchvision one but is not:
     *     a TensorFlow port ({@code tf_efficientnet_*}, {@code tf_mobilenetv3_*}: "same" padding, BatchNorm
     *     epsilon 1e-3) or a MobileNetV3 of another width or block set ({@code mobilenetv3_large_075},
     *     {@code _minimal_}, {@code mobilenetv3_rw})
     */
    public static String torchvisionArchitecture(String architecture) {
        String mapped = TORCHVISION_ARCHITECTURES.get(architecture);
        if (mapped != null) {
            return mapped;
        }
        if (architecture.startsWith("tf_")
                && (architecture.contains("efficientnet") || architecture.contains("mobilenetv3"))) {
            throw new IllegalArgumentException("timm's " + architecture
                    + " is a TensorFlow port (\"same\" padding, BatchNorm epsilon 1e-3), not torchvision's network;"
                    + " use its PyTorch-trained sibling (e.g. " + architecture.substring(3) + ")");
        }
        if (architecture.startsWith("mobilenetv3_")) {
            throw new IllegalArgumentException("timm's " + architecture
                    + " is not torchvision's MobileNetV3 (other widths, kernels or activations); tl4j builds"
                    + " mobilenetv3_large_100 and mobilenetv3_small_100");
        }
        return architecture;
    }

    /**
     * Renames a timm ConvNeXt, EfficientNet, MobileNetV3 or ViT checkpoint's tensors to torchvision's names.
     *
     * @param tensors tensors by name; a reshaped array replaces (and closes) its original
     * @return the tensors by torchvision name in the same order, or {@code tensors} itself when it
     *     is none of these checkpoints
     * @throws IllegalArgumentException when two tensors map to one name
     */
    public static Map<String, NDArray> toTorchvision(Map<String, NDArray> tensors) {
        boolean convNeXt = tensors.containsKey("stem.0.weight")
                && tensors.keySet().stream().anyMatch(k -> k.startsWith("stages.0.blocks."));
        boolean efficientNet = tensors.containsKey("conv_stem.weight") && tensors.containsKey("bn2.weight");
        boolean vit = tensors.containsKey("cls_token")
                && tensors.containsKey("blocks.0.attn.qkv.weight")
                && !tensors.containsKey("fc_norm.weight");
        if (vit) {
            return renamed(tensors, TimmNames::vitName);
        }
        if (TimmMobileNetV3Names.matches(tensors)) {
            return TimmMobileNetV3Names.toTorchvision(tensors);
        }
        if (!convNeXt && !efficientNet) {
            return tensors;
        }
        int lastStage = efficientNet ? lastEfficientNetStage(tensors) : 0;
        Map<String, NDArray> renamed = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = convNeXt ? convNeXtName(e.getKey()) : efficientNetName(e.getKey(), tensors, lastStage);
            NDArray array = e.getValue();
            if (convNeXt && name.endsWith(".layer_scale") && array.getShape().dimension() == 1) {
                NDArray reshaped = array.reshape(array.getShape().get(0), 1, 1);
                array.close();
                array = reshaped;
            }
            if (renamed.put(name, array) != null) {
                throw new IllegalArgumentException("Two timm tensors map to torchvision name " + name);
            }
        }
        return renamed;
    }

    private static Map<String, NDArray> renamed(
            Map<String, NDArray> tensors, java.util.function.UnaryOperator<String> rename) {
        Map<String, NDArray> renamed = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = rename.apply(e.getKey());
            if (renamed.put(name, e.getValue()) != null) {
                throw new IllegalArgumentException("Two timm tensors map to torchvision name " + name);
            }
        }
        return renamed;
    }

    private static String vitName(String name) {
        Matcher block = VIT_BLOCK.matcher(name);
        if (block.matches()) {
            String layer = "encoder.layers.encoder_layer_" + block.group(1) + ".";
            return block.group(2).equals("attn.qkv")
                    ? layer + "self_attention.in_proj_" + block.group(3)
                    : layer + VIT_PARTS.get(block.group(2)) + block.group(3);
        }
        return switch (name) {
            case "cls_token" -> "class_token";
            case "pos_embed" -> "encoder.pos_embedding";
            default ->
                replacePrefix(
                        name,
                        Map.of("patch_embed.proj.", "conv_proj.", "norm.", "encoder.ln.", "head.", "heads.head."));
        };
    }

    private static String convNeXtName(String name) {
        Matcher block = CONVNEXT_BLOCK.matcher(name);
        if (block.matches()) {
            String prefix = "features." + (2 * Integer.parseInt(block.group(1)) + 1) + "." + block.group(2) + ".";
            return block.group(3).equals("gamma")
                    ? prefix + "layer_scale" + block.group(4)
                    : prefix + CONVNEXT_PARTS.get(block.group(3)) + block.group(4);
        }
        Matcher downsample = CONVNEXT_DOWNSAMPLE.matcher(name);
        if (downsample.matches()) {
            return "features." + 2 * Integer.parseInt(downsample.group(1)) + "." + downsample.group(2)
                    + downsample.group(3);
        }
        return replacePrefix(
                name,
                Map.of(
                        "stem.0.",
                        "features.0.0.",
                        "stem.1.",
                        "features.0.1.",
                        "head.norm.",
                        "classifier.0.",
                        "head.fc.",
                        "classifier.2."));
    }

    private static String efficientNetName(String name, Map<String, NDArray> tensors, int lastStage) {
        Matcher se = EFFICIENTNET_SE.matcher(name);
        Matcher block = se.matches() ? se : EFFICIENTNET_BLOCK.matcher(name);
        if (block.matches()) {
            String prefix = "blocks." + block.group(1) + "." + block.group(2) + ".";
            Map<String, String> parts = tensors.containsKey(prefix + "conv_pwl.weight") ? INVERTED : SEPARABLE;
            String part = parts.get(block.group(3));
            if (part != null) {
                return "features." + (Integer.parseInt(block.group(1)) + 1) + "." + block.group(2) + ".block." + part
                        + block.group(4);
            }
            return name;
        }
        String head = "features." + (lastStage + 2) + ".";
        return replacePrefix(
                name,
                Map.of(
                        "conv_stem.",
                        "features.0.0.",
                        "bn1.",
                        "features.0.1.",
                        "conv_head.",
                        head + "0.",
                        "bn2.",
                        head + "1.",
                        "classifier.",
                        "classifier.1."));
    }

    private static int lastEfficientNetStage(Map<String, NDArray> tensors) {
        int last = -1;
        for (String name : tensors.keySet()) {
            Matcher block = EFFICIENTNET_BLOCK.matcher(name);
            Matcher se = EFFICIENTNET_SE.matcher(name);
            if (block.matches() || se.matches()) {
                last = Math.max(last, Integer.parseInt((block.matches() ? block : se).group(1)));
            }
        }
        return last;
    }

    private static String replacePrefix(String name, Map<String, String> prefixes) {
        for (Map.Entry<String, String> p : prefixes.entrySet()) {
            if (name.startsWith(p.getKey())) {
                return p.getValue() + name.substring(p.getKey().length());
            }
        }
        return name;
    }
}
