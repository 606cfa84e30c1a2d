package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;
import io.tl4j.core.Provenance;
import io.tl4j.core.nn.HfConfigJson;
import io.tl4j.core.weights.WeightMismatchException;
import io.tl4j.vision.weights.TorchvisionWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Hugging Face transformers ViT directory ({@code config.json} with {@code "model_type":
 * "vit"} and {@code model.safetensors}, e.g. {@code google/vit-base-patch16-224}) into tl4j's
 * torchvision-named {@link VisionTransformer}.
 *
 * <p>Names map one to one ({@code vit.embeddings.patch_embeddings.projection.*} to {@code
 * conv_proj.*}, {@code vit.encoder.layer.N.layernorm_before.*} to {@code
 * encoder.layers.encoder_layer_N.ln_1.*}, {@code classifier.*} to {@code heads.head.*}, ...), except
 * that each layer's {@code attention.attention.query/key/value} weights and biases are stacked into
 * torchvision's packed {@code self_attention.in_proj_weight/bias}. The {@code vit.} prefix is
 * optional (a bare {@code ViTModel} has none). {@code ViTModel}'s {@code pooler} (a dense layer with
 * tanh on the class token, which torchvision's ViT lacks) is left out; any other unknown tensor is
 * kept under its name, so the strict load reports it. The LayerNorm epsilon comes from the config
 * (Hugging Face's ViTs use 1e-12, torchvision 1e-6).
 */
public final class HuggingFaceVit {

    /** The {@code model_type} this reader takes. */
    public static final String MODEL_TYPE = "vit";

    /** The {@code architectures} entries this reader takes. */
    public static final List<String> ARCHITECTURES = List.of("ViTModel", "ViTForImageClassification");

    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.(.+)");

    private static final Map<String, String> LAYER_PARTS = Map.of(
            "layernorm_before", "ln_1",
            "attention.output.dense", "self_attention.out_proj",
            "layernorm_after", "ln_2",
            "intermediate.dense", "mlp.0",
            "output.dense", "mlp.3");

    private static final Map<String, String> TOP = Map.of(
            "embeddings.cls_token", "class_token",
            "embeddings.position_embeddings", "encoder.pos_embedding",
            "embeddings.patch_embeddings.projection.weight", "conv_proj.weight",
            "embeddings.patch_embeddings.projection.bias", "conv_proj.bias",
            "layernorm.weight", "encoder.ln.weight",
            "layernorm.bias", "encoder.ln.bias",
            "classifier.weight", "heads.head.weight",
            "classifier.bias", "heads.head.bias");

    private static final String[] QKV = {"query", "key", "value"};

    private HuggingFaceVit() {}

    @SuppressWarnings("unchecked")
    private static Map.Entry<String, NDArray>[] newStack() {
        return new Map.Entry[3];
    }

    /** Hugging Face's {@code ViTConfig} keys that shape the network, at Hugging Face's defaults. */
    static final class ConfigJson {
        @SerializedName("model_type")
        String modelType;

        @SerializedName("architectures")
        List<String> architectures;

        @SerializedName("hidden_size")
        Integer hiddenSize = 768;

        @SerializedName("num_hidden_layers")
        Integer numHiddenLayers = 12;

        @SerializedName("num_attention_heads")
        Integer numAttentionHeads = 12;

        @SerializedName("intermediate_size")
        Integer intermediateSize = 3072;

        @SerializedName("hidden_act")
        String hiddenAct = "gelu";

        @SerializedName("layer_norm_eps")
        Float layerNormEps = 1e-12f;

        @SerializedName("image_size")
        Integer imageSize = 224;

        @SerializedName("patch_size")
        Integer patchSize = 16;

        @SerializedName("num_channels")
        Integer numChannels = 3;

        @SerializedName("qkv_bias")
        Boolean qkvBias = true;

        @SerializedName("id2label")
        JsonObject id2label;
    }

    /**
     * Tells whether a directory's {@code config.json} is a Hugging Face transformers config (it has
     * a {@code model_type}), as opposed to timm's ({@code architecture}).
     *
     * @param directory the model directory
     * @return whether its config names a {@code model_type}
     */
    public static boolean isTransformersDirectory(Path directory) {
        Path config = directory.resolve(TorchvisionWeights.HF_CONFIG);
        return Files.isRegularFile(config)
                && HfConfigJson.read(config, "Hugging Face config", json -> HfConfigJson.parse(json, ConfigJson.class))
                                .modelType
                        != null;
    }

    /**
     * Returns the network a transformers {@code config.json} describes.
     *
     * @param config the file
     * @return the ViT, with {@code classifier}'s labels as classes for {@code
     *     ViTForImageClassification}, none for {@code ViTModel}
     * @throws IllegalArgumentException naming the file when it describes another model (listing
     *     what tl4j reads) or a ViT variant tl4j does not build
     */
    public static VisionTransformer architecture(Path config) {
        ConfigJson c =
                HfConfigJson.read(config, "Hugging Face config", json -> HfConfigJson.parse(json, ConfigJson.class));
        List<String> declared = c.architectures == null ? List.of() : c.architectures;
        if (!MODEL_TYPE.equals(c.modelType) || !ARCHITECTURES.containsAll(declared)) {
            throw new IllegalArgumentException(config + " describes model_type '" + c.modelType + "', architectures "
                    + declared + "; tl4j reads Hugging Face transformers directories of model_type '" + MODEL_TYPE
                    + "' " + ARCHITECTURES + " and timm directories of the torchvision architectures "
                    + Torchvision.NAMES);
        }
        if (!"gelu".equals(c.hiddenAct) || !Boolean.TRUE.equals(c.qkvBias) || c.numChannels != 3) {
            throw new IllegalArgumentException(config + ": tl4j's ViT takes hidden_act 'gelu', qkv_bias true and 3"
                    + " channels, got '" + c.hiddenAct + "', " + c.qkvBias + ", " + c.numChannels);
        }
        boolean classifier = declared.contains("ViTForImageClassification");
        int classes = !classifier ? 0 : c.id2label == null ? 2 : c.id2label.size();
        return VisionTransformer.of(new VisionTransformer.Config(
                c.imageSize,
                c.patchSize,
                c.numHiddenLayers,
                c.numAttentionHeads,
                c.hiddenSize,
                c.intermediateSize,
                c.layerNormEps,
                classes));
    }

    /**
     * Renames Hugging Face ViT tensors to torchvision's names, stacking each layer's query, key and
     * value into {@code in_proj_weight} and {@code in_proj_bias}.
     *
     * @param tensors the tensors by Hugging Face name; not closed
     * @return the tensors by torchvision name (stacked ones are new arrays on the query's manager)
     *     (a layer with only some of query, key and value keeps them under their own names)
     */
    public static Map<String, NDArray> toTorchvision(Map<String, NDArray> tensors) {
        Map<String, NDArray> renamed = new LinkedHashMap<>();
        Map<String, Map.Entry<String, NDArray>[]> stacks = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = e.getKey().startsWith("vit.") ? e.getKey().substring(4) : e.getKey();
            if (name.startsWith("pooler.")) {
                continue;
            }
            Matcher layer = LAYER.matcher(name);
            if (TOP.containsKey(name)) {
                renamed.put(TOP.get(name), e.getValue());
            } else if (layer.matches()) {
                String prefix = VisionTransformer.layerName(Integer.parseInt(layer.group(1))) + ".";
                String rest = layer.group(2);
                int dot = rest.lastIndexOf('.');
                String part = rest.substring(0, Math.max(dot, 0));
                String kind = rest.substring(dot + 1);
                int qkv = List.of(QKV).indexOf(part.replace("attention.attention.", ""));
                if (part.startsWith("attention.attention.") && qkv >= 0) {
                    stacks.computeIfAbsent(prefix + "self_attention.in_proj_" + kind, k -> newStack())[qkv] = e;
                } else if (LAYER_PARTS.containsKey(part)) {
                    renamed.put(prefix + LAYER_PARTS.get(part) + "." + kind, e.getValue());
                } else {
                    renamed.put(e.getKey(), e.getValue());
                }
            } else {
                renamed.put(e.getKey(), e.getValue());
            }
        }
        stacks.forEach((name, parts) -> {
            NDList stacked = new NDList(3);
            for (Map.Entry<String, NDArray> part : parts) {
                if (part != null) {
                    stacked.add(part.getValue());
                }
            }
            if (stacked.size() == 3) {
                renamed.put(name, NDArrays.concat(stacked, 0));
            } else {
                // an incomplete triple keeps its Hugging Face names: the strict load reports them
                for (Map.Entry<String, NDArray> part : parts) {
                    if (part != null) {
                        renamed.put(part.getKey(), part.getValue());
                    }
                }
            }
        });
        return renamed;
    }

    /**
     * Loads a Hugging Face transformers ViT directory.
     *
     * @param directory holds {@code config.json} and {@code model.safetensors} (F32, F16 or BF16)
     * @param licence the weights' licence, recorded in the provenance
     * @return the network with its weights; close it when done
     * @throws IllegalArgumentException when the config describes another model, listing those tl4j
     *     reads
     * @throws WeightMismatchException naming every missing, unexpected and mis-shaped tensor
     */
    public static PretrainedModel load(Path directory, String licence) {
        VisionTransformer architecture = architecture(directory.resolve(TorchvisionWeights.HF_CONFIG));
        Path file = TorchvisionWeights.safetensorsFile(directory);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = toTorchvision(TorchvisionWeights.readSafetensors(directory, manager));
            try {
                return PretrainedModel.of(
                        architecture, weights, Provenance.ofFile(file, licence, directory.getFileName() + " (ViT)"));
            } catch (WeightMismatchException e) {
                throw e.inFile(file);
            }
        }
    }
}
