package io.tl4j.vision.models;

import static io.tl4j.vision.models.TransferFixtures.compare;
import static io.tl4j.vision.models.TransferFixtures.formulaBackbone;
import static io.tl4j.vision.models.TransferFixtures.twoClasses;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inception-v3 under tl-core's {@link TransferLearner}: with the auxiliary classifier kept, the
 * unfrozen layers train, the frozen ones and the never-computed {@code AuxLogits} parameters stay as
 * loaded, and the saved model loads back through the registered architecture.
 */
class InceptionTransferTest {

    private static final Shape SAMPLE = new Shape(3, 75, 75);

    @Test
    void trainsUnfrozenMixedBlocksKeepsAuxLogitsAndLoadsBack(@TempDir Path dir) {
        InceptionV3 architecture = InceptionV3.of(1000, true).withNumClasses(0);
        LabeledData<float[]> data = twoClasses(SAMPLE, 4);
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> backbone = formulaBackbone(architecture, SAMPLE, manager);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil("Mixed_6e")
                        .epochs(1)
                        .batchSize(4)
                        .learningRate(0.01f)
                        .progressBar(false)
                        .seed(3)
                        .fit(data);
                Backbone<float[]> trained = model.backbone()) {
            assertThat(trained.weights()).containsKey("AuxLogits.fc.weight");
            assertThat(compare(backbone, trained, "Mixed_6e").changed())
                    .contains("Mixed_6e.branch1x1.conv.weight", "Mixed_7c.branch_pool.bn.running_mean")
                    .noneMatch(n -> n.startsWith("Mixed_6d.") || n.startsWith("AuxLogits."));
            model.save(dir);
            try (TransferModel<float[]> loaded = TransferModel.load(dir)) {
                assertThat(loaded.probabilities(data.inputs())).isDeepEqualTo(model.probabilities(data.inputs()));
            }
        }
    }
}
