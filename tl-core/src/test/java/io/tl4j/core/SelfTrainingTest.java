package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.adapt.PseudoLabelSelection;
import io.tl4j.core.adapt.SelfTraining;
import io.tl4j.core.adapt.SelfTrainingResult;
import io.tl4j.core.adapt.Unlabelled;
import io.tl4j.core.data.LabeledData;
import org.junit.jupiter.api.Test;

class SelfTrainingTest {

    /** Three well separated Gaussian blobs in the fixtures' input space: a teacher learns them from a few labels. */
    static LabeledData<float[]> blobs(int perClass, long seed) {
        java.util.Random random = new java.util.Random(seed);
        java.util.List<float[]> inputs = new java.util.ArrayList<>();
        int[] labels = new int[3 * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
            float[] x = new float[Fixtures.INPUT];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) random.nextGaussian() + (k % 3 == labels[i] ? 3f : 0f);
            }
            inputs.add(x);
        }
        return LabeledData.of(inputs, labels, java.util.List.of("a", "b", "c"));
    }

    private static TransferLearner<float[]> learner(Backbone<float[]> backbone) {
        return TransferLearner.from(backbone)
                .progressBar(false)
                .learningRate(1e-2f)
                .batchSize(8)
                .epochs(20);
    }

    @Test
    void confidentPseudoLabelsJoinTrainingRoundByRoundWithTheirAccuracyReported() {
        LabeledData<float[]> labelled = blobs(3, 1);
        LabeledData<float[]> pool = blobs(30, 2);
        try (Backbone<float[]> backbone = Fixtures.randomMlp(32, 16)) {
            SelfTrainingResult<float[]> result = SelfTraining.with(learner(backbone))
                    .threshold(0.6)
                    .rounds(2)
                    .run(labelled, Unlabelled.hidingLabels(pool));
            try (TransferModel<float[]> model = result.model()) {

                assertThat(result.stopReason()).isEmpty();
                assertThat(result.rounds()).hasSize(2);
                for (SelfTrainingResult.Round round : result.rounds()) {
                    assertThat(round.taken()).isBetween(1, pool.size());
                    assertThat(round.pool()).isEqualTo(pool.size());
                    assertThat(round.accuracy()).isGreaterThan(0.5);
                    assertThat(round.toString()).contains("pseudo-labels taken").contains("% right");
                }
                assertThat(model.evaluate(pool).accuracy()).isGreaterThan(0.5);
            }
        }
    }

    @Test
    void withNoPredictionAboveTheThresholdItStopsWithAMessageAndReturnsTheModelUnchanged() {
        LabeledData<float[]> labelled = blobs(3, 1);
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> teacher = TransferLearner.from(backbone)
                        .progressBar(false)
                        .epochs(1)
                        .learningRate(1e-6f)
                        .fit(labelled)) {
            Unlabelled<float[]> pool = Unlabelled.of(blobs(10, 3).inputs());
            float[][] before = teacher.probabilities(pool.inputs());
            SelfTrainingResult<float[]> result =
                    SelfTraining.with(learner(backbone)).threshold(1.0).run(teacher, labelled, pool);
            assertThat(result.rounds()).as(result.stopReason().orElse("")).isEmpty();
            assertThat(result.model()).isSameAs(teacher);
            assertThat(result.stopReason())
                    .hasValueSatisfying(m -> assertThat(m)
                            .contains("round 1")
                            .contains("no prediction on the 30 unlabelled inputs reaches the threshold 1.000")
                            .contains("unchanged"));
            assertThat(teacher.probabilities(pool.inputs())).isDeepEqualTo(before);
        }
    }

    @Test
    void classBalancedSelectionTakesTheTopFractionOfEveryPredictedClassGrowingEachRound() {
        LabeledData<float[]> labelled = blobs(3, 1);
        LabeledData<float[]> pool = blobs(30, 2);
        try (Backbone<float[]> backbone = Fixtures.randomMlp(32, 16);
                TransferModel<float[]> teacher = learner(backbone).fit(labelled)) {
            int[] assigned = new int[3];
            for (float[] p : teacher.probabilities(pool.inputs())) {
                int best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
                assigned[best]++;
            }
            int expected = 0;
            for (int count : assigned) {
                expected += count == 0 ? 0 : Math.max(1, (int) Math.round(0.2 * count));
            }
            SelfTrainingResult<float[]> result = SelfTraining.with(learner(backbone))
                    .classBalanced(0.2)
                    .rounds(2)
                    .run(teacher, labelled, Unlabelled.hidingLabels(pool));
            try (TransferModel<float[]> model = result.model()) {
                assertThat(result.rounds()).hasSize(2);
                assertThat(result.rounds().get(0).taken()).isEqualTo(expected);
                assertThat(result.rounds().get(1).taken()).isGreaterThan(expected);
                assertThat(result.rounds().get(0).accuracy()).isGreaterThan(0.5);
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> SelfTraining.with(TransferLearner.from(Fixtures.randomMlp(4, 4)))
                                .classBalanced(0))
                .hasMessageContaining("fraction must be in (0, 1]");
    }

    @Test
    void anEqualPerClassSelectionTakesTheSameNumberOfEveryPredictedClass() {
        LabeledData<float[]> labelled = blobs(3, 1);
        LabeledData<float[]> pool = blobs(30, 2);
        try (Backbone<float[]> backbone = Fixtures.randomMlp(32, 16);
                TransferModel<float[]> teacher = learner(backbone).fit(labelled)) {
            int[] assigned = new int[3];
            for (float[] p : teacher.probabilities(pool.inputs())) {
                int best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
                assigned[best]++;
            }
            int perClass = (int) Math.round(0.1 * pool.size() / 3);
            for (int count : assigned) {
                perClass = Math.min(perClass, count);
            }
            int expected = 3 * perClass;
            SelfTrainingResult<float[]> result = SelfTraining.with(learner(backbone))
                    .selection(PseudoLabelSelection.equalPerClass(0.1))
                    .rounds(1)
                    .run(teacher, labelled, Unlabelled.hidingLabels(pool));
            try (TransferModel<float[]> model = result.model()) {
                assertThat(expected).isPositive();
                assertThat(result.rounds())
                        .singleElement()
                        .satisfies(r -> assertThat(r.taken()).isEqualTo(expected));
            }
        }
    }
}
