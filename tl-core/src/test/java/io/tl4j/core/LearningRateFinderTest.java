package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.train.OptimizerSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The learning-rate range test: a rising sweep on a copy, a suggestion where the loss falls fastest. */
class LearningRateFinderTest {

    @Test
    void suggestsARateOnALearnableTaskAndChangesNeitherLearnerNorBackbone() {
        LabeledData<float[]> data = Fixtures.tiny(30, 1);
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16)) {
            Map<String, float[]> before = Fixtures.values(backbone.weights());
            TransferLearner<float[]> learner =
                    TransferLearner.from(backbone).unfreezeAll().batchSize(8);
            TrainingConfig config = learner.config();
            LearningRateCurve curve = learner.findLearningRate(data);
            List<Double> rates = curve.learningRates();
            assertThat(rates.get(0)).isCloseTo(LearningRateFinder.MIN_LR, within(1e-12));
            for (int i = 1; i < rates.size(); i++) {
                assertThat(rates.get(i)).isGreaterThan(rates.get(i - 1));
            }
            assertThat(curve.losses()).hasSameSizeAs(rates).hasSameSizeAs(curve.smoothed());
            assertThat(curve.suggestion()).isPresent();
            assertThat(curve.suggestion().getAsDouble()).isBetween(1e-5, 1.0);
            assertThat(curve.note()).contains("steepest descent");
            assertThat(learner.config()).isEqualTo(config);
            Map<String, float[]> after = Fixtures.values(backbone.weights());
            before.forEach(
                    (name, values) -> assertThat(after.get(name)).as(name).containsExactly(values));
            // the suggestion is worth taking: five epochs at it end far lower than at a rate 1,000 times smaller
            double suggested = curve.suggestion().getAsDouble();
            assertThat(finalLoss(learner.learningRate((float) suggested), data))
                    .isLessThan(finalLoss(learner.learningRate((float) (suggested / 1000)), data) - 0.1);
        }
    }

    @Test
    void aSweepThatDivergesAtOnceSuggestsNothingAndSaysWhy() {
        LabeledData<float[]> data = Fixtures.tiny(30, 1);
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16)) {
            TransferLearner<float[]> learner =
                    TransferLearner.from(backbone).unfreezeAll().batchSize(8).optimizer(OptimizerSpec.sgd(1f, 0f));
            LearningRateCurve curve = LearningRateFinder.find(learner, data, 1e6, 1e12, 40);
            assertThat(curve.suggestion()).isEmpty();
            assertThat(curve.minimumOverTen()).isEmpty();
            assertThat(curve.note()).contains("no suggestion");
            assertThatThrownBy(() -> LearningRateFinder.find(learner, data, 1, 0.1, 40))
                    .hasMessageContaining("0 < minLr < maxLr");
            assertThatThrownBy(() -> LearningRateFinder.find(learner, data, 1e-6, 1, 3))
                    .hasMessageContaining("at least 10 steps");
        }
    }

    private static double finalLoss(TransferLearner<float[]> learner, LabeledData<float[]> data) {
        try (TransferModel<float[]> model = learner.epochs(5).progressBar(false).fit(data)) {
            List<EpochRecord> epochs = model.history().epochs();
            return epochs.get(epochs.size() - 1).trainLoss();
        }
    }
}
