package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.selection.Candidate;
import io.tl4j.core.selection.ModelSelection;
import io.tl4j.core.selection.SelectionProof;
import io.tl4j.core.selection.SelectionReport;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.examples.catalog.SpeechBackbones;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.features.AudioPipeline;
import io.tl4j.speech.features.SpecAugment;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks that the selection scores predict fine-tuning on the speech new-words task: the catalog's
 * keyword encoders ({@link SpeechBackbones}) and an untrained copy are ranked on 5 clips per word of
 * 5 new words, then each is fine-tuned with the speech quick start's recipe (block1..block3 frozen,
 * block4 at a tenth of the head's rate, SpecAugment, 100 steps of batch 16) over seeds 1-3 and
 * tested on the held-out espeak voices. Ends with a {@code RESULT speech_selection ...} line.
 *
 * <p>Measured (seeds 1-3): LogME orders the four exactly as fine-tuning does (tau 1.00, regret 0),
 * the linear probe nearly so (0.91), kNN poorly (0.33, though its top pick is right).
 */
public final class SpeechModelSelection {

    /** Labelled clips per new word. */
    static final int PER_CLASS = 5;
    /** The seed of the training draw: the user's data stays the same across fine-tuning seeds. */
    static final long DATA_SEED = 1001;
    /** The name of the untrained row. */
    static final String SCRATCH = SpeechBackbones.SHIPPED.displayName() + " (scratch)";

    private SpeechModelSelection() {}

    /**
     * Runs the selection and the fine-tuning over seeds 1-3: 18 minutes on 2 cores shared at load
     * average 10 (selection 17 s, fine-tuning the four 346 s per seed).
     *
     * @param args none
     */
    public static void main(String[] args) {
        SelectionProof proof = run(new long[] {1, 2, 3});
        System.out.printf(
                Locale.ROOT,
                "RESULT speech_selection %s seeds=3 load_avg=%.1f%n",
                proof.summary(),
                ModelSelectionQuickStart.loadAverage());
    }

    /**
     * Ranks the encoders on the new words, then fine-tunes each on every seed.
     *
     * @param seeds the fine-tuning seeds
     * @return the scores against the fine-tuned accuracies
     */
    static SelectionProof run(long[] seeds) {
        AdaptationWords words = AdaptationWords.extract();
        LabeledData<Audio> train = AudioFolder.at(words.train()).load().samplePerClass(PER_CLASS, DATA_SEED);
        LabeledData<Audio> test = AudioFolder.at(words.heldOutVoices()).load();
        System.out.printf(
                Locale.ROOT,
                "1. New words %s: %d labelled clips (%d per word), %d test clips by held-out voices%n",
                train.classNames(),
                train.size(),
                PER_CLASS,
                test.size());
        List<Candidate<Audio>> candidates = Arrays.stream(SpeechBackbones.values())
                .map(b -> Candidate.loading(b.displayName(), () -> b.backbone(KeywordEncoder.pipeline())))
                .toList();
        SelectionReport report = ModelSelection.of(candidates)
                .scratchBaseline(SpeechBackbones.SHIPPED.displayName())
                .run(train);
        System.out.println(report.table());

        AudioPipeline augmented = KeywordEncoder.pipeline().toBuilder()
                .optRandomCrop(true)
                .optSpecAugment(new SpecAugment(2, 4, 2, 6))
                .build();
        Map<String, Supplier<Backbone<Audio>>> encoders = new LinkedHashMap<>();
        for (SpeechBackbones b : SpeechBackbones.values()) {
            encoders.put(b.displayName(), () -> b.backbone(augmented));
        }
        encoders.put(SCRATCH, () -> KeywordEncoder.untrained(augmented));
        Map<String, double[]> accuracy = new LinkedHashMap<>();
        encoders.keySet().forEach(name -> accuracy.put(name, new double[seeds.length]));
        double fineTuneAll = 0;
        for (int s = 0; s < seeds.length; s++) {
            long started = System.nanoTime();
            for (Map.Entry<String, Supplier<Backbone<Audio>>> e : encoders.entrySet()) {
                double acc = fineTune(e.getValue(), train, test, seeds[s]);
                accuracy.get(e.getKey())[s] = acc;
                System.out.printf(Locale.ROOT, "   seed %d %-32s test accuracy %.3f%n", seeds[s], e.getKey(), acc);
            }
            fineTuneAll += (System.nanoTime() - started) / 1e9;
        }
        SelectionProof proof = SelectionProof.of(report, accuracy, fineTuneAll / seeds.length);
        System.out.println(proof.table());
        return proof;
    }

    /** The speech quick start's fine-tuning recipe; returns the test accuracy. */
    private static double fineTune(
            Supplier<Backbone<Audio>> encoder, LabeledData<Audio> train, LabeledData<Audio> test, long seed) {
        try (Backbone<Audio> backbone = encoder.get();
                TransferModel<Audio> model = TransferLearner.from(backbone)
                        .freezeUntil("block4")
                        .backboneLearningRate(0.1f)
                        .learningRate(1e-2f)
                        .batchSize(SpeechQuickStart.BATCH)
                        .epochs(SpeechQuickStart.Experiment.epochs(train.size()))
                        .seed(seed)
                        .progressBar(false)
                        .fit(train)) {
            return model.evaluate(test).accuracy();
        }
    }
}
