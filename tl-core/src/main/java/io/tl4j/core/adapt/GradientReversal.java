package io.tl4j.core.adapt;

import ai.djl.ndarray.NDArray;
import io.tl4j.core.nn.Scalars;

/**
 * The gradient-reversal layer of DANN (Ganin et al., 2016): the identity going forward, the gradient
 * times {@code -lambda} going back. Written as {@code (1 + λ)·stopGradient(x) - λ·x}, whose value is
 * {@code x} and whose derivative is {@code -λ}, so it needs no custom backward function from the engine.
 */
public final class GradientReversal {

    private GradientReversal() {}

    /**
     * Returns {@code x} with its gradient reversed and scaled.
     *
     * @param x the features
     * @param lambda the reversal coefficient, at least 0
     * @return an array equal to {@code x} whose gradient flows back as {@code -lambda} times the incoming one
     */
    public static NDArray apply(NDArray x, float lambda) {
        if (!(lambda >= 0) || Float.isInfinite(lambda)) {
            throw new IllegalArgumentException("The reversal coefficient must be finite and >= 0, got " + lambda);
        }
        return Scalars.mul(x.stopGradient(), 1.0 + lambda).sub(Scalars.mul(x, lambda));
    }

    /**
     * Returns DANN's ramped coefficient {@code lambda·(2 / (1 + exp(-10 p)) - 1)} at training progress
     * {@code p}: 0 at the start, close to {@code lambda} at the end, so that the discriminator's early,
     * noisy gradient does not disturb the features.
     *
     * @param lambda the largest coefficient
     * @param progress the fraction of training done, in [0, 1]
     * @return the coefficient
     */
    public static float ramp(double lambda, double progress) {
        return (float) (lambda * (2 / (1 + Math.exp(-10 * progress)) - 1));
    }
}
