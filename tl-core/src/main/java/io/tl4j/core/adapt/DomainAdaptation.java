package io.tl4j.core.adapt;

/**
 * What {@code TransferLearner.fit(labelled, unlabelled)} does with the unlabelled target data: re-estimate
 * every BatchNorm's statistics on it before training (AdaBN), align the features the head reads during
 * training (the CORAL loss, or a domain-adversarial discriminator behind a gradient-reversal layer as in
 * DANN), or a combination.
 *
 * @param reestimateBatchNorm whether to re-estimate the backbone's BatchNorm statistics on the target inputs before training;
 *     the backbone must have BatchNorm layers
 * @param coralWeight the weight of the CORAL loss added to the task loss at every step, 0 for none; it needs a
 *     trainable layer before the head (unfrozen backbone layers or added layers)
 * @param adversarialWeight DANN's largest gradient-reversal coefficient λ, 0 for none: a domain
 *     discriminator learns to tell labelled features from target features while the layers before the
 *     head receive its gradient times {@code -λ}, ramped from 0 up to λ over the epochs as in Ganin et al.
 *     (2016); it needs a trainable layer before the head
 */
public record DomainAdaptation(boolean reestimateBatchNorm, double coralWeight, double adversarialWeight) {

    /** Checks the weights. */
    public DomainAdaptation {
        if (!(coralWeight >= 0) || Double.isInfinite(coralWeight)) {
            throw new IllegalArgumentException("coralWeight must be finite and >= 0, got " + coralWeight);
        }
        if (!(adversarialWeight >= 0) || Double.isInfinite(adversarialWeight)) {
            throw new IllegalArgumentException("adversarialWeight must be finite and >= 0, got " + adversarialWeight);
        }
        if (!reestimateBatchNorm && coralWeight == 0 && adversarialWeight == 0) {
            throw new IllegalArgumentException(
                    "A domain adaptation must do something: re-estimate BatchNorm statistics or align features");
        }
    }

    /** Returns AdaBN alone: BatchNorm statistics re-estimated on the target inputs before training. */
    public static DomainAdaptation batchNorm() {
        return new DomainAdaptation(true, 0, 0);
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
        return new DomainAdaptation(false, weight, 0);
    }

    /**
     * Returns domain-adversarial alignment alone (DANN): a discriminator on the features the head reads,
     * behind a gradient-reversal layer whose coefficient ramps up to {@code lambda}.
     *
     * @param lambda the largest gradient-reversal coefficient, above 0 (Ganin et al. use 1)
     * @return the adaptation
     */
    public static DomainAdaptation adversarial(double lambda) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("The adversarial coefficient must be > 0, got " + lambda);
        }
        return new DomainAdaptation(false, 0, lambda);
    }

    /** Returns a copy that also re-estimates BatchNorm statistics on the target inputs before training. */
    public DomainAdaptation andBatchNorm() {
        return new DomainAdaptation(true, coralWeight, adversarialWeight);
    }

    /** Returns whether features are aligned during training, by the CORAL loss or a domain discriminator. */
    public boolean aligns() {
        return coralWeight > 0 || adversarialWeight > 0;
    }

    /** Returns whether a domain discriminator trains against the features (DANN). */
    public boolean adversarial() {
        return adversarialWeight > 0;
    }
}
