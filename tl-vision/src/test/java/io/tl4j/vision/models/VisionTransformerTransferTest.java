package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
                Backbone<float[]> backbone = formulaBackbone(manager);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil(VisionTransformer.layerName(1))
                        .epochs(2)
                        .batchSize(8)
                        .learningRate(0.01f)
                        .progressBar(false)
                        .seed(3)
                        .fit(data(16));
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
            int firstTrained = layers.indexOf(VisionTransformer.layerName(1));
            Map<String, NDArray> before = backbone.weights();
            Map<String, NDArray> after = trained.weights();
            assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
            List<String> frozen = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            for (String name : before.keySet()) {
                boolean same = before.get(name).contentEquals(after.get(name));
                if (layers.indexOf(layerOf(name, layers)) < firstTrained) {
                    assertThat(same).as("%s is frozen", name).isTrue();
                    frozen.add(name);
                } else if (!same) {
                    changed.add(name);
                }
            }
            assertThat(frozen)
                    .contains(
                            "class_token",
                            "encoder.pos_embedding",
                            "conv_proj.weight",
                            "encoder.layers.encoder_layer_0.ln_1.weight",
                            "encoder.layers.encoder_layer_0.ln_2.bias");
            assertThat(changed)
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
        LabeledData<float[]> data = data(8);
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> backbone = formulaBackbone(manager);
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

    private static Backbone<float[]> formulaBackbone(NDManager manager) {
        VisionTransformer architecture = small();
        Block block = architecture.newBlock(manager);
        FormulaWeights.initializeWithZeros(block, manager, new Shape(1).addAll(SAMPLE));
        return Backbone.<float[]>builder()
                .setArchitecture(architecture)
                .setPipeline(TensorPipeline.of(SAMPLE))
                .optWeights(FormulaWeights.forBlock(block, manager))
                .build();
    }

    /** The layer a parameter belongs to: the longest layer name it is or starts with. */
    private static String layerOf(String parameter, List<String> layers) {
        return layers.stream()
                .filter(layer -> parameter.equals(layer) || parameter.startsWith(layer + "."))
                .max(Comparator.comparingInt(String::length))
                .orElseThrow();
    }

    private static LabeledData<float[]> data(int n) {
        Random random = new Random(7);
        List<float[]> inputs = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            float[] x = new float[(int) SAMPLE.size()];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) random.nextGaussian() + (labels[i] == 0 ? 0.5f : -0.5f);
            }
            inputs.add(x);
        }
        return LabeledData.of(inputs, labels, List.of("light", "dark"));
    }
}
