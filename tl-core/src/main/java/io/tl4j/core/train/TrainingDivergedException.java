package io.tl4j.core.train;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Stops a run whose loss became NaN or infinite, or exploded far above where it started. Says where
 * (epoch, step), at which learning rate, what to lower, and which checkpoint, if any, holds the last
 * good state.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int step;
    private final double learningRate;
    private final transient Path lastGoodCheckpoint;

    /**
     * Creates the exception.
     *
     * @param epoch the epoch, from 1
     * @param step the step within the epoch, from 1
     * @param what what went wrong, e.g. {@code "loss is NaN"}
     * @param learningRate the learning rate of that step
     * @param lastGoodCheckpoint the last checkpoint written, or null
     */
    public TrainingDivergedException(int epoch, int step, String what, double learningRate, Path lastGoodCheckpoint) {
        super(String.format(
                Locale.ROOT,
                "Training diverged at epoch %d, step %d (learning rate %.3g): %s%s."
                        + " Lower the learning rate (try %.3g), clip gradients (clipGradientNorm(1.0)), or check the"
                        + " inputs for NaN or extreme values.",
                epoch,
                step,
                learningRate,
                what,
                lastGoodCheckpoint == null
                        ? "; no checkpoint was written"
                        : "; last good checkpoint: " + lastGoodCheckpoint,
                learningRate / 10));
        this.epoch = epoch;
        this.step = step;
        this.learningRate = learningRate;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    /**
     * Returns the epoch where training diverged.
     *
     * @return the epoch, from 1
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Returns the step within that epoch.
     *
     * @return the step, from 1
     */
    public int step() {
        return step;
    }

    /**
     * Returns the learning rate of the diverging step.
     *
     * @return the learning rate
     */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Returns the last good checkpoint.
     *
     * @return the checkpoint file, or null when none was written
     */
    public Path lastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }
}
