package io.tl4j.examples.adaptation;

import io.tl4j.core.adapt.PseudoLabelSelection;
import io.tl4j.core.adapt.Unlabelled;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.fewshot.BackboneEmbedder;
import io.tl4j.nlp.fewshot.HeadSelfTraining;
import io.tl4j.nlp.zeroshot.EncoderPrefixes;
import io.tl4j.nlp.zeroshot.ZeroShotClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses {@link SpamCase}'s self-training recipe on development messages, never on the test set: for
 * each seed, a head on frozen e5-small-v2 embeddings of {@value SpamCase#LABELS} labels per class,
 * self-trained on the unlabelled pool with each candidate selection (a threshold, class-balanced or
 * equal-per-class fractions), round count and co-teacher weight (none, or the calibrated zero-shot
 * classifier's share of the probabilities for thresholds and equal-per-class selections), is scored
 * on {@value SpamCase#DEV} labelled development messages from the training side; the candidate with
 * the best mean development accuracy wins. The test accuracy of
 * every candidate is printed beside it, for the record only. Ends with {@code RESULT selftrain_sweep
 * chosen=... dev=... test=... baseline_test=...}.
 */
public final class SpamSelfTrainingSweep {

    /** The candidate selections that run without a co-teacher only. */
    static final List<PseudoLabelSelection> ALONE = List.of(
            PseudoLabelSelection.classBalanced(0.1),
            PseudoLabelSelection.classBalanced(0.2),
            PseudoLabelSelection.classBalanced(0.34),
            PseudoLabelSelection.classBalanced(0.5));

    /** The candidate selections that run with and without a co-teacher. */
    static final List<PseudoLabelSelection> SELECTIONS = List.of(
            PseudoLabelSelection.threshold(0.7),
            PseudoLabelSelection.threshold(0.8),
            PseudoLabelSelection.threshold(0.9),
            PseudoLabelSelection.threshold(0.95),
            PseudoLabelSelection.equalPerClass(0.05),
            PseudoLabelSelection.equalPerClass(0.1),
            PseudoLabelSelection.equalPerClass(0.2),
            PseudoLabelSelection.equalPerClass(0.34));

    /** The candidate shares of the co-teacher, the calibrated zero-shot classifier (0: none). */
    static final double[] CO_TEACHER_WEIGHTS = {0, 0.3, 0.5};

    /** The candidate round counts. */
    static final int[] ROUNDS = {1, 2, 3, 5, 10};

    private SpamSelfTrainingSweep() {}

    /**
     * Runs the sweep.
     *
     * @param args the seeds, comma-separated (default {@code 1,2,3})
     */
    public static void main(String[] args) {
        long[] seeds = Arrays.stream((args.length > 0 ? args[0] : "1,2,3").split(","))
                .mapToLong(Long::parseLong)
                .toArray();
        SpamCase spam = new SpamCase();
        Map<String, double[][]> scores = new LinkedHashMap<>(); // candidate -> seed -> {dev, test}
        for (int s = 0; s < seeds.length; s++) {
            long seed = seeds[s];
            SpamCase.Embedded e = spam.embedded(seed);
            LabeledData<float[]> dev = embedDev(spam, seed);
            Unlabelled<float[]> pool = Unlabelled.hidingLabels(e.pool());
            ZeroShotClassifier coTeacher = SpamCase.coTeacher(e);
            List<PseudoLabelSelection> all = new ArrayList<>(SELECTIONS);
            all.addAll(ALONE);
            for (PseudoLabelSelection selection : all) {
                for (double share : ALONE.contains(selection) ? new double[] {0} : CO_TEACHER_WEIGHTS) {
                    for (int rounds : ROUNDS) {
                        HeadSelfTraining recipe =
                                HeadSelfTraining.with(selection).rounds(rounds);
                        if (share > 0) {
                            recipe = recipe.coTeacher(coTeacher::probabilities, 1 - share);
                        }
                        HeadSelfTraining.Result r = recipe.run(e.labelled(), pool, seed);
                        put(scores, "baseline", s, seeds.length, r.teacher()::predict, dev, e.test());
                        put(scores, recipe.toString(), s, seeds.length, r.head()::predict, dev, e.test());
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-72s %-10s %-10s %s%n", "candidate", "dev", "test", "test per seed");
        String chosen = "baseline";
        for (Map.Entry<String, double[][]> c : scores.entrySet()) {
            System.out.printf(
                    Locale.ROOT,
                    "%-72s %-10.4f %-10.4f %s%n",
                    c.getKey(),
                    mean(c.getValue(), 0),
                    mean(c.getValue(), 1),
                    Arrays.toString(
                            Arrays.stream(c.getValue()).mapToDouble(v -> v[1]).toArray()));
            if (mean(c.getValue(), 0) > mean(scores.get(chosen), 0)) {
                chosen = c.getKey();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "RESULT selftrain_sweep chosen=\"%s\" dev=%.4f test=%.4f baseline_dev=%.4f baseline_test=%.4f"
                        + " seeds=%s%n",
                chosen,
                mean(scores.get(chosen), 0),
                mean(scores.get(chosen), 1),
                mean(scores.get("baseline"), 0),
                mean(scores.get("baseline"), 1),
                Arrays.toString(seeds));
    }

    private static LabeledData<float[]> embedDev(SpamCase spam, long seed) {
        try (BackboneEmbedder embedder =
                BackboneEmbedder.of(SpamCase.ZERO_SHOT_ENCODER.backbone(SpamCase.ZERO_SHOT_TOKENS))) {
            ZeroShotClassifier classifier = ZeroShotClassifier.create(
                    embedder, SpamCase.DESCRIPTION_SETS.get(SpamCase.CHOSEN), EncoderPrefixes.e5());
            return SpamCase.embed(classifier, spam.split(seed).dev());
        }
    }

    private static void put(
            Map<String, double[][]> scores,
            String candidate,
            int seed,
            int seeds,
            java.util.function.ToIntFunction<float[]> predict,
            LabeledData<float[]> dev,
            LabeledData<float[]> test) {
        scores.computeIfAbsent(candidate, k -> new double[seeds][])[seed] =
                new double[] {SpamCase.accuracy(dev, predict), SpamCase.accuracy(test, predict)};
    }

    private static double mean(double[][] perSeed, int column) {
        return Arrays.stream(perSeed).mapToDouble(v -> v[column]).average().orElseThrow();
    }
}
