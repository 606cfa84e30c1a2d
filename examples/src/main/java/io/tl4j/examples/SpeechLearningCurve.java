package io.tl4j.examples;

import io.tl4j.core.TransferLearner;
import io.tl4j.core.curve.CurveMethod;
import io.tl4j.core.curve.CurveModel;
import io.tl4j.core.curve.LearningCurve;
import io.tl4j.core.curve.LearningCurveResult;
import io.tl4j.core.data.LabeledData;
import io.tl4j.speech.audio.Audio;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The speech learning curve: five new words (backward, forward, follow, learn, visual) learned from the
 * shipped keyword encoder (pretrained on 40 other words) by frozen features and by fine-tuning, against
 * the same network trained from scratch and a logistic regression on log-mel statistics ({@link
 * LogMelBaseline}), with {@link SpeechQuickStart}'s recipes unchanged: every network gets about the same
 * number of optimizer steps of batch 16 whatever the training-set size (100 in the quick start), and
 * fine-tuning and scratch see the same augmentation. The pool is the 20 training clips per word; the
 * test set is the 36 clips per word by the 18 held-out espeak voice variants. At the largest count each
 * fitted model is also tested on the 20 clips per word by flite voices (an unseen synthesizer and
 * accent), reported beside the curve. The default plan's 60 fits took 999 s wall-clock and 673 CPU
 * seconds (peak RSS 1.3 GB) on the shared 2-core machine at load 4-11.
 */
final class SpeechLearningCurve {

    /**
     * One configuration of the speech curve.
     *
     * @param labelsPerClass the counts, ascending, at most 20 (the pool's clips per word)
     * @param seeds the seeds
     * @param steps optimizer steps of batch 16 for every network fit (the quick start: 100)
     */
    record Plan(int[] labelsPerClass, long[] seeds, int steps) {}

    /** The curve the README shows: 1 to 20 (the whole pool) clips per word, seeds 1-3, the quick start's steps. */
    static final Plan SPEECH = new Plan(new int[] {1, 2, 5, 10, 20}, new long[] {1, 2, 3}, SpeechQuickStart.STEPS);

    static final String LOG_MEL = "log-mel statistics";

    /**
     * What a run measured: the curve on the held-out espeak voices, and every method's accuracy on the
     * flite voices at the largest count, one value per seed in seed order.
     *
     * @param curve the learning curve
     * @param fliteAtLargest flite accuracies by method, in the curve's method order
     */
    record Outcome(LearningCurveResult curve, Map<String, List<Double>> fliteAtLargest) {

        /**
         * Returns a line with each method's mean flite accuracy (and per seed) at the largest count.
         *
         * @return the line
         */
        String fliteNote() {
            int largest = curve.labelsPerClass()[curve.labelsPerClass().length - 1];
            StringBuilder note = new StringBuilder(
                    String.format(Locale.ROOT, "Flite voices (unseen synthesizer) at %d per class:", largest));
            for (Map.Entry<String, List<Double>> e : fliteAtLargest.entrySet()) {
                double mean = e.getValue().stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElse(Double.NaN);
                List<String> each = new ArrayList<>();
                for (double v : e.getValue()) {
                    each.add(String.format(Locale.ROOT, "%.3f", v));
                }
                note.append(String.format(Locale.ROOT, " %s %.3f (%s);", e.getKey(), mean, String.join(", ", each)));
            }
            note.setLength(note.length() - 1);
            return note.toString();
        }
    }

    private SpeechLearningCurve() {}

    /**
     * Runs the speech curve: the vendored new-word clips, the quick start's three networks and the
     * log-mel baseline on the training pool's subsets.
     *
     * @param plan the counts, seeds and steps
     * @return the curve and the flite accuracies at the largest count
     */
    static Outcome run(Plan plan) {
        int largest = plan.labelsPerClass()[plan.labelsPerClass().length - 1];
        Map<String, List<Double>> flite = new LinkedHashMap<>();
        try (SpeechQuickStart.Experiment experiment = new SpeechQuickStart.Experiment();
                LogMelBaseline baseline = new LogMelBaseline()) {
            LearningCurve<Audio> curve = LearningCurve.<Audio>create();
            Map<String, CurveMethod<Audio>> methods = new LinkedHashMap<>();
            methods.put(LearningCurves.FEATURES, network(experiment::features, plan.steps()));
            methods.put(LearningCurves.FINETUNE, network(experiment::fineTune, plan.steps()));
            methods.put(LearningCurves.SCRATCH, network(experiment::scratch, plan.steps()));
            methods.put(LOG_MEL, baseline.method());
            for (Map.Entry<String, CurveMethod<Audio>> m : methods.entrySet()) {
                List<Double> scores = new ArrayList<>();
                flite.put(m.getKey(), scores);
                curve = curve.method(m.getKey(), alsoOn(experiment.flite, largest, m.getValue(), scores));
            }
            LearningCurveResult result = curve.labelsPerClass(plan.labelsPerClass())
                    .seeds(plan.seeds())
                    .run(experiment.pool, experiment.heldOut);
            return new Outcome(result, flite);
        }
    }

    /**
     * Makes a curve method of one of the quick start's recipes, with its epochs set for about {@code
     * steps} optimizer steps on each training subset.
     */
    private static CurveMethod<Audio> network(
            BiFunction<LabeledData<Audio>, Long, TransferLearner<Audio>> recipe, int steps) {
        return (train, seed) -> CurveMethod.of(
                        recipe.apply(train, seed).epochs(SpeechQuickStart.Experiment.epochs(train.size(), steps)))
                .fit(train, seed);
    }

    /**
     * Wraps a method so that every model it fits on {@code largest} clips per class is also evaluated on
     * a second test set, its accuracy added to {@code scores}.
     */
    private static CurveMethod<Audio> alsoOn(
            LabeledData<Audio> second, int largest, CurveMethod<Audio> method, List<Double> scores) {
        return (train, seed) -> {
            CurveModel<Audio> model = method.fit(train, seed);
            if (train.size() == largest * train.numClasses()) {
                try {
                    scores.add(model.evaluate(second).accuracy());
                } catch (RuntimeException e) {
                    model.close();
                    throw e;
                }
            }
            return model;
        };
    }
}
