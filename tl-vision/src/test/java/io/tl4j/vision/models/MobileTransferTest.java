package io.tl4j.vision.models;

import static io.tl4j.vision.models.TransferFixtures.compare;
import static io.tl4j.vision.models.TransferFixtures.formulaBackbone;
import static io.tl4j.vision.models.TransferFixtures.twoClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.vision.Vision;
import java.nio.file.Path;
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
                Backbone<float[]> backbone = formulaBackbone(EfficientNet.of(0, 0), SAMPLE, manager);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil("features.6")
                        .epochs(1)
                        .batchSize(8)
                        .learningRate(0.01f)
                        .progressBar(false)
                        .seed(3)
                        .fit(twoClasses(SAMPLE, 16));
                Backbone<float[]> trained = model.backbone()) {
            assertThat(backbone.layers()).startsWith("features.0", "features.1").endsWith("features.8", "avgpool");
            assertThat(compare(backbone, trained, "features.6").changed())
                    .as("weights and BatchNorm statistics of the trained stages")
                    .anyMatch(n -> n.startsWith("features.6.") && n.endsWith(".weight"))
                    .anyMatch(n -> n.startsWith("features.7.") && n.endsWith(".running_mean"));
        }
    }

    @Test
    void convNeXtTrainsItsUnfrozenStagesLayerScaleIncludedAndKeepsTheRest() {
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> backbone = formulaBackbone(ConvNeXt.tiny(0), SAMPLE, manager);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil("features.6")
                        .epochs(1)
                        .batchSize(8)
                        .learningRate(0.01f)
                        .progressBar(false)
                        .seed(3)
                        .fit(twoClasses(SAMPLE, 8));
                Backbone<float[]> trained = model.backbone()) {
            assertThat(compare(backbone, trained, "features.6").changed())
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
        LabeledData<float[]> data = twoClasses(SAMPLE, 8);
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
}
