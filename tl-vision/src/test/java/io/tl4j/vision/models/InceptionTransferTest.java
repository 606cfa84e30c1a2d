package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
        LabeledData<float[]> data = data(4);
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> backbone = formulaBackbone(architecture, manager);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil("Mixed_6e")
                        .epochs(1)
                        .batchSize(4)
                        .learningRate(0.01f)
                        .progressBar(false)
                        .seed(3)
                        .fit(data);
                Backbone<float[]> trained = model.backbone()) {
            Map<String, NDArray> before = backbone.weights();
            Map<String, NDArray> after = trained.weights();
            assertThat(after.keySet())
                    .containsExactlyElementsOf(before.keySet())
                    .contains("AuxLogits.fc.weight");
            List<String> changed = new ArrayList<>();
            for (String name : before.keySet()) {
                if (!before.get(name).contentEquals(after.get(name))) {
                    changed.add(name);
                }
            }
            assertThat(changed)
                    .contains("Mixed_6e.branch1x1.conv.weight", "Mixed_7c.branch_pool.bn.running_mean")
                    .noneMatch(n -> n.startsWith("Mixed_6d.") || n.startsWith("AuxLogits."));
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
