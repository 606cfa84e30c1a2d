package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.demo.MnistSubset;
import io.tl4j.report.ExampleView;
import io.tl4j.report.TrainingReport;
import io.tl4j.vision.data.FashionMnistResNet;
import io.tl4j.vision.data.IdxDatasets;
import io.tl4j.vision.data.Mnist;
import io.tl4j.vision.image.ArrayImagePipeline;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Vision transfer learning offline: the small ResNet that tl-vision ships, pretrained on
 * Fashion-MNIST (clothes), transferred to handwritten digits (the vendored MNIST subset) with 10
 * labels per class, tested on 1,500 held-out digits. Three ways, each over three seeds, with times:
 * <ul>
 *   <li>feature extraction: backbone frozen, its features computed once (feature cache), linear
 *       head trained on them;
 *   <li>fine-tuning: {@code layer3} and the head trained, the backbone at a tenth of the head's
 *       learning rate, with random-shift augmentation;
 *   <li>scratch: the same network, randomly initialised, every layer at the full rate, the same
 *       augmentation, more epochs.
 * </ul>
 * It then measures how much faster the cached feature extraction is than running the frozen
 * backbone every epoch, and ends with a {@code RESULT vision ...} line (with wall-clock and process
 * CPU seconds: on a shared machine the CPU time divided by the cores is the better guide to the
 * time on an idle one). It writes the training report of one fine-tuned model, with the worst-classified
 * test digits, to {@code target/vision-quickstart-report}.
 */
public final class VisionQuickStart {

    /**
     * One configuration of the comparison.
     *
     * @param perClass labelled training images per digit
     * @param seeds one run of each method per seed (training sample, initialisation, shuffling)
     * @param featureEpochs epochs of feature extraction
     * @param finetuneEpochs epochs of fine-tuning
     * @param scratchEpochs epochs of training from scratch; 0 leaves the scratch baseline out
     */
    record Recipe(int perClass, long[] seeds, int featureEpochs, int finetuneEpochs, int scratchEpochs) {}

    /** The recipe of the quick start. */
    static final Recipe RECIPE = new Recipe(10, new long[] {1, 2, 3}, 50, 40, 60);
    /** Digits held out for testing (of the 2,500 vendored). */
    static final int TEST_IMAGES = 1500;
    /** Random shift in pixels used by fine-tuning and scratch. */
    static final int SHIFT = 2;

    /**
     * Accuracies and mean seconds per run of each method.
     *
     * @param features accuracy per seed, feature extraction
     * @param finetune accuracy per seed, fine-tuning
     * @param scratch accuracy per seed, scratch
     * @param seconds mean seconds per run: features, fine-tuning, scratch
     */
    record Outcome(double[] features, double[] finetune, double[] scratch, double[] seconds) {}

    private VisionQuickStart() {}

    /** Returns the 2,500 vendored MNIST digits (tl-demo-data), read with tl-vision's IDX reader. */
    static LabeledData<float[]> digits() {
        return IdxDatasets.load(MnistSubset.images(), MnistSubset.labels(), Mnist.DIGITS);
    }

