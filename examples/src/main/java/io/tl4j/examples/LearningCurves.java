package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.curve.CurveMethod;
import io.tl4j.core.curve.CurvePoint;
import io.tl4j.core.curve.LearningCurve;
import io.tl4j.core.curve.LearningCurveResult;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.report.CurvePlots;
import io.tl4j.vision.data.FashionMnistResNet;
import io.tl4j.vision.image.ArrayImagePipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where does transfer stop paying? The vision learning curve: MNIST digits from the small ResNet
 * pretrained on Fashion-MNIST that tl-vision ships, by feature extraction and fine-tuning, against the
 * same network trained from scratch, at 1, 2, 5 and 10 labels per class over seeds 1-3, each tested on
 * the vision quick start's 1,500 held-out digits with the quick start's recipes (see {@link
 * VisionQuickStart}). Every method trains on the same digits at each (labels per class, seed).
 *
 * <p>Prints the table, writes {@code learning-curve-vision.png}, {@code .json} and {@code .csv} into
 * {@code target/learning-curves} (or the directory given as the first argument) and ends with a {@code
 * RESULT learning-curve-vision ...} line: the mean accuracy of each method at each count, the largest
 * count at which a transfer method still beats scratch ({@code transfer_wins_up_to}, 0 if at none), and
 * wall-clock and process CPU seconds. Run time, measured on the shared 2-core machine at load 4-7: 28
 * minutes wall-clock, 1,141 CPU seconds (about 10 minutes on an idle 2-core machine). {@code
 * -Dtl4j.curveLabels=1,2,5,10,20,50} extends the curve; that costs several times more, as training
 * from scratch grows with the labels (not measured here).
 *
 * <p>{@code -Dtl4j.curveTask=text} draws the text curve instead ({@link TextLearningCurve}: spam with
 * MiniLM features and fine-tuning against bag of words and scratch, 2 and 8 labels per class, seeds 1-3)
 * into {@code learning-curve-text.png}, {@code .json} and {@code .csv}, ending with {@code RESULT
 * learning-curve-text ...}. {@code -Dtl4j.curveTask=speech} draws the speech curve ({@link
 * SpeechLearningCurve}: five new words from the shipped keyword encoder's frozen features and
 * fine-tuning against scratch and log-mel statistics with a logistic regression, 1, 2, 5, 10 and 20
 * clips per word, seeds 1-3) into {@code learning-curve-speech.*}, with a line of flite-voice accuracies
 * at 20 per word before the table.
 */
public final class LearningCurves {

    /**
     * One configuration of the vision curve.
     *
     * @param labelsPerClass the counts, ascending
     * @param seeds the seeds
     * @param featureEpochs epochs of feature extraction
     * @param finetuneEpochs epochs of fine-tuning
     * @param scratchEpochs epochs of training from scratch
     */
    record Plan(int[] labelsPerClass, long[] seeds, int featureEpochs, int finetuneEpochs, int scratchEpochs) {}

    /** The curve the README shows: the quick start's recipes at four counts, three seeds. */
    static final Plan VISION = new Plan(new int[] {1, 2, 5, 10}, new long[] {1, 2, 3}, 50, 40, 60);

    static final String FEATURES = "feature extraction";
    static final String FINETUNE = "fine-tuning";
    static final String SCRATCH = "scratch";

    private LearningCurves() {}

    /**
     * Draws the vision learning curve, or the text or speech one with {@code -Dtl4j.curveTask}, and prints
     * its {@code RESULT} line.
     *
     * @param args an optional output directory (default {@code target/learning-curves}); the system
     *     properties {@code tl4j.curveTask} ({@code vision}, the default, {@code text} or {@code
     *     speech}), {@code tl4j.curveLabels} (default {@code 1,2,5,10} for vision, {@code 2,8} for text,
     *     {@code 1,2,5,10,20} for speech) and {@code tl4j.curveSeeds} (default {@code 1,2,3} for every
     *     task) choose the curve, counts and seeds, e.g. {@code -Dtl4j.curveLabels=1,2,5,10,20,50}
     * @throws IllegalArgumentException if {@code tl4j.curveTask} names another task
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        Path out = Path.of(args.length > 0 ? args[0] : "target/learning-curves");
        String task = System.getProperty("tl4j.curveTask", "vision");
        LearningCurveResult result;
        if (task.equals("vision")) {
            int[] counts = property("tl4j.curveLabels", VISION.labelsPerClass());
            long[] seeds = seeds(VISION.seeds());
            result = vision(
                    new Plan(counts, seeds, VISION.featureEpochs(), VISION.finetuneEpochs(), VISION.scratchEpochs()),
                    VisionQuickStart.TEST_IMAGES);
        } else if (task.equals("text")) {
            TextLearningCurve.Plan text = TextLearningCurve.TEXT;
            int[] counts = property("tl4j.curveLabels", text.labelsPerClass());
            long[] seeds = seeds(text.seeds());
            result = TextLearningCurve.run(new TextLearningCurve.Plan(
                    counts, seeds, text.testSize(), text.finetuneEpochs(), text.scratchEpochs()));
        } else if (task.equals("speech")) {
            SpeechLearningCurve.Plan speech = SpeechLearningCurve.SPEECH;
            SpeechLearningCurve.Outcome outcome = SpeechLearningCurve.run(new SpeechLearningCurve.Plan(
                    property("tl4j.curveLabels", speech.labelsPerClass()), seeds(speech.seeds()), speech.steps()));
            result = outcome.curve();
            System.out.println(outcome.fliteNote());
        } else {
            throw new IllegalArgumentException(
                    "-Dtl4j.curveTask=" + task + " is not a learning curve here; use vision, text or speech");
        }
        System.out.print(result.table());
        Path png = write(result, out, "learning-curve-" + task);
        System.out.println("Chart: " + png.toAbsolutePath());
        double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
        System.out.println(resultLine(task, result, (System.nanoTime() - start) / 1e9, cpu));
    }

    /**
     * Runs the vision curve: the 2,500 vendored digits split into a test set and a pool, as the quick
     * start does, then the three methods on the pool's subsets.
     *
     * @param plan the counts, seeds and epochs
     * @param testImages the digits held out for testing
     * @return the curve
     */
    static LearningCurveResult vision(Plan plan, int testImages) {
        LabeledData<float[]> digits = VisionQuickStart.digits();
        Split<float[]> split = digits.stratifiedSplit((double) testImages / digits.size(), 0);
        ArrayImagePipeline augmented = FashionMnistResNet.pipeline().randomShift(VisionQuickStart.SHIFT);
        try (Backbone<float[]> pretrained = FashionMnistResNet.backbone();
                Backbone<float[]> untrained = FashionMnistResNet.untrained();
                Backbone<float[]> pretrainedAugmented = pretrained.withPipeline(augmented);
                Backbone<float[]> untrainedAugmented = untrained.withPipeline(augmented)) {
            return LearningCurve.<float[]>create()
                    .method(
                            FEATURES,
                            CurveMethod.of(VisionQuickStart.featureExtraction(pretrained, plan.featureEpochs())))
                    .method(
                            FINETUNE,
                            CurveMethod.of(VisionQuickStart.fineTuning(pretrainedAugmented, plan.finetuneEpochs())))
                    .method(SCRATCH, CurveMethod.of(VisionQuickStart.scratch(untrainedAugmented, plan.scratchEpochs())))
                    .labelsPerClass(plan.labelsPerClass())
                    .seeds(plan.seeds())
                    .run(split.train(), split.validation());
        }
    }

