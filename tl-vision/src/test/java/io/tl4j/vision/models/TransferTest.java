package io.tl4j.vision.models;

import static io.tl4j.vision.models.TransferFixtures.compare;
import static io.tl4j.vision.models.TransferFixtures.twoClasses;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java ResNet under tl-core's {@link TransferLearner}: frozen layers (BatchNorm statistics
 * included) stay as loaded, the rest trains, and a saved model loads back through the registered
 * architecture.
 */
class TransferTest {

    private static final Shape SAMPLE = new Shape(3, 32, 32);

    @ParameterizedTest
    @ValueSource(strings = {"conv1", "bn1", "relu", "layer1", "layer2", "avgpool"})
    void freezeUntilKeepsEveryEarlierLayerAsLoadedAndTrainsTheRest(String firstTrained) {
        try (PretrainedModel tiny =
                        Vision.custom("tiny", WeightSourcesTest.TINY).weights(WeightSourcesTest.HF_DIR);
                Backbone<float[]> backbone = tiny.backbone(TensorPipeline.of(SAMPLE));
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil(firstTrained)
                        .epochs(1)
                        .batchSize(8)
                        .learningRate(0.01f)
                        .progressBar(false)
                        .seed(3)
                        .fit(twoClasses(SAMPLE, 16));
                Backbone<float[]> trained = model.backbone()) {
            var outcome = compare(backbone, trained, firstTrained);
            boolean anythingTrainable =
                    outcome.frozen().size() < backbone.weights().size();
            assertThat(!outcome.changed().isEmpty())
                    .as("something after %s trained", firstTrained)
                    .isEqualTo(anythingTrainable);
        }
    }

    @Test
    void savedModelsWithAResNetBackboneLoadBack(@TempDir Path dir) {
        // 8 channels, not 4: libtorch 2.7.1's CPU convolution backward intermittently returns NaN input
        // gradients for convolutions narrower than 8 channels (PLATFORM notes in README.md)
        ResNet small = ResNet.builder()
                .setBlockType(BlockType.BOTTLENECK)
                .setBlocksPerStage(1, 1)
                .optBaseWidth(8)
                .optSmallImageStem(true)
                .build();
        LabeledData<float[]> data = twoClasses(SAMPLE, 8);
        try (Backbone<float[]> backbone = Vision.custom("small", small).untrainedBackbone(TensorPipeline.of(SAMPLE));
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .unfreezeAll()
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
