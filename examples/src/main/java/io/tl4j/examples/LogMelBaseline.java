package io.tl4j.examples;

import ai.djl.ndarray.NDManager;
import io.tl4j.core.curve.CurveMethod;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.nlp.baseline.LogisticRegression;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.features.AudioPipeline;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The classical speech baseline of the speech learning curve: a logistic regression on 80 statistics of
 * each clip's log-mel spectrogram, no network. The spectrogram is the keyword encoder's (40 mel bands,
 * 40 ms windows every 20 ms, {@link KeywordEncoder#pipeline()}), computed over the clip's own length
 * (no padding to 1 s); the statistics are each band's mean over time minus the clip's overall mean
 * (which removes the recording gain, a constant in the log domain) and each band's standard deviation
 * over time. C is chosen from {@link LogisticRegression#defaultCandidates()} by 5-fold (fewer when a
 * class has fewer clips) cross-validation on the training clips only; with one clip per class, where
 * nothing can be held out, C is scikit-learn's default 1. Statistics are remembered per clip, so the
 * test set's are computed once however many fits use them.
 */
final class LogMelBaseline implements AutoCloseable {

    /** C when a class has a single training clip. */
    static final double SINGLE_CLIP_C = 1;

    private final AudioPipeline pipeline = KeywordEncoder.pipeline();
    private final NDManager manager = NDManager.newBaseManager();
    private final Map<Audio, float[]> seen = new IdentityHashMap<>();

    /**
     * Returns the baseline as a learning-curve method.
     *
     * @return a method that fits a logistic regression on the training clips' statistics
     */
    CurveMethod<Audio> method() {
        return (train, seed) -> {
            LabeledData<float[]> features = statistics(train);
            boolean singleClip = Arrays.stream(train.classCounts()).min().orElse(0) < 2;
            LogisticRegression model = singleClip
                    ? LogisticRegression.fit(
                            features.inputs().toArray(float[][]::new),
                            features.labels(),
                            features.numClasses(),
                            SINGLE_CLIP_C)
                    : LogisticRegression.fitCrossValidated(features, LogisticRegression.defaultCandidates(), 5, seed);
            return test -> {
                LabeledData<float[]> x = statistics(test);
                int[] predicted = x.inputs().stream().mapToInt(model::predict).toArray();
                return ClassificationReport.of(x.labels(), predicted, x.classNames());
            };
        };
    }

    /**
     * Returns the statistics of labelled clips, computing only those of clips not seen before.
     *
     * @param clips labelled clips
     * @return the same examples as 80 statistics each, same labels and classes
     * @throws IllegalArgumentException naming a clip too short for one spectrogram frame
     */
    LabeledData<float[]> statistics(LabeledData<Audio> clips) {
        return clips.map(clip -> seen.computeIfAbsent(clip, this::compute));
    }

    /** Computes one clip's band means (gain removed) and band standard deviations. */
    private float[] compute(Audio clip) {
        return bandStatistics(LogMelSpectrogram.of(pipeline, manager, clip));
    }

    /**
     * Returns the statistics of one log-mel spectrogram.
     *
     * @param logMel rows are bands, columns frames
     * @return each band's mean minus the overall mean, then each band's standard deviation
     */
    static float[] bandStatistics(float[][] logMel) {
        int bands = logMel.length;
        double overall = 0;
        double[] means = new double[bands];
        for (int b = 0; b < bands; b++) {
            means[b] = Arrays.stream(toDouble(logMel[b])).average().orElseThrow();
            overall += means[b] / bands;
        }
        float[] out = new float[2 * bands];
        for (int b = 0; b < bands; b++) {
            double m = means[b];
            double variance = Arrays.stream(toDouble(logMel[b]))
                    .map(v -> (v - m) * (v - m))
                    .average()
                    .orElseThrow();
            out[b] = (float) (m - overall);
            out[bands + b] = (float) Math.sqrt(variance);
        }
        return out;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** Frees the engine memory of the spectrograms. */
    @Override
    public void close() {
        manager.close();
    }
}
