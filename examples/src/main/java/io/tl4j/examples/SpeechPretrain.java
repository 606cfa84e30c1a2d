package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.features.AudioPipeline;
import io.tl4j.speech.features.SpecAugment;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Pretrains the keyword encoder tl-speech ships ({@link KeywordEncoder#pretrained()}): the 4-block
 * CNN on 40-band log-mel, trained from scratch on the synthesized source corpus (40 words, espeak-ng
 * voices, accents, speeds, pitches, noise) with random time shifts and SpecAugment, 10% of the clips
 * held out to report the source accuracy. Writes {@code keyword-encoder.safetensors} and {@code
 * keyword-encoder.json} (provenance and training record).
 *
 * <p>Run once, offline, after generating the corpus:
 *
 * <pre>
 * /usr/bin/python3 tl-speech/scripts/synthesize_keywords.py --corpus source --out /tmp/tl4j-keywords
 * nice -n 10 java ... io.tl4j.examples.SpeechPretrain /tmp/tl4j-keywords/source \
 *     tl-speech/src/main/resources/io/tl4j/speech/keyword
 * </pre>
 *
 * Optional system properties: {@code tl4j.epochs} (default 4, as the shipped run), {@code tl4j.perWord} (use at most
 * this many clips per word, for a quick trial).
 */
public final class SpeechPretrain {

    private SpeechPretrain() {}

    /**
     * Pretrains the keyword encoder and writes its weights and training record.
     *
     * @param args the source corpus folder (default /tmp/tl4j-keywords/source) and the output folder
     *     (default tl-speech/src/main/resources/io/tl4j/speech/keyword)
     */
    public static void main(String[] args) {
        Path corpus = Path.of(args.length > 0 ? args[0] : "/tmp/tl4j-keywords/source");
        Path out = Path.of(args.length > 1 ? args[1] : "tl-speech/src/main/resources/io/tl4j/speech/keyword");
        int epochs = Integer.getInteger("tl4j.epochs", 4);
        int perWord = Integer.getInteger("tl4j.perWord", Integer.MAX_VALUE);
        if (!Files.isDirectory(corpus)) {
            throw new IllegalArgumentException("No source corpus at " + corpus + ". Generate it with:\n"
                    + "  /usr/bin/python3 tl-speech/scripts/synthesize_keywords.py --corpus source --out "
                    + corpus.getParent());
        }
        long start = System.nanoTime();
        LabeledData<Audio> all = AudioFolder.at(corpus).load();
        if (perWord < Integer.MAX_VALUE) {
            all = all.samplePerClass(Math.min(perWord, minCount(all)), 1);
        }
        Split<Audio> split = all.stratifiedSplit(0.1, 7);
        System.out.printf(
                Locale.ROOT,
                "Source corpus %s: %d clips of %d words; training on %d, validating on %d (%.0fs to load)%n",
                corpus,
                all.size(),
                all.numClasses(),
                split.train().size(),
                split.validation().size(),
                seconds(start));

        AudioPipeline augmented = KeywordEncoder.pipeline().toBuilder()
                .optRandomCrop(true)
                .optSpecAugment(new SpecAugment(2, 6, 2, 6))
                .build();
        float learningRate = 3e-3f;
        try (Backbone<Audio> init = KeywordEncoder.untrained(augmented);
                TransferModel<Audio> model = TransferLearner.from(init)
                        .unfreezeAll()
                        .backboneLearningRate(1f)
                        .optimizer(OptimizerSpec.adamW(learningRate, 1e-4f))
                        .schedule(LearningRateSchedule.warmupCosine(0.05))
                        .batchSize(64)
                        .epochs(epochs)
                        .seed(2026)
                        .validationData(split.validation())
                        .fit(split.train())) {
            ClassificationReport report = model.evaluate(split.validation());
            double trainSeconds = seconds(start);
            System.out.printf(
                    Locale.ROOT,
                    "Source validation accuracy %.4f, macro-F1 %.4f after %d epochs (%.0fs)%n",
                    report.accuracy(),
                    report.macroF1(),
                    epochs,
                    trainSeconds);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("source", "tl4j: trained by io.tl4j.examples.SpeechPretrain on a synthesized keyword corpus");
            record.put("licence", "tl4j project licence (self-trained; no third-party weights or recordings)");
            record.put(
                    "note",
                    String.format(
                            Locale.ROOT,
                            "4-block CNN (16/32/64/128) on 40-band log-mel, %d words x"
                                    + " espeak-ng voices/accents/speeds/pitches/noise, %d training clips, %d epochs, source"
                                    + " validation accuracy %.4f",
                            all.numClasses(),
                            split.train().size(),
                            epochs,
                            report.accuracy()));
            Map<String, Object> architecture = new LinkedHashMap<>();
            architecture.put("id", KeywordEncoder.architecture().id());
            architecture.put("config", KeywordEncoder.architecture().config());
            record.put("architecture", architecture);
            record.put("pipeline", KeywordEncoder.pipeline().config());
            record.put(
                    "training_augmentation",
                    "random crop position, SpecAugment(2 masks of up to 6 mel rows, 2 of up to 6 frames)");
            record.put("optimizer", "AdamW lr " + learningRate + " wd 1e-4, warmup-cosine, batch 64");
            record.put("words", all.classNames());
            record.put("train_clips", split.train().size());
            record.put("validation_clips", split.validation().size());
            record.put("epochs", epochs);
            record.put("validation_accuracy", report.accuracy());
            record.put(
                    "corpus_script",
                    "tl-speech/scripts/synthesize_keywords.py --corpus source (seed 2026, 150 per word)");
            record.put("train_seconds", Math.round(trainSeconds));
            record.put("created", Instant.now().toString());
            try (Backbone<Audio> trained = model.backbone()) {
                Path weights = KeywordEncoder.save(trained, out, record);
                System.out.println("Wrote " + weights + " and its card");
            }
        }
    }

    private static int minCount(LabeledData<Audio> data) {
        int min = Integer.MAX_VALUE;
        for (int c : data.classCounts()) {
            min = Math.min(min, c);
        }
        return min;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
