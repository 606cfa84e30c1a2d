package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.Prediction;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.report.ExampleView;
import io.tl4j.report.TrainingReport;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.features.AudioPipeline;
import io.tl4j.speech.features.SpecAugment;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keyword spotting with a few examples: the shipped {@link KeywordEncoder} (pretrained by tl4j on
 * 40 other words, see {@code SpeechPretrain}) learns five NEW words (backward, forward, follow,
 * learn, visual) from 3, 5 and 10 clips per word, by feature extraction and by fine-tuning, against
 * the same network trained from scratch with the same augmentation (random time shift and
 * SpecAugment) and enough steps. Accuracy is measured on voice variants held out of every training
 * clip and on the same words spoken by flite voices (an unseen synthesizer and accent). Everything
 * comes from the vendored clips; nothing downloads. It writes the training report of the 3-per-class
 * feature-extraction model, with the 12 worst-classified held-out clips drawn as log-mel spectrograms, to
 * {@code target/speech-quickstart-report}.
 */
public final class SpeechQuickStart {

    static final int[] PER_CLASS = {3, 5, 10};
    static final long[] SEEDS = {1, 2, 3};
    /** Optimizer steps (batch 16) every method gets, whatever the training-set size. */
    static final int STEPS = 100;

    static final int BATCH = 16;

    private SpeechQuickStart() {}

    /** Accuracy of the three methods for one training draw, on the two test sets. */
    record Scores(
            double scratch,
            double features,
            double fineTune,
            double scratchFlite,
            double featuresFlite,
            double fineTuneFlite) {
        double bestTransfer() {
            return Math.max(features, fineTune);
        }
    }

    /** The corpus, the encoders and the three learners; close it to free the encoders' memory. */
    static final class Experiment implements AutoCloseable {
        final LabeledData<Audio> pool;
        final LabeledData<Audio> heldOut;
        final LabeledData<Audio> flite;
        final Backbone<Audio> pretrained;
        final Backbone<Audio> pretrainedAugmented;
        final Backbone<Audio> untrainedAugmented;

        Experiment() {
            AdaptationWords words = AdaptationWords.extract();
            pool = AudioFolder.at(words.train()).load();
            heldOut = AudioFolder.at(words.heldOutVoices()).load();
            flite = AudioFolder.at(words.flite()).load();
            AudioPipeline augmented = KeywordEncoder.pipeline().toBuilder()
                    .optRandomCrop(true)
                    .optSpecAugment(new SpecAugment(2, 4, 2, 6))
                    .build();
            pretrained = KeywordEncoder.pretrained();
            pretrainedAugmented = KeywordEncoder.pretrained(augmented);
            untrainedAugmented = KeywordEncoder.untrained(augmented);
        }

        static int epochs(int trainSize) {
            return epochs(trainSize, STEPS);
        }

        /** Epochs that give about {@code steps} optimizer steps of {@code BATCH} examples on a training set. */
        static int epochs(int trainSize, int steps) {
            return Math.max(1, Math.round(steps / (float) Math.ceil(trainSize / (double) BATCH)));
        }

        /** Same network, same augmentation, all layers at the full rate. */
        TransferLearner<Audio> scratch(LabeledData<Audio> train, long seed) {
            return TransferLearner.from(untrainedAugmented)
                    .unfreezeAll()
                    .backboneLearningRate(1f)
                    .learningRate(3e-3f)
                    .batchSize(BATCH)
                    .epochs(epochs(train.size()))
                    .seed(seed)
                    .progressBar(false);
        }

        /** Frozen encoder (features cached once), new linear head. */
        TransferLearner<Audio> features(LabeledData<Audio> train, long seed) {
            return TransferLearner.from(pretrained)
                    .freezeAll()
                    .learningRate(1e-2f)
                    .batchSize(BATCH)
                    .epochs(epochs(train.size()))
                    .seed(seed)
                    .progressBar(false);
        }

        /** block1..block3 frozen; block4 at a tenth of the head's rate; augmented inputs. */
        TransferLearner<Audio> fineTune(LabeledData<Audio> train, long seed) {
            return TransferLearner.from(pretrainedAugmented)
                    .freezeUntil("block4")
                    .backboneLearningRate(0.1f)
                    .learningRate(1e-2f)
                    .batchSize(BATCH)
                    .epochs(epochs(train.size()))
                    .seed(seed)
                    .progressBar(false);
        }

        Scores run(int perClass, long seed) {
            LabeledData<Audio> train = pool.samplePerClass(perClass, 1000 + seed);
            double[] scratch = accuracies(scratch(train, seed), train);
            double[] features = accuracies(features(train, seed), train);
            double[] fineTune = accuracies(fineTune(train, seed), train);
            return new Scores(scratch[0], features[0], fineTune[0], scratch[1], features[1], fineTune[1]);
        }

        private double[] accuracies(TransferLearner<Audio> learner, LabeledData<Audio> train) {
            try (TransferModel<Audio> model = learner.fit(train)) {
                return new double[] {
                    model.evaluate(heldOut).accuracy(), model.evaluate(flite).accuracy()
                };
            }
        }

