package io.tl4j.vision.models;

import static io.tl4j.vision.models.TransferFixtures.compare;
import static io.tl4j.vision.models.TransferFixtures.formulaBackbone;
import static io.tl4j.vision.models.TransferFixtures.twoClasses;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.vision.Vision;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VisionTransformer} under tl-core's {@link TransferLearner}: its layer names are the ones
 * freezing takes, frozen layers (LayerNorms, class token and position embeddings included) keep
 * their values while later layers train, the network has no dropout (training and inference
 * forwards agree), and saved models load back through the registered architecture.
 */
class VisionTransformerTransferTest {

    private static final Shape SAMPLE = new Shape(3, 16, 16);

    private static VisionTransformer small() {
        return VisionTransformer.of(
                new VisionTransformer.Config(16, 8, 2, 2, 16, 32, VisionTransformer.TORCHVISION_EPS, 0));
    }

    @Test
    void freezeUntilKeepsFrozenLayersIncludingLayerNormsAndEmbeddings() {
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> backbone = formulaBackbone(small(), SAMPLE, manager);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil(VisionTransformer.layerName(1))
                        .epochs(2)
                        .batchSize(8)
                        .learningRate(0.01f)
                        .progressBar(false)
                        .seed(3)
                        .fit(twoClasses(SAMPLE, 16));
                Backbone<float[]> trained = model.backbone()) {
            List<String> layers = backbone.layers();
            assertThat(layers)
                    .containsExactly(
                            "conv_proj",
                            "class_token",
                            "encoder",
                            "encoder.layers.encoder_layer_0",
                            "encoder.layers.encoder_layer_1",
                            "encoder.ln");
            var outcome = compare(backbone, trained, VisionTransformer.layerName(1));
            assertThat(outcome.frozen())
                    .contains(
                            "class_token",
                            "encoder.pos_embedding",
                            "conv_proj.weight",
                            "encoder.layers.encoder_layer_0.ln_1.weight",
                            "encoder.layers.encoder_layer_0.ln_2.bias");
            assertThat(outcome.changed())
                    .contains(
                            "encoder.layers.encoder_layer_1.self_attention.in_proj_weight",
                            "encoder.layers.encoder_layer_1.ln_1.weight",
                            "encoder.ln.weight");
        }
    }

    @Test
    void theNetworkHasNoDropoutSoTrainingAndInferenceForwardsAgree() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = small().newBlock(manager);
            FormulaWeights.initializeWithZeros(block, manager, new Shape(2).addAll(SAMPLE));
            FormulaWeights.load(block, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = FormulaWeights.input(manager, new Shape(2).addAll(SAMPLE));
            float[] inference =
                    block.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            float[] training =
                    block.forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
            assertThat(training).containsExactly(inference);
        }
    }

    @Test
    void savedModelsWithAViTBackboneLoadBack(@TempDir Path dir) {
        LabeledData<float[]> data = twoClasses(SAMPLE, 8);
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> backbone = formulaBackbone(small(), SAMPLE, manager);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil("encoder.ln")
                        .epochs(1)
                        .batchSize(8)
                        .progressBar(false)
                        .fit(data)) {
            model.save(dir);
            try (TransferModel<float[]> loaded = TransferModel.load(dir)) {
                assertThat(loaded.probabilities(data.inputs())).isDeepEqualTo(model.probabilities(data.inputs()));
            }
        }
    }

    @Test
    void aCheckpointWithTimmNamesLoadsTheSameWeights(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> reference = formulaBackbone(small(), SAMPLE, manager)) {
            // the formula weights under the names timm's vision_transformer.py gives the same modules
            Map<String, NDArray> timm = new LinkedHashMap<>();
            reference.weights().forEach((name, array) -> timm.put(timmName(name), array));
            Path file = dir.resolve("timm_vit.safetensors");
            SafeTensors.write(file, timm);
            try (PretrainedModel loaded = Vision.custom("vit", small()).weights(file)) {
                Map<String, NDArray> weights = loaded.weights();
                assertThat(weights.keySet())
                        .containsExactlyInAnyOrderElementsOf(reference.weights().keySet());
                reference
                        .weights()
                        .forEach((name, array) -> assertThat(weights.get(name).contentEquals(array))
                                .as(name)
                                .isTrue());
            }
        }
    }

    private static String timmName(String torchvision) {
        String name = torchvision
                .replace("encoder.layers.encoder_layer_", "blocks.")
                .replace(".ln_1.", ".norm1.")
                .replace(".ln_2.", ".norm2.")
                .replace(".self_attention.in_proj_weight", ".attn.qkv.weight")
                .replace(".self_attention.in_proj_bias", ".attn.qkv.bias")
                .replace(".self_attention.out_proj.", ".attn.proj.")
                .replace(".mlp.0.", ".mlp.fc1.")
                .replace(".mlp.3.", ".mlp.fc2.");
        return switch (name) {
            case "class_token" -> "cls_token";
            case "encoder.pos_embedding" -> "pos_embed";
            default -> name.replace("conv_proj.", "patch_embed.proj.").replace("encoder.ln.", "norm.");
        };
    }
}
