package io.tl4j.examples;

import io.tl4j.examples.adaptation.CameraCase;
import io.tl4j.examples.adaptation.CaseResult;
import io.tl4j.examples.adaptation.FliteCase;
import io.tl4j.examples.adaptation.SpamCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adapting to new conditions with unlabelled data (tl-core's {@code io.tl4j.core.adapt}), offline:
 * <ul>
 *   <li>speech: the shipped keyword encoder meeting flite voices, with {@value #SPEECH_LABELS} labelled espeak clips
 *       per word and unlabelled flite clips;
 *   <li>vision: the shipped Fashion-MNIST ResNet meeting a "new camera" (inverted contrast, blur, gamma, noise), with
 *       unlabelled camera images and 0 or {@value #CAMERA_LABELS} labelled camera images per class;
 *   <li>text: spam with no label (zero-shot, e5-small-v2 and class descriptions) and with {@value SpamCase#LABELS}
 *       labels per class plus unlabelled messages (self-training of a head on frozen e5-small-v2 embeddings).
 * </ul>
 * Each case compares no adaptation with AdaBN, CORAL feature alignment, self-training with pseudo-labels and
 * combinations, prints a table and ends with {@code RESULT adapt speech_gain=... camera_gain=... zeroshot_acc=...
 * selftrain_gain=... n_labels=...}, each gain the best method's accuracy minus no adaptation's (camera_gain at {@code
 * n_labels} labelled camera images per class; camera0_gain without any). One seed by default; the optional argument
 * is the number of seeds (1, 2, ...), whose mean ± sd the table then shows.
 */
public final class AdaptationQuickStart {

    /** Labelled espeak clips per word in the speech case. */
    static final int SPEECH_LABELS = 5;
    /** Labelled camera images per class in the second vision case. */
    static final int CAMERA_LABELS = 10;

    private AdaptationQuickStart() {}

    /**
     * Runs the cases, prints the table and the {@code RESULT} line.
     *
     * @param args [number of seeds, default 1]
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        SpamCase spam = new SpamCase();
        List<List<CaseResult>> runs = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            runs.add(run(seed, spam));
        }
        Map<String, Map<String, double[]>> table = table(runs);
        print(table);
        double[] zeroShot = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            zeroShot[s] = spam.zeroShot(s + 1);
        }
        System.out.printf(Locale.ROOT, "spam, 0 labels: zero-shot accuracy %s%n", meanSd(zeroShot));
        System.out.printf(
                Locale.ROOT,
                "RESULT adapt speech_gain=%.4f camera_gain=%.4f zeroshot_acc=%.4f selftrain_gain=%.4f n_labels=%d"
                        + " camera0_gain=%.4f seeds=%d seconds=%.0f%n",
                gain(table.get(runs.get(0).get(0).name())),
                gain(table.get(runs.get(0).get(2).name())),
                mean(zeroShot),
                gain(table.get(runs.get(0).get(3).name())),
                CAMERA_LABELS,
                gain(table.get(runs.get(0).get(1).name())),
                seeds,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Runs the speech case, both vision cases and text self-training at one seed.
     *
     * @param seed the seed
     * @param spam the text case, which embeds each seed's messages once for self-training and zero-shot
     * @return speech, camera with 0 labels, camera with {@value #CAMERA_LABELS} labels per class, spam with {@value
     *     SpamCase#LABELS} labels per class
     */
    static List<CaseResult> run(long seed, SpamCase spam) {
        List<CaseResult> results = new ArrayList<>();
        try (FliteCase flite = new FliteCase()) {
            results.add(timed(() -> flite.run(seed, SPEECH_LABELS)));
        }
        try (CameraCase camera = new CameraCase()) {
            results.add(timed(() -> camera.run(seed, 0)));
            results.add(timed(() -> camera.run(seed, CAMERA_LABELS)));
        }
        results.add(timed(() -> spam.selfTraining(seed)));
        return results;
    }

    /**
     * Gathers the accuracies of several seeds' runs.
     *
     * @param runs per seed, the cases in the same order
     * @return per case, per method, the accuracy at each seed
     */
    static Map<String, Map<String, double[]>> table(List<List<CaseResult>> runs) {
        Map<String, Map<String, double[]>> table = new LinkedHashMap<>();
        for (int s = 0; s < runs.size(); s++) {
            for (CaseResult r : runs.get(s)) {
                Map<String, double[]> methods = table.computeIfAbsent(r.name(), k -> new LinkedHashMap<>());
                for (Map.Entry<String, Double> e : r.accuracy().entrySet()) {
                    methods.computeIfAbsent(e.getKey(), k -> new double[runs.size()])[s] = e.getValue();
                }
            }
        }
        return table;
    }

    /**
     * Returns the best method's mean accuracy minus no adaptation's.
     *
     * @param methods per method, the accuracy at each seed
     * @return the gain
     */
    static double gain(Map<String, double[]> methods) {
        double none = mean(methods.get(CaseResult.NONE));
        return methods.entrySet().stream()
                        .filter(e -> !e.getKey().equals(CaseResult.NONE))
                        .mapToDouble(e -> mean(e.getValue()))
                        .max()
                        .orElse(none)
                - none;
    }

    private static CaseResult timed(java.util.function.Supplier<CaseResult> run) {
        long t0 = System.nanoTime();
        CaseResult result = run.get();
        System.out.printf(
                Locale.ROOT, "%s: %s (%.0f s)%n", result.name(), result.accuracy(), (System.nanoTime() - t0) / 1e9);
        return result;
    }

    private static void print(Map<String, Map<String, double[]>> table) {
        System.out.printf(Locale.ROOT, "%-40s %-24s %-15s %s%n", "case", "method", "accuracy", "vs none");
        table.forEach((name, methods) -> {
            double none = mean(methods.get(CaseResult.NONE));
            methods.forEach((method, values) -> System.out.printf(
                    Locale.ROOT, "%-40s %-24s %-15s %+.3f%n", name, method, meanSd(values), mean(values) - none));
        });
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
