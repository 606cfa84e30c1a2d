package io.tl4j.core.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.Prediction;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.data.LabeledData;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrototypeClassifierTest {

    @Test
    void prototypesAreClassMeansAndTheNearestGetsTheHighestProbability() {
        float[][] rows = {{0, 0}, {2, 0}, {0, 2}, {0, 4}};
        float[][] prototypes = Prototypes.of(rows, new int[] {0, 0, 1, 1}, 2, List.of("a", "b"));
        assertThat(prototypes[0]).containsExactly(1f, 0f);
        assertThat(prototypes[1]).containsExactly(0f, 3f);
        float[] p = Prototypes.probabilities(new float[] {1, 1}, prototypes);
        assertThat(p[0]).isCloseTo((float) (1 / (1 + Math.exp(-4))), within(1e-6f));
        assertThat(p[0] + p[1]).isCloseTo(1f, within(1e-6f));
        assertThat(Prototypes.probabilities(new float[] {0, 2.6f}, prototypes)[1])
                .isGreaterThan(0.5f);
    }

    @Test
    void aClassWithoutSupportIsNamed() {
        assertThatThrownBy(() -> Prototypes.of(new float[][] {{1}}, new int[] {0}, 2, List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no example of class 'b'");
    }

    @Test
    void classifierPicksTheNearestPrototypeOfTheBackbonesEmbeddings() {
        LabeledData<float[]> support = LabeledData.of(
                List.of(vector(0), vector(1), vector(10), vector(11), vector(-10)),
                new int[] {0, 0, 1, 1, 2},
                List.of("low", "high", "negative"));
        try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                        .setArchitecture(Architectures.mlp(16))
                        .setPipeline(TensorPipeline.of(new Shape(4)))
                        .build();
                PrototypeClassifier<float[]> classifier = PrototypeClassifier.of(backbone, support);
                FrozenFeatures<float[]> features = FrozenFeatures.of(backbone, 0)) {
            float[][] supportRows = features.extract(support);
            float[][] prototypes = Prototypes.of(supportRows, support.labels(), 3, support.classNames());
            LabeledData<float[]> test = LabeledData.of(
                    List.of(vector(0.5f), vector(9), vector(-8), vector(3)),
                    new int[] {0, 1, 2, 0},
                    List.of("low", "high", "negative"));
            float[][] testRows = features.extract(test);
            int[] nearest = new int[testRows.length];
            for (int i = 0; i < testRows.length; i++) {
                nearest[i] = nearest(testRows[i], prototypes);
            }
            for (int i = 0; i < test.size(); i++) {
                List<Prediction> ranked = classifier.classify(test.input(i));
                assertThat(ranked.get(0).index()).as("input %d", i).isEqualTo(nearest[i]);
                assertThat(ranked.get(0).label()).isEqualTo(support.classNames().get(nearest[i]));
                assertThat(ranked.stream().mapToDouble(Prediction::probability).sum())
                        .isCloseTo(1.0, within(1e-5));
            }
            int right = 0;
            for (int i = 0; i < test.size(); i++) {
                right += nearest[i] == test.label(i) ? 1 : 0;
            }
            assertThat(classifier.evaluate(test).accuracy()).isEqualTo(right / (double) test.size());
        }
    }

    @Test
    void testClassMissingFromTheSupportSetIsNamed() {
        LabeledData<float[]> support =
                LabeledData.of(List.of(vector(0), vector(1)), new int[] {0, 1}, List.of("low", "high"));
        LabeledData<float[]> test = LabeledData.of(List.of(vector(2)), new int[] {0}, List.of("middle"));
        try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                        .setArchitecture(Architectures.mlp(8))
                        .setPipeline(TensorPipeline.of(new Shape(4)))
                        .build();
                PrototypeClassifier<float[]> classifier = PrototypeClassifier.of(backbone, support)) {
            assertThatThrownBy(() -> classifier.evaluate(test))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'middle'")
                    .hasMessageContaining("[low, high]");
        }
    }

    private static float[] vector(float x) {
        return new float[] {x, x / 2, -x, 1};
    }

    private static int nearest(float[] row, float[][] prototypes) {
        int best = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int c = 0; c < prototypes.length; c++) {
            double d = 0;
            for (int j = 0; j < row.length; j++) {
                d += (row[j] - prototypes[c][j]) * (row[j] - prototypes[c][j]);
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }
}