    /**
     * Writes the curve's chart, JSON and CSV.
     *
     * @param result the curve
     * @param directory the output directory, created when absent
     * @param name the file name without extension
     * @return the PNG file
     * @throws UncheckedIOException naming the file that cannot be written
     */
    static Path write(LearningCurveResult result, Path directory, String name) {
        Path png = CurvePlots.learningCurve(result, directory.resolve(name + ".png"));
        Path json = directory.resolve(name + ".json");
        Path csv = directory.resolve(name + ".csv");
        try {
            Files.writeString(json, result.toJson());
            Files.writeString(csv, result.toCsv());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + json + " or " + csv, e);
        }
        return png;
    }

    /**
     * Returns the largest count at which the better transfer method's mean (feature extraction or
     * fine-tuning) beats the mean of every other method (scratch, and the classical baseline for text
     * and speech), or 0.
     *
     * @param result a curve with both transfer methods
     * @return the count
     */
    static int transferWinsUpTo(LearningCurveResult result) {
        int wins = 0;
        for (int count : result.labelsPerClass()) {
            double transfer = Math.max(
                    result.point(FEATURES, count).mean(),
                    result.point(FINETUNE, count).mean());
            double others = result.methods().stream()
                    .filter(m -> !m.equals(FEATURES) && !m.equals(FINETUNE))
                    .mapToDouble(m -> result.point(m, count).mean())
                    .max()
                    .orElse(0);
            if (transfer > others) {
                wins = count;
            }
        }
        return wins;
    }

    /**
     * Formats the {@code RESULT} line.
     *
     * @param task the curve's task, {@code vision}, {@code text} or {@code speech}
     * @param result the curve
     * @param seconds the wall-clock seconds of the run
     * @param cpuSeconds the process CPU seconds
     * @return the line
     */
    static String resultLine(String task, LearningCurveResult result, double seconds, double cpuSeconds) {
        StringBuilder line = new StringBuilder("RESULT learning-curve-").append(task);
        line.append(" labels_per_class=").append(join(result.labelsPerClass()));
        for (String method : result.methods()) {
            List<String> means = new ArrayList<>();
            for (CurvePoint p : result.points(method)) {
                means.add(String.format(Locale.ROOT, "%.3f", p.mean()));
            }
            line.append(' ')
                    .append(method.replace(' ', '_').replace('-', '_'))
                    .append('=')
                    .append(String.join(",", means));
        }
        line.append(" transfer_wins_up_to=").append(transferWinsUpTo(result));
        line.append(String.format(Locale.ROOT, " seconds=%.0f cpu_seconds=%.0f", seconds, cpuSeconds));
        return line.toString();
    }

    /** Returns the numbers of a system property, or the task's own when it is absent or blank. */
    private static int[] property(String name, int[] defaults) {
        String given = System.getProperty(name, "");
        return given.isBlank() ? defaults : ints(given);
    }

    /** Returns the seeds of {@code -Dtl4j.curveSeeds}, or the task's own when it is absent or blank. */
    private static long[] seeds(long[] defaults) {
        int[] given = property("tl4j.curveSeeds", new int[0]);
        return given.length == 0
                ? defaults
                : Arrays.stream(given).asLongStream().toArray();
    }

    private static int[] ints(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .mapToInt(Integer::parseInt)
                .toArray();
    }

    private static String join(int[] values) {
        List<String> parts = new ArrayList<>();
        for (int v : values) {
            parts.add(Integer.toString(v));
        }
        return String.join(",", parts);
    }
}
