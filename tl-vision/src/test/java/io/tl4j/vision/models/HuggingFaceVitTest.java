package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
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
 * Hugging Face transformers' ViT naming: the key list of {@code google/vit-base-patch16-224} maps
 * onto torchvision's {@code vit_b_16} keys and shapes, a transformers directory loads through {@link
 * Vision#fromHuggingFace} and gives torchvision's golden logits, and a config of another model is
 * refused with the list of what tl4j reads.
 */
class HuggingFaceVitTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/vit");

    @Test
    void theHuggingFaceKeyListMapsOntoTorchvisionsVitB16() throws IOException {
        Map<String, Shape> hf = VisionTransformerGoldenTest.keys(GOLDEN.resolve("hf_vit_keys.txt"))
                .get("google/vit-base-patch16-224");
        assertThat(hf).hasSize(200);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray zero = manager.zeros(new Shape(1));
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            // broadcast views: the shapes without the memory
            hf.forEach((name, shape) -> tensors.put(name, zero.broadcast(shape)));
            Map<String, Shape> mapped = new LinkedHashMap<>();
            HuggingFaceVit.toTorchvision(tensors).forEach((name, array) -> mapped.put(name, array.getShape()));
            assertThat(mapped)
                    .containsExactlyInAnyOrderEntriesOf(
                            VisionTransformerGoldenTest.keys().get("vit_b_16"));
        }
    }

    @Test
    void aTransformersDirectoryLoadsAndGivesTorchvisionsLogits(@TempDir Path dir) throws IOException {
        JsonObject golden = VisionTransformerGoldenTest.cases().get(0);
        assertThat(golden.get("interpolated_to").isJsonNull()).isTrue();
        VisionTransformer architecture = VisionTransformerGoldenTest.small(golden.getAsJsonObject("config"));
        VisionTransformer.Config c = architecture.config();
        Shape inputShape = new Shape(2, 3, c.imageSize(), c.imageSize());
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = architecture.newBlock(manager);
            FormulaWeights.initializeWithZeros(block, manager, inputShape);
            Map<String, NDArray> torchvision = FormulaWeights.forBlock(block, manager);
            torchvision.put(
                    "encoder.pos_embedding",
                    torchvision.get("encoder.pos_embedding").mul(VisionTransformerGoldenTest.posScale()));
            SafeTensors.write(dir.resolve("model.safetensors"), huggingFaceNames(torchvision, c));
            JsonObject labels = new JsonObject();
            for (int i = 0; i < c.numClasses(); i++) {
                labels.addProperty(Integer.toString(i), "class " + i);
            }
            Files.writeString(
                    dir.resolve("config.json"),
                    "{\"model_type\": \"vit\", \"architectures\": [\"ViTForImageClassification\"],"
                            + " \"hidden_size\": " + c.hiddenDim() + ", \"num_hidden_layers\": " + c.numLayers()
                            + ", \"num_attention_heads\": " + c.numHeads() + ", \"intermediate_size\": "
                            + c.mlpDim() + ", \"image_size\": " + c.imageSize() + ", \"patch_size\": "
                            + c.patchSize() + ", \"layer_norm_eps\": 1e-6, \"id2label\": " + labels + "}");
            try (PretrainedModel model = Vision.fromHuggingFace(dir, "test")) {
                assertThat(model.architecture().config()).isEqualTo(c);
                float[] logits =
                        model.logits(FormulaWeights.input(manager, inputShape)).toFloatArray();
                JsonArray rows = golden.getAsJsonArray("logits");
                double worst = 0;
                for (int row = 0; row < rows.size(); row++) {
                    for (int k = 0; k < c.numClasses(); k++) {
                        double expected = rows.get(row).getAsJsonArray().get(k).getAsDouble();
                        worst = Math.max(worst, Math.abs(expected - logits[row * c.numClasses() + k]));
                    }
                }
                assertThat(worst).isLessThan(1e-4);
            }
        }
    }

    @Test
    void aConfigOfAnotherModelIsRefusedListingWhatTl4jReads(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("config.json"),
                "{\"model_type\": \"deit\", \"architectures\": [\"DeiTForImageClassification\"]}");
        assertThatThrownBy(() -> Vision.fromHuggingFace(dir, "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model_type 'deit'")
                .hasMessageContaining("ViTForImageClassification")
                .hasMessageContaining("vit_b_16")
                .hasMessageContaining("resnet50");
    }

    @Test
    void thePoolerIsLeftOutAndAnIncompleteQueryKeyValueKeepsItsNames() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("vit.pooler.dense.weight", manager.zeros(new Shape(4, 4)));
            tensors.put("vit.encoder.layer.0.attention.attention.query.weight", manager.zeros(new Shape(4, 4)));
            tensors.put("vit.encoder.layer.0.attention.attention.key.weight", manager.zeros(new Shape(4, 4)));
            tensors.put("vit.encoder.layer.0.layernorm_before.bias", manager.zeros(new Shape(4)));
            assertThat(HuggingFaceVit.toTorchvision(tensors).keySet())
                    .containsExactlyInAnyOrder(
                            "encoder.layers.encoder_layer_0.ln_1.bias",
                            "vit.encoder.layer.0.attention.attention.query.weight",
                            "vit.encoder.layer.0.attention.attention.key.weight");
        }
    }

    /** torchvision names back to Hugging Face's, splitting each packed in_proj into query, key, value. */
    private static Map<String, NDArray> huggingFaceNames(Map<String, NDArray> torchvision, VisionTransformer.Config c) {
        Map<String, String> top = Map.of(
                "class_token", "vit.embeddings.cls_token",
                "encoder.pos_embedding", "vit.embeddings.position_embeddings",
                "conv_proj.weight", "vit.embeddings.patch_embeddings.projection.weight",
                "conv_proj.bias", "vit.embeddings.patch_embeddings.projection.bias",
                "encoder.ln.weight", "vit.layernorm.weight",
                "encoder.ln.bias", "vit.layernorm.bias",
                "heads.head.weight", "classifier.weight",
                "heads.head.bias", "classifier.bias");
        Map<String, String> parts = Map.of(
                "ln_1", "layernorm_before",
                "self_attention.out_proj", "attention.output.dense",
                "ln_2", "layernorm_after",
                "mlp.0", "intermediate.dense",
                "mlp.3", "output.dense");
        Map<String, NDArray> hf = new LinkedHashMap<>();
        torchvision.forEach((name, array) -> {
            if (top.containsKey(name)) {
                hf.put(top.get(name), array);
                return;
            }
            String[] layerAndRest =
                    name.substring("encoder.layers.encoder_layer_".length()).split("\\.", 2);
            String prefix = "vit.encoder.layer." + layerAndRest[0] + ".";
            String rest = layerAndRest[1];
            if (rest.startsWith("self_attention.in_proj_")) {
                String kind = rest.substring("self_attention.in_proj_".length());
                String[] qkv = {"query", "key", "value"};
                for (int i = 0; i < 3; i++) {
                    NDArray slice = array.get(new NDIndex("{}:{}", i * c.hiddenDim(), (i + 1) * c.hiddenDim()));
                    hf.put(prefix + "attention.attention." + qkv[i] + "." + kind, slice);
                }
                return;
            }
            int dot = rest.lastIndexOf('.');
            hf.put(prefix + parts.get(rest.substring(0, dot)) + rest.substring(dot), array);
        });
        return hf;
    }
}
