package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.meta.PrototypeClassifier;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Does episodic meta-training help on the speech new-words task? Five new words (backward, forward,
 * follow, learn, visual) from 1, 3 and 5 clips each over seeds 1-3, three methods: nearest
 * prototype with the meta-trained encoder ({@link SpeechMetaPretrain}), nearest prototype with the
 * shipped classification-pretrained encoder ({@link KeywordEncoder#pretrained()}), both with no
 * training, and the speech quick start's fine-tuning recipe on the shipped encoder. Tested on the
 * held-out espeak voices and on the flite voices, as {@link SpeechQuickStart} does; ends with a
 * {@code RESULT speech_meta ...} line. The system property {@code tl4j.fineTune=false} skips the
 * fine-tuning (its columns read NaN), for a quick look at the prototypes alone; {@code
 * tl4j.metaEncoder} names another directory {@link SpeechMetaPretrain} wrote.
 */
public final class SpeechMetaEvaluation {

    static final int[] SHOTS = {1, 3, 5};
    static final long[] SEEDS = {1, 2, 3};

    private SpeechMetaEvaluation() {}

    /**
     * One draw's accuracies: per method, on held-out espeak voices and on flite voices.
     *
     * @param protoMeta nearest prototype, meta-trained encoder, held-out espeak voices
     * @param protoStandard nearest prototype, shipped encoder, held-out espeak voices
     * @param fineTune the quick start's fine-tuning, held-out espeak voices
     * @param protoMetaFlite nearest prototype, meta-trained encoder, flite voices
     * @param protoStandardFlite nearest prototype, shipped encoder, flite voices
     * @param fineTuneFlite the quick start's fine-tuning, flite voices
     */
    record Scores(
            double protoMeta,
            double protoStandard,
            double fineTune,
            double protoMetaFlite,
            double protoStandardFlite,
            double fineTuneFlite) {}

    /** The new-words corpus and the three methods; close it to free the encoders. */
    static final class Comparison implements AutoCloseable {
        final SpeechQuickStart.Experiment experiment = new SpeechQuickStart.Experiment();
        final Backbone<Audio> meta = SpeechMetaEncoder.load(KeywordEncoder.pipeline());

        /**
         * Runs the three methods on one draw of support clips.
         *
         * @param shots clips per new word
         * @param seed the draw (as the quick start draws it) and the fine-tuning seed
         * @param fineTune whether to run the fine-tuning too (NaN otherwise)
         * @return the accuracies
         */
        Scores run(int shots, long seed, boolean fineTune) {
            LabeledData<Audio> support = experiment.pool.samplePerClass(shots, 1000 + seed);
            double[] protoMeta = prototypes(meta, support);
            double[] protoStandard = prototypes(experiment.pretrained, support);
            double[] tuned = {Double.NaN, Double.NaN};
            if (fineTune) {
                try (TransferModel<Audio> model =
                        experiment.fineTune(support, seed).fit(support)) {
                    tuned = new double[] {
                        model.evaluate(experiment.heldOut).accuracy(),
                        model.evaluate(experiment.flite).accuracy()
                    };
                }
            }
            return new Scores(protoMeta[0], protoStandard[0], tuned[0], protoMeta[1], protoStandard[1], tuned[1]);
        }

        private double[] prototypes(Backbone<Audio> encoder, LabeledData<Audio> support) {
            try (PrototypeClassifier<Audio> classifier = PrototypeClassifier.of(encoder, support)) {
                return new double[] {
                    classifier.evaluate(experiment.heldOut).accuracy(),
                    classifier.evaluate(experiment.flite).accuracy()
                };
            }
        }

        @Override
        public void close() {
            meta.close();
            experiment.close();
        }
    }

    /**
     * Runs the comparison over 1, 3 and 5 shots and seeds 1-3 and prints the table.
     *
     * @param args none
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        boolean fineTune = Boolean.parseBoolean(System.getProperty("tl4j.fineTune", "true"));
        try (Comparison comparison = new Comparison()) {
            System.out.println(
                    "Meta-trained encoder: " + comparison.meta.provenance().note());
            System.out.println("Shipped encoder: " + KeywordEncoder.provenance().note());
            System.out.println("shots | test set         | proto meta    | proto shipped | fine-tuning");
            double[] gain = new double[SHOTS.length];
            for (int s = 0; s < SHOTS.length; s++) {
                Scores[] runs = new Scores[SEEDS.length];
                for (int i = 0; i < SEEDS.length; i++) {
                    runs[i] = comparison.run(SHOTS[s], SEEDS[i], fineTune);
                    System.out.printf(
                            Locale.ROOT,
                            "  %d shots, seed %d: %s (%.0fs)%n",
                            SHOTS[s],
                            SEEDS[i],
                            runs[i],
                            (System.nanoTime() - start) / 1e9);
                }
                System.out.printf(
                        Locale.ROOT,
                        "%5d | held-out espeak  | %s | %s | %s%n",
                        SHOTS[s],
                        meanSd(runs, Scores::protoMeta),
                        meanSd(runs, Scores::protoStandard),
                        meanSd(runs, Scores::fineTune));
                System.out.printf(
                        Locale.ROOT,
                        "%5d | flite (unseen)   | %s | %s | %s%n",
                        SHOTS[s],
                        meanSd(runs, Scores::protoMetaFlite),
                        meanSd(runs, Scores::protoStandardFlite),
                        meanSd(runs, Scores::fineTuneFlite));
                gain[s] = mean(runs, Scores::protoMeta) - mean(runs, Scores::protoStandard);
            }
            System.out.printf(
                    Locale.ROOT,
                    "RESULT speech_meta gain_1shot=%.4f gain_3shot=%.4f gain_5shot=%.4f seeds=3 seconds=%.0f"
                            + " load_avg=%.1f%n",
                    gain[0],
                    gain[1],
                    gain[2],
                    (System.nanoTime() - start) / 1e9,
                    ModelSelectionQuickStart.loadAverage());
        }
    }

    static double mean(Scores[] runs, ToDoubleFunction<Scores> metric) {
        return Arrays.stream(runs).mapToDouble(metric).average().orElse(Double.NaN);
    }

    static String meanSd(Scores[] runs, ToDoubleFunction<Scores> metric) {
        double m = mean(runs, metric);
        double sd = Math.sqrt(Arrays.stream(runs)
                        .mapToDouble(metric)
                        .map(x -> (x - m) * (x - m))
                        .sum()
                / Math.max(1, runs.length - 1));
        return String.format(Locale.ROOT, "%.3f ± %.3f", m, sd);
    }
}
