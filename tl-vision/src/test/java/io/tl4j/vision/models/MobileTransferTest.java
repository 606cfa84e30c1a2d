package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.vision.Vision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EfficientNet and MobileNetV3 under tl-core's {@link TransferLearner}: frozen stages keep their
 * parameters and BatchNorm statistics (they run in inference mode, so stochastic depth is off
 * there), the stages after them train, stochastic depth drops whole samples in training only, and
 * saved models load back through the registered architectures.
 */
class MobileTransferTest {

    private static final Shape SAMPLE = new Shape(3, 32, 32);

    @Test
    void freezeUntilKeepsFrozenStagesAndTheirBatchNormStatisticsAsTheyWere() {
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> backbone = formulaBackbone(EfficientNet.of(0, 0), manager);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil("features.6")
                        .epochs(1)
                        .batchSize(8)
                        .learningRate(0.01f)
                        .progressBar(false)
                        .seed(3)
                        .fit(data(16));
                Backbone<float[]> trained = model.backbone()) {
            List<String> layers = backbone.layers();
            assertThat(layers).startsWith("features.0", "features.1").endsWith("features.8", "avgpool");
            int firstTrained = layers.indexOf("features.6");
            Map<String, NDArray> before = backbone.weights();
            Map<String, NDArray> after = trained.weights();
            assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
            List<String> changed = new ArrayList<>();
            for (String name : before.keySet()) {
                boolean same = before.get(name).contentEquals(after.get(name));
                if (layers.indexOf(layerOf(name, layers)) < firstTrained) {
                    assertThat(same).as("%s is frozen", name).isTrue();
                } else if (!same) {
                    changed.add(name);
                }
            }
            assertThat(changed)
                    .as("weights and BatchNorm statistics of the trained stages")
                    .anyMatch(n -> n.startsWith("features.6.") && n.endsWith(".weight"))
                    .anyMatch(n -> n.startsWith("features.7.") && n.endsWith(".running_mean"));
        }
    }

    @Test
    void convNeXtTrainsItsUnfrozenStagesLayerScaleIncludedAndKeepsTheRest() {
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> backbone = formulaBackbone(ConvNeXt.tiny(0), manager);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil("features.6")
                        .epochs(1)
                        .batchSize(8)
                        .learningRate(0.01f)
                        .progressBar(false)
                        .seed(3)
                        .fit(data(8));
                Backbone<float[]> trained = model.backbone()) {
            List<String> layers = backbone.layers();
            Map<String, NDArray> before = backbone.weights();
            Map<String, NDArray> after = trained.weights();
            List<String> changed = new ArrayList<>();
            for (String name : before.keySet()) {
                boolean same = before.get(name).contentEquals(after.get(name));
                if (layers.indexOf(layerOf(name, layers)) < layers.indexOf("features.6")) {
                    assertThat(same).as("%s is frozen", name).isTrue();
                } else if (!same) {
                    changed.add(name);
                }
            }
            assertThat(changed)
                    .contains("features.6.1.weight", "features.7.2.layer_scale", "features.7.0.block.3.weight");
        }
    }

    @Test
    void stochasticDepthDropsWholeSamplesInTrainingOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray branch = manager.ones(new Shape(400, 2, 3, 3));
            assertThat(StochasticDepth.apply(branch, 0.3f, false)).isSameAs(branch);
            assertThat(StochasticDepth.apply(branch, 0f, true)).isSameAs(branch);
            float[] dropped = StochasticDepth.apply(branch, 0.3f, true).toFloatArray();
            int zeros = 0;
            for (int n = 0; n < 400; n++) {
                float first = dropped[n * 18];
                for (int k = 1; k < 18; k++) {
                    assertThat(dropped[n * 18 + k])
                            .as("sample %d is dropped or kept whole", n)
                            .isEqualTo(first);
                }
                assertThat(first).isIn(0f, 1f / 0.7f);
                zeros += first == 0f ? 1 : 0;
            }
            assertThat(zeros).isBetween(80, 160); // 120 expected
            assertThat(StochasticDepth.apply(branch, 1f, true).sum().getFloat()).isZero();
            assertThatThrownBy(() -> StochasticDepth.checked(1.5f)).hasMessageContaining("[0, 1]");
        }
    }

    @Test
    void savedModelsWithAMobileNetBackboneLoadBack(@TempDir Path dir) {
        LabeledData<float[]> data = data(8);
        try (Backbone<float[]> backbone = Vision.custom("small", MobileNetV3.of(MobileNetV3.Size.SMALL, 0))
                        .untrainedBackbone(TensorPipeline.of(SAMPLE));
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil("features.11")
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

    /** A backbone with the golden tests' formula weights, so that every running statistic is set. */
    private static Backbone<float[]> formulaBackbone(ImageArchitecture architecture, NDManager manager) {
        Block block = architecture.newBlock(manager);
        FormulaWeights.initializeWithZeros(block, manager, new Shape(1).addAll(SAMPLE));
        return Backbone.<float[]>builder()
                .setArchitecture(architecture)
                .setPipeline(TensorPipeline.of(SAMPLE))
                .optWeights(FormulaWeights.forBlock(block, manager))
                .build();
    }

    /** The layer a parameter belongs to: the longest layer name it starts with. */
    private static String layerOf(String parameter, List<String> layers) {
        return layers.stream()
                .filter(layer -> parameter.startsWith(layer + "."))
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
