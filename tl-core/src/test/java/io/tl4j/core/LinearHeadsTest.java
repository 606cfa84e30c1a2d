package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.data.LabeledData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A linear head fitted elsewhere computes softmax(W features + b) on the backbone's features and saves. */
class LinearHeadsTest {

    @Test
    void headComputesTheGivenLinearMapOnTheBackboneFeatures(@TempDir Path dir) {
        LabeledData<float[]> data = Fixtures.tiny(4, 1);
        List<float[]> inputs = data.inputs();
        try (Backbone<float[]> backbone = Fixtures.randomMlp(6);
                FrozenFeatures<float[]> extractor = FrozenFeatures.of(backbone, 0)) {
            float[][] features = extractor.extract(data);
            float[][] weights = {{1, -2, 0, 0.5f, 0, 1}, {0, 1, 1, 0, -1, 0}, {-1, 0, 2, 0, 0, 0.25f}};
            float[] bias = {0.1f, -0.2f, 0.3f};
            // both instantiate the random backbone with seed 0, so the model's features are the extractor's
            try (TransferModel<float[]> model = LinearHeads.of(backbone, List.of("x", "y", "z"), weights, bias)) {
                float[][] logits = model.logits(inputs);
                for (int i = 0; i < inputs.size(); i++) {
                    for (int c = 0; c < 3; c++) {
                        double expected = bias[c];
                        for (int f = 0; f < 6; f++) {
                            expected += weights[c][f] * features[i][f];
                        }
                        assertThat(logits[i][c]).isCloseTo((float) expected, within(1e-4f));
                    }
                }
                model.save(dir);
                try (TransferModel<float[]> loaded = TransferModel.load(dir)) {
                    assertThat(loaded.logits(inputs)).isEqualTo(logits);
                    assertThat(loaded.classNames()).containsExactly("x", "y", "z");
                }
            }
        }
    }

    @Test
    void refusesMismatchedShapesAndNonFiniteValues() {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(6)) {
            assertThatThrownBy(() -> LinearHeads.of(backbone, List.of("x", "y"), new float[2][5], new float[2]))
                    .hasMessageContaining("Weight row 0 ('x') has 5 values but the backbone has 6 features");
            assertThatThrownBy(() -> LinearHeads.of(backbone, List.of("x", "y"), new float[2][6], new float[3]))
                    .hasMessageContaining("2 class names but 2 weight rows and 3 bias values");
            float[][] weights = new float[2][6];
            weights[1][2] = Float.NaN;
            assertThatThrownBy(() -> LinearHeads.of(backbone, List.of("x", "y"), weights, new float[2]))
                    .hasMessageContaining("weight row 1 has a non-finite value at 2");
        }
    }
}
