package io.tl4j.core.train;

import java.nio.file.Path;

/**
 * The loss became NaN or infinite. Says where (epoch and step) and which checkpoint, if any, holds
 * the last good state.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int step;
    private final transient Path lastGoodCheckpoint;

    /**
     * @param epoch the epoch, from 1
     * @param step the step within the epoch, from 1
     * @param loss the loss value seen
     * @param lastGoodCheckpoint the last checkpoint written, or null
     */
    public TrainingDivergedException(int epoch, int step, double loss, Path lastGoodCheckpoint) {
        super("Training diverged: loss is " + loss + " at epoch " + epoch + ", step " + step
                + (lastGoodCheckpoint == null ? "; no checkpoint was written"
                        : "; last good checkpoint: " + lastGoodCheckpoint)
                + ". Lower the learning rate, clip gradients, or check the inputs for NaN.");
        this.epoch = epoch;
        this.step = step;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    /** @return the epoch where the loss diverged, from 1 */
    public int epoch() {
        return epoch;
    }

    /** @return the step within that epoch, from 1 */
    public int step() {
        return step;
    }

    /** @return the last good checkpoint, or null when none was written */
    public Path lastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }
}