        @Override
        public void close() {
            pretrained.close();
            pretrainedAugmented.close();
            untrainedAugmented.close();
        }
    }

    /**
     * Runs the speech quick start and prints its {@code RESULT} line.
     *
     * @param args none
     */
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        try (Experiment experiment = new Experiment()) {
            System.out.println("Pretrained encoder: " + experiment.pretrained);
            System.out.println("  " + KeywordEncoder.provenance().note());
            System.out.printf(
                    Locale.ROOT,
                    "New words %s: %d training clips to sample from, %d test clips by held-out"
                            + " espeak voices, %d by flite voices%n",
                    experiment.pool.classNames(),
                    experiment.pool.size(),
                    experiment.heldOut.size(),
                    experiment.flite.size());
            System.out.println("Accuracy, mean ± sd over seeds " + Arrays.toString(SEEDS) + " (" + STEPS
                    + " steps of batch " + BATCH + " for every method)");
            System.out.println("per class | test set          | scratch       | features      | fine-tuning");
            double transfer3 = 0;
            double scratch3 = 0;
            for (int perClass : PER_CLASS) {
                Scores[] runs = new Scores[SEEDS.length];
                for (int i = 0; i < SEEDS.length; i++) {
                    runs[i] = experiment.run(perClass, SEEDS[i]);
                    System.out.printf(
                            Locale.ROOT,
                            "  %d per class, seed %d: held-out espeak scratch %.3f features %.3f"
                                    + " fine-tuning %.3f | flite scratch %.3f features %.3f fine-tuning %.3f (%.0fs)%n",
                            perClass,
                            SEEDS[i],
                            runs[i].scratch(),
                            runs[i].features(),
                            runs[i].fineTune(),
                            runs[i].scratchFlite(),
                            runs[i].featuresFlite(),
                            runs[i].fineTuneFlite(),
                            (System.nanoTime() - start) / 1e9);
                }
                System.out.printf(
                        Locale.ROOT,
                        "%9d | held-out espeak  | %s | %s | %s%n",
                        perClass,
                        meanSd(runs, Scores::scratch),
                        meanSd(runs, Scores::features),
                        meanSd(runs, Scores::fineTune));
                System.out.printf(
                        Locale.ROOT,
                        "%9d | flite (unseen)   | %s | %s | %s%n",
                        perClass,
                        meanSd(runs, Scores::scratchFlite),
                        meanSd(runs, Scores::featuresFlite),
                        meanSd(runs, Scores::fineTuneFlite));
                if (perClass == 3) {
                    scratch3 = mean(runs, Scores::scratch);
                    transfer3 = Math.max(mean(runs, Scores::features), mean(runs, Scores::fineTune));
                }
            }

            LabeledData<Audio> train = experiment.pool.samplePerClass(3, 1001);
            Path dir = Files.createTempDirectory("tl4j-speech-quickstart");
            try (TransferModel<Audio> model = experiment.features(train, 1).fit(train)) {
                model.save(dir);
                Path report = writeReport(model, experiment.heldOut, Path.of("target/speech-quickstart-report"));
                System.out.println("Report of the 3-per-class model, with the 12 worst-classified held-out clips"
                        + " as log-mel pictures: " + report);
                try (TransferModel<Audio> loaded = TransferModel.load(dir)) {
                    Audio clip = experiment.flite.input(0);
                    List<Prediction> ranked = loaded.classify(clip);
                    System.out.printf(
                            Locale.ROOT,
                            "Saved a 3-per-class model to %s and reloaded it; %s (truth '%s'):"
                                    + " %s %.2f, then %s %.2f%n",
                            dir,
                            Path.of(clip.source()).getFileName(),
                            experiment.flite.classNames().get(experiment.flite.label(0)),
                            ranked.get(0).label(),
                            ranked.get(0).probability(),
                            ranked.get(1).label(),
                            ranked.get(1).probability());
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "RESULT speech transfer_acc=%.4f scratch_acc=%.4f n_train=%d seconds=%.0f%n",
                    transfer3,
                    scratch3,
                    3 * experiment.pool.numClasses(),
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Writes a model's training report with its evaluation on held-out clips and the 12 worst-classified of them
     * drawn as log-mel spectrograms.
     *
     * @return the report's HTML file
     */
    static Path writeReport(TransferModel<Audio> model, LabeledData<Audio> heldOut, Path directory) {
        return TrainingReport.of(model)
                .withEvaluation(model.evaluate(heldOut))
                .withWorstExamples(heldOut, ExampleView.image(LogMelSpectrogram::picture, 120), 12)
                .write(directory);
    }

    private static double mean(Scores[] runs, java.util.function.ToDoubleFunction<Scores> metric) {
        return Arrays.stream(runs).mapToDouble(metric).average().orElse(Double.NaN);
    }

    private static String meanSd(Scores[] runs, java.util.function.ToDoubleFunction<Scores> metric) {
        double m = mean(runs, metric);
        double sd = Math.sqrt(Arrays.stream(runs)
                        .mapToDouble(metric)
                        .map(x -> (x - m) * (x - m))
                        .sum()
                / Math.max(1, runs.length - 1));
        return String.format(Locale.ROOT, "%.3f ± %.3f", m, sd);
    }
}