    /**
     * Runs the vision quick start and prints its {@code RESULT} line.
     *
     * @param args none
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        LabeledData<float[]> digits = digits();
        Split<float[]> split = digits.stratifiedSplit((double) TEST_IMAGES / digits.size(), 0);
        LabeledData<float[]> pool = split.train();
        LabeledData<float[]> test = split.validation();
        try (Backbone<float[]> pretrained = FashionMnistResNet.backbone();
                Backbone<float[]> untrained = FashionMnistResNet.untrained()) {
            System.out.println("Backbone: " + pretrained);
            System.out.println("  pretrained: " + FashionMnistResNet.provenance());
            System.out.printf(
                    Locale.ROOT,
                    "Target: MNIST digits, %d labels per class (n_train=%d), %d test images%n",
                    RECIPE.perClass(),
                    RECIPE.perClass() * 10,
                    test.size());
            Outcome o = compare(RECIPE, pretrained, untrained, pool, test, true);
            System.out.printf(Locale.ROOT, "%-52s %-15s %s%n", "method (3 seeds)", "accuracy", "seconds per run");
            System.out.printf(
                    Locale.ROOT,
                    "%-52s %-15s %.1f%n",
                    "feature extraction (frozen, cached, linear head)",
                    meanSd(o.features()),
                    o.seconds()[0]);
            System.out.printf(
                    Locale.ROOT,
                    "%-52s %-15s %.1f%n",
                    "fine-tuning (layer3 + head, backbone lr x0.1)",
                    meanSd(o.finetune()),
                    o.seconds()[1]);
            System.out.printf(
                    Locale.ROOT,
                    "%-52s %-15s %.1f%n",
                    "same ResNet from scratch (same augmentation)",
                    meanSd(o.scratch()),
                    o.seconds()[2]);

            LabeledData<float[]> train = pool.samplePerClass(RECIPE.perClass(), RECIPE.seeds()[0]);
            TransferLearner<float[]> features =
                    featureExtraction(pretrained, RECIPE.featureEpochs()).seed(RECIPE.seeds()[0]);
            double cached = seconds(() -> features.fit(train).close());
            double uncached =
                    seconds(() -> features.featureCache(false).fit(train).close());
            System.out.printf(
                    Locale.ROOT,
                    "Feature cache: %d epochs of feature extraction took %.2fs cached and %.2fs"
                            + " running the frozen backbone every epoch: %.1fx faster%n",
                    RECIPE.featureEpochs(),
                    cached,
                    uncached,
                    uncached / cached);
            Path report = report(pretrained, train, test, Path.of("target/vision-quickstart-report"));
            System.out.println("Report of a fine-tuned model (seed " + RECIPE.seeds()[0] + "): " + report);
            double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                            .getProcessCpuTime()
                    / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "RESULT vision features_acc=%.4f finetune_acc=%.4f scratch_acc=%.4f n_train=%d"
                            + " cache_speedup=%.1f seconds=%.0f cpu_seconds=%.0f%n",
                    mean(o.features()),
                    mean(o.finetune()),
                    mean(o.scratch()),
                    RECIPE.perClass() * 10,
                    uncached / cached,
                    (System.nanoTime() - start) / 1e9,
                    cpu);
        }
    }

    /**
     * Runs the three methods for every seed of the recipe.
     *
     * @param recipe the configuration
     * @param pretrained the pretrained backbone
     * @param untrained the same architecture and pipeline without weights
     * @param pool the labelled images the training samples are drawn from
     * @param test the held-out images
     * @param print whether to print each seed's accuracies
     * @return accuracies per seed and mean times
     */
    static Outcome compare(
            Recipe recipe,
            Backbone<float[]> pretrained,
            Backbone<float[]> untrained,
            LabeledData<float[]> pool,
            LabeledData<float[]> test,
            boolean print) {
        int n = recipe.seeds().length;
        double[] features = new double[n];
        double[] finetune = new double[n];
        double[] scratch = new double[n];
        double[] seconds = new double[3];
        ArrayImagePipeline augmented = FashionMnistResNet.pipeline().randomShift(SHIFT);
        try (Backbone<float[]> pretrainedAugmented = pretrained.withPipeline(augmented);
                Backbone<float[]> untrainedAugmented = untrained.withPipeline(augmented)) {
            for (int i = 0; i < n; i++) {
                long seed = recipe.seeds()[i];
                LabeledData<float[]> train = pool.samplePerClass(recipe.perClass(), seed);
                long t0 = System.nanoTime();
                features[i] = accuracy(
                        featureExtraction(pretrained, recipe.featureEpochs()).seed(seed), train, test);
                long t1 = System.nanoTime();
                finetune[i] = accuracy(
                        fineTuning(pretrainedAugmented, recipe.finetuneEpochs()).seed(seed), train, test);
                long t2 = System.nanoTime();
                scratch[i] = recipe.scratchEpochs() == 0
                        ? Double.NaN
                        : accuracy(
                                scratch(untrainedAugmented, recipe.scratchEpochs())
                                        .seed(seed),
                                train,
                                test);
                long t3 = System.nanoTime();
                seconds[0] += (t1 - t0) / 1e9 / n;
                seconds[1] += (t2 - t1) / 1e9 / n;
                seconds[2] += (t3 - t2) / 1e9 / n;
                if (print) {
                    System.out.printf(
                            Locale.ROOT,
                            "  seed %d: features %.4f  fine-tuning %.4f  scratch %.4f%n",
                            seed,
                            features[i],
                            finetune[i],
                            scratch[i]);
                }
            }
        }
        return new Outcome(features, finetune, scratch, seconds);
    }

