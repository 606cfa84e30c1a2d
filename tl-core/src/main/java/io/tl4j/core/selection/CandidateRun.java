package io.tl4j.core.selection;

import io.tl4j.core.Backbone;
import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.data.LabeledData;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Scores one backbone on labelled data and measures its cost: builds it frozen, extracts the
 * features once through {@link FrozenFeatures} (timed after a warm-up batch), times a linear head's
 * training step on them, then computes the scores. Features that are not finite (a diverged
 * network) are refused, naming the first such value.
 */
final class CandidateRun {

    private static final int WARM_UP_EXAMPLES = 2;

    private CandidateRun() {}

    /**
     * Measures and scores a loaded backbone.
     *
     * @param backbone the backbone
     * @param data the labelled data, already checked by {@link ScoreSettings#requireScorable}
     * @param scores the scores to compute
     * @param settings the scores' parameters
     * @param memory the peak-memory measurement started before the backbone was loaded
     * @param <I> the raw input type
     * @return the scores and the cost
     */
    static <I> Measured measure(
            Backbone<I> backbone, LabeledData<I> data, List<Score> scores, ScoreSettings settings, PeakMemory memory) {
        float[][] features;
        long parameters;
        double inferenceMs;
        try (FrozenFeatures<I> extractor = FrozenFeatures.of(backbone, settings.seed())) {
            parameters = extractor.parameterCount();
            int[] warmUp = new int[Math.min(WARM_UP_EXAMPLES, data.size())];
            for (int i = 0; i < warmUp.length; i++) {
                warmUp[i] = i;
            }
            extractor.extract(data.subset(warmUp));
            long start = System.nanoTime();
            features = extractor.extract(data);
            inferenceMs = (System.nanoTime() - start) / 1e6 / data.size();
        }
        requireFinite(features);
        int[] labels = data.labels();
        double trainMs = HeadStepTimer.millisPerExample(features, labels, data.numClasses(), settings.seed());
        double peakMb = memory.megabytes();
        Map<Score, Double> values = new EnumMap<>(Score.class);
        for (Score score : scores) {
            values.put(score, score.compute(features, labels, data.numClasses(), settings));
        }
        return new Measured(values, new Cost(parameters, features[0].length, inferenceMs, trainMs, peakMb));
    }

    private static void requireFinite(float[][] features) {
        for (int i = 0; i < features.length; i++) {
            for (int a = 0; a < features[i].length; a++) {
                if (!Float.isFinite(features[i][a])) {
                    throw new IllegalStateException("The backbone's features are not finite: feature " + a
                            + " of example " + i + " is " + features[i][a]);
                }
            }
        }
    }

    /**
     * Holds what {@link #measure} found.
     *
     * @param scores the scores
     * @param cost the cost
     */
    record Measured(Map<Score, Double> scores, Cost cost) {}
}
