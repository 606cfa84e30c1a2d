package io.tl4j.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.Backbone;
import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.data.LabeledData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input to a selection, and the frozen features it reads. */
class SelectionInputTest {

    private static LabeledData<float[]> data(int... labels) {
        List<float[]> inputs = java.util.Arrays.stream(labels)
                .mapToObj(l -> new float[TinyCandidates.INPUT])
                .toList();
        return LabeledData.of(inputs, labels, List.of("cat", "dog", "eel").subList(0, 3));
    }

    @Test
    void oneClassOrAClassWithOneExampleIsRefusedWithWhatTheScoresNeed() {
        try (Backbone<float[]> b = TinyCandidates.randomMlp(4)) {
            ModelSelection<float[]> selection = ModelSelection.of(Candidate.of("b", b));
            assertThatThrownBy(() -> selection.run(LabeledData.of(
                            List.of(new float[TinyCandidates.INPUT], new float[TinyCandidates.INPUT]),
                            new int[] {0, 0},
                            List.of("cat"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one class only, [cat]")
                    .hasMessageContaining("at least 2 classes with at least 2 examples each");
            assertThatThrownBy(() -> selection.run(data(0, 0, 1, 1, 2)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'eel' has 1")
                    .hasMessageContaining("at least 2 examples each");
        }
    }

    @Test
    void aBackboneWithNonFiniteFeaturesGetsARowNamingTheValue() {
        try (Backbone<float[]> good = TinyCandidates.randomMlp(8)) {
            SelectionReport report = ModelSelection.of(
                            Candidate.loading("diverged", TinyCandidates::outputsNaN), Candidate.of("good", good))
                    .run(TinyCandidates.target(3, 1));
            assertThat(report.rows().get(0).name()).isEqualTo("good");
            assertThat(report.row("diverged").error())
                    .isEqualTo("IllegalStateException: The backbone's features are not finite: feature 0 of example 0"
                            + " is NaN");
        }
    }

    @Test
    void badSettingsAreRefusedWhenGiven() {
        try (Backbone<float[]> b = TinyCandidates.randomMlp(4)) {
            Candidate<float[]> c = Candidate.of("b", b);
            assertThatThrownBy(() -> ModelSelection.of(c, Candidate.of("b", b))).hasMessageContaining("named 'b'");
            assertThatThrownBy(() -> ModelSelection.of(c).scratchBaseline("x"))
                    .hasMessageContaining("No candidate named 'x'")
                    .hasMessageContaining("[b]");
            assertThatThrownBy(() -> ModelSelection.of(c).neighbours(0)).hasMessageContaining("at least 1");
            assertThatThrownBy(() -> ModelSelection.of(c).probeFolds(1)).hasMessageContaining("at least 2 folds");
            assertThatThrownBy(() -> ModelSelection.of(c)
                            .scores(Score.KNN)
                            .rankBy(Score.LOGME)
                            .run(data(0, 0, 1, 1, 2, 2)))
                    .hasMessageContaining("Cannot rank by LOGME");
            assertThatThrownBy(() -> Candidate.of(" ", b)).hasMessageContaining("non-blank name");
        }
    }

    @Test
    void onlyTheChosenScoresAreComputedAndTheFirstRanks() {
        try (Backbone<float[]> b = TinyCandidates.randomMlp(8)) {
            SelectionReport report = ModelSelection.of(Candidate.of("b", b))
                    .scores(Score.KNN, Score.LINEAR_PROBE)
                    .neighbours(3)
                    .run(TinyCandidates.target(4, 1));
            assertThat(report.rankedBy()).isEqualTo(Score.KNN);
            assertThat(report.row("b").scores()).containsOnlyKeys(Score.KNN, Score.LINEAR_PROBE);
            assertThat(report.row("b").score(Score.LOGME)).isNaN();
            assertThatThrownBy(() -> report.rankedBy(Score.LOGME)).hasMessageContaining("computed [KNN, LINEAR_PROBE]");
        }
    }

    @Test
    void frozenFeaturesAreTheBackbonesInferenceOutputs() {
        LabeledData<float[]> data = TinyCandidates.target(3, 2);
        try (Backbone<float[]> b = TinyCandidates.randomMlp(16, 8);
                FrozenFeatures<float[]> extractor = FrozenFeatures.of(b, 1)) {
            float[][] features = extractor.extract(data);
            assertThat(features).hasNumberOfRows(data.size());
            assertThat(features[0]).hasSize(8);
            // the same examples one at a time give the same rows: inference mode, no batch statistics
            float[][] single = extractor.extract(data.subset(new int[] {4}));
            assertThat(single[0]).containsExactly(features[4], within(1e-5f));
            assertThat(extractor.parameterCount()).isEqualTo(64 * 16 + 16 + 2 * 16 + 16 * 8 + 8 + 2 * 8);
        }
    }
}