    /**
     * Feature extraction: the whole backbone frozen and cached, a linear head at 1e-2.
     *
     * @param pretrained the pretrained backbone, without augmentation (so its features can be cached)
     * @param epochs the epochs
     * @return the learner
     */
    static TransferLearner<float[]> featureExtraction(Backbone<float[]> pretrained, int epochs) {
        return quiet(pretrained).freezeAll().learningRate(1e-2f).epochs(epochs);
    }

    /**
     * Fine-tuning: {@code layer3} and the head trained, the backbone at a tenth of the head's 3e-3.
     *
     * @param pretrainedAugmented the pretrained backbone with the random-shift pipeline
     * @param epochs the epochs
     * @return the learner
     */
    static TransferLearner<float[]> fineTuning(Backbone<float[]> pretrainedAugmented, int epochs) {
        return quiet(pretrainedAugmented)
                .freezeUntil("layer3")
                .backboneLearningRate(0.1f)
                .learningRate(3e-3f)
                .epochs(epochs);
    }

    /**
     * Scratch: every layer of a randomly initialised network trained at 3e-3.
     *
     * @param untrainedAugmented the untrained backbone with the random-shift pipeline
     * @param epochs the epochs
     * @return the learner
     */
    static TransferLearner<float[]> scratch(Backbone<float[]> untrainedAugmented, int epochs) {
        return quiet(untrainedAugmented)
                .unfreezeAll()
                .backboneLearningRate(1f)
                .learningRate(3e-3f)
                .epochs(epochs);
    }

    /**
     * Fine-tunes one model and writes its training report: curves, confusion matrix, per-class scores and
     * the 12 worst-classified test digits as thumbnails.
     */
    private static Path report(
            Backbone<float[]> pretrained, LabeledData<float[]> train, LabeledData<float[]> test, Path directory) {
        try (Backbone<float[]> augmented =
                        pretrained.withPipeline(FashionMnistResNet.pipeline().randomShift(SHIFT));
                TransferModel<float[]> model = fineTuning(augmented, RECIPE.finetuneEpochs())
                        .seed(RECIPE.seeds()[0])
                        .fit(train)) {
            return TrainingReport.of(model)
                    .withEvaluation(model.evaluate(test))
                    .withWorstExamples(test, ExampleView.image(VisionQuickStart::digit, 56), 12)
                    .write(directory);
        }
    }

    /** Draws a 28 x 28 digit, values in [0, 1], as a grey image: ink dark on white. */
    private static BufferedImage digit(float[] pixels) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 28 * 28; i++) {
            int level = 255 - Math.round(Math.max(0f, Math.min(1f, pixels[i])) * 255);
            image.getRaster().setSample(i % 28, i / 28, 0, level);
        }
        return image;
    }

    private static TransferLearner<float[]> quiet(Backbone<float[]> backbone) {
        return TransferLearner.from(backbone)
                .progressBar(false)
                .batchSize(32)
                .schedule(LearningRateSchedule.warmupCosine(0.1));
    }

    private static double accuracy(
            TransferLearner<float[]> learner, LabeledData<float[]> train, LabeledData<float[]> test) {
        try (TransferModel<float[]> model = learner.fit(train)) {
            return model.evaluate(test).accuracy();
        }
    }

    private static double seconds(Runnable run) {
        long start = System.nanoTime();
        run.run();
        return (System.nanoTime() - start) / 1e9;
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    static String meanSd(double[] v) {
        double m = mean(v);
        double sd = v.length < 2
                ? 0
                : Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
        return String.format(Locale.ROOT, "%.3f ± %.3f", m, sd);
    }
}
