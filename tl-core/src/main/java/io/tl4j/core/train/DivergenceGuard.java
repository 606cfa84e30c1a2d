package io.tl4j.core.train;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Stops training whose loss is not finite or has exploded: a step's loss above {@code factor} times
 * the larger of the first epoch's mean loss and the chance-level loss {@code ln(classes)}. Before the
 * first epoch ends, its first step's loss stands in for its mean. The chance-level floor keeps a
 * pretrained model whose loss starts near zero from being stopped by ordinary noise.
 */
public final class DivergenceGuard {

    /** The default factor: a loss ten times the starting level is no longer training. */
    public static final double DEFAULT_FACTOR = 10;

    private final double factor;
    private final double chanceLoss;
    private double reference = Double.NaN;
    private boolean referenceIsFinal;

    /**
     * Creates a guard.
     *
     * @param factor how far above the starting loss a step may go; 0 checks only for NaN and infinity
     * @param classes the number of classes (sets the chance-level loss)
     * @param firstEpochLoss the first epoch's mean loss when resuming, or NaN for a new run
     */
    public DivergenceGuard(double factor, int classes, double firstEpochLoss) {
        if (!(factor == 0 || factor > 1)) {
            throw new IllegalArgumentException("The divergence factor must be 0 (off) or above 1, got " + factor);
        }
        this.factor = factor;
        this.chanceLoss = Math.log(Math.max(2, classes));
        this.reference = firstEpochLoss;
        this.referenceIsFinal = !Double.isNaN(firstEpochLoss);
    }

    /**
     * Checks one step's loss.
     *
     * @param epoch the epoch, from 1
     * @param step the step within the epoch, from 1
     * @param loss the step's loss
     * @param learningRate the step's learning rate
     * @param lastCheckpoint the last checkpoint written, or null
     * @throws TrainingDivergedException when the loss is not finite or has exploded
     */
    public void checkStep(int epoch, int step, double loss, double learningRate, Path lastCheckpoint) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(epoch, step, "loss is " + loss, learningRate, lastCheckpoint);
        }
        if (Double.isNaN(reference)) {
            reference = loss;
        }
        double limit = factor * Math.max(reference, chanceLoss);
        if (factor > 0 && loss > limit) {
            throw new TrainingDivergedException(
                    epoch,
                    step,
                    String.format(
                            Locale.ROOT,
                            "loss %.4g is above %.0f times the starting level %.4g (%s)",
                            loss,
                            factor,
                            Math.max(reference, chanceLoss),
                            reference >= chanceLoss
                                    ? (referenceIsFinal ? "the first epoch's mean loss" : "the first step's loss")
                                    : "chance level, ln(classes)"),
                    learningRate,
                    lastCheckpoint);
        }
    }

    /**
     * Checks a gradient norm.
     *
     * @param epoch the epoch, from 1
     * @param step the step within the epoch, from 1
     * @param norm the global gradient norm
     * @param learningRate the step's learning rate
     * @param lastCheckpoint the last checkpoint written, or null
     * @throws TrainingDivergedException when the norm is not finite
     */
    public void checkGradientNorm(int epoch, int step, double norm, double learningRate, Path lastCheckpoint) {
        if (!Double.isFinite(norm)) {
            throw new TrainingDivergedException(
                    epoch, step, "the gradient norm is " + norm, learningRate, lastCheckpoint);
        }
    }

    /**
     * Records an epoch's mean loss; the first one becomes the reference.
     *
     * @param meanLoss the epoch's mean training loss
     */
    public void epochEnded(double meanLoss) {
        if (!referenceIsFinal) {
            reference = meanLoss;
            referenceIsFinal = true;
        }
    }
}
