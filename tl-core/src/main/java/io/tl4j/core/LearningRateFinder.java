package io.tl4j.core;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.TrainingDivergedException;
import io.tl4j.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The learning-rate range test (Smith, 2017; fastai's {@code lr_find}): trains a copy of the learner's network
 * for about {@code steps} steps while the head's learning rate rises exponentially from {@code minLr} to
 * {@code maxLr}, records each step's loss, and stops early once the smoothed loss passes four times its
 * minimum. Everything else is the learner's (freezing, head, optimizer, batch size, backbone rate); validation
 * and early stopping are off. The learner and its backbone are unchanged: training always works on a copy.
 */
public final class LearningRateFinder {

    /** The default lowest learning rate of the sweep. */
    public static final double MIN_LR = 1e-7;

    /** The default highest learning rate of the sweep. */
    public static final double MAX_LR = 10;

    /** The default number of steps. */
    public static final int STEPS = 100;

    /**
     * The fewest steps a sweep runs, and the first steps a suggestion skips (as fastai's {@code skip_start}):
     * the debiased moving average is still settling there.
     */
    static final int MIN_STEPS = 10;

    private static final double SMOOTHING = 0.98;
    private static final double STOP_FACTOR = 4;

    private LearningRateFinder() {}

    /**
     * Runs the range test over the default sweep: {@value #STEPS} steps from {@value #MIN_LR} to {@value #MAX_LR}.
     *
     * @param learner the configured learner (not changed)
     * @param data the training data
     * @param <I> the input type
     * @return the curve and the suggestion
     */
    static <I> LearningRateCurve find(TransferLearner<I> learner, LabeledData<I> data) {
        return find(learner, data, MIN_LR, MAX_LR, STEPS);
    }

    /**
     * Runs the range test.
     *
     * @param learner the configured learner (not changed)
     * @param data the training data
     * @param minLr the first step's learning rate, above 0
     * @param maxLr the last step's learning rate, above {@code minLr}
     * @param steps the steps of the sweep, at least {@value #MIN_STEPS}
     * @param <I> the input type
     * @return the curve and the suggestion
     * @throws IllegalArgumentException for a range or step count out of bounds
     */
    public static <I> LearningRateCurve find(
            TransferLearner<I> learner, LabeledData<I> data, double minLr, double maxLr, int steps) {
        if (!(minLr > 0) || !(maxLr > minLr) || Double.isInfinite(maxLr)) {
            throw new IllegalArgumentException("Need 0 < minLr < maxLr, got " + minLr + " and " + maxLr);
        }
        if (steps < MIN_STEPS) {
            throw new IllegalArgumentException("A range test needs at least " + MIN_STEPS + " steps, got " + steps);
        }
        int perEpoch = Math.max(
                1,
                (data.size() + learner.config().batchSize() - 1)
                        / learner.config().batchSize());
        int epochs = (steps + perEpoch - 1) / perEpoch;
        Recorder recorder = new Recorder(steps);
        TransferLearner<I> sweep = learner.with(s -> {
                    s.epochs = epochs;
                    s.optimizer = s.optimizer.withLearningRate((float) maxLr);
                    s.schedule = LearningRateSchedule.exponential(minLr / maxLr);
                    s.divergenceFactor = 0;
                    s.earlyStopping = null;
                    s.validationSplit = 0;
                })
                .progressBar(false)
                .listener(recorder);
        String ending;
        try (TransferModel<I> swept = sweep.fit(data)) {
            ending = String.format(Locale.ROOT, "swept %.3g to %.3g", minLr, maxLr);
        } catch (StopSweep stop) {
            ending = stop.getMessage();
        } catch (TrainingDivergedException e) {
            ending = "the loss became NaN or infinite";
        }
        return recorder.curve(ending);
    }

    /** Ends the sweep from inside the run; the finder catches it. */
    private static final class StopSweep extends RuntimeException {
        StopSweep(String message) {
            super(message, null, false, false);
        }
    }

    /** Records each step's learning rate and loss and decides when to stop. */
    private static final class Recorder implements TrainingListener {
        private final int steps;
        private final List<Double> rates = new ArrayList<>();
        private final List<Double> losses = new ArrayList<>();
        private final List<Double> smoothed = new ArrayList<>();
        private double average;
        private double best = Double.POSITIVE_INFINITY;

        Recorder(int steps) {
            this.steps = steps;
        }

        @Override
        public void onStep(StepInfo step) {
            rates.add(step.learningRate());
            losses.add(step.loss());
            average = SMOOTHING * average + (1 - SMOOTHING) * step.loss();
            double debiased = average / (1 - Math.pow(SMOOTHING, losses.size()));
            smoothed.add(debiased);
            best = Math.min(best, debiased);
            if (losses.size() > MIN_STEPS && debiased > STOP_FACTOR * best) {
                throw new StopSweep("stopped when the smoothed loss passed " + STOP_FACTOR + "x its minimum");
            }
            if (losses.size() >= steps) {
                throw new StopSweep("ran all " + steps + " steps");
            }
        }

        LearningRateCurve curve(String ending) {
            int minimum = 0;
            for (int i = 1; i < smoothed.size(); i++) {
                if (smoothed.get(i) < smoothed.get(minimum)) {
                    minimum = i;
                }
            }
            // the slope over a window of steps on each side, so that batch-to-batch noise does not pick the step
            int w = Math.max(1, steps / 20);
            int first = Math.max(MIN_STEPS, w);
            if (minimum - w <= first) {
                String why = smoothed.isEmpty()
                        ? "no step finished"
                        : "the smoothed loss was lowest at step " + (minimum + 1) + ", too early to tell a descent";
                return new LearningRateCurve(
                        rates, losses, smoothed, OptionalDouble.empty(), ending + "; no suggestion: " + why);
            }
            int steepest = first;
            double slope = Double.POSITIVE_INFINITY;
            for (int i = first; i < minimum - w; i++) {
                double s = (smoothed.get(i + w) - smoothed.get(i - w))
                        / (Math.log(rates.get(i + w)) - Math.log(rates.get(i - w)));
                if (s < slope) {
                    slope = s;
                    steepest = i;
                }
            }
            return new LearningRateCurve(
                    rates,
                    losses,
                    smoothed,
                    OptionalDouble.of(rates.get(steepest)),
                    ending + "; suggestion: steepest descent of the smoothed loss, at step " + (steepest + 1));
        }
    }
}
