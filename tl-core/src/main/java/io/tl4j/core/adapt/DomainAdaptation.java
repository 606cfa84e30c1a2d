package io.tl4j.core.adapt;

/**
 * What {@code TransferLearner.fit(labelled, unlabelled)} does with the unlabelled target data: re-estimate
 * every BatchNorm's statistics on it before training (AdaBN), align the features the head reads with
 * the CORAL loss during training, or both.
 *
 * @param reestimateBatchNorm whether to re-estimate the backbone's BatchNorm statistics on the target inputs before training;
 *     the backbone must have BatchNorm layers
 * @param coralWeight the weight of the CORAL loss added to the task loss at every step, 0 for none; it needs a
 *     trainable layer before the head (unfrozen backbone layers or added layers)
 */
public record DomainAdaptation(boolean reestimateBatchNorm, double coralWeight) {

    /** Checks the weight. */
    public DomainAdaptation {
        if (!(coralWeight >= 0) || Double.isInfinite(coralWeight)) {
            throw new IllegalArgumentException("coralWeight must be finite and >= 0, got " + coralWeight);
        }
        if (!reestimateBatchNorm && coralWeight == 0) {
            throw new IllegalArgumentException(
                    "A domain adaptation must do something: re-estimate BatchNorm statistics or align features");
        }
    }

    /** Returns AdaBN alone: BatchNorm statistics re-estimated on the target inputs before training. */
    public static DomainAdaptation batchNorm() {
        return new DomainAdaptation(true, 0);
    }

    /**
     * Returns feature alignment alone: the CORAL loss, times {@code weight}, added to the task loss.
     *
     * @param weight the CORAL loss's weight, above 0 (Deep CORAL balances it so both losses end of similar size)
     * @return the adaptation
     */
    public static DomainAdaptation coral(double weight) {
        if (!(weight > 0)) {
            throw new IllegalArgumentException("The CORAL weight must be > 0, got " + weight);
        }
        return new DomainAdaptation(false, weight);
    }

    /** Returns a copy that also re-estimates BatchNorm statistics on the target inputs before training. */
    public DomainAdaptation andBatchNorm() {
        return new DomainAdaptation(true, coralWeight);
    }

    /** Returns whether the CORAL loss is added during training. */
    public boolean aligns() {
        return coralWeight > 0;
    }
}
