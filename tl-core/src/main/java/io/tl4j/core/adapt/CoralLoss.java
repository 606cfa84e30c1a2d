package io.tl4j.core.adapt;

import ai.djl.ndarray.NDArray;
import io.tl4j.core.nn.Scalars;

/**
 * The CORAL loss of Deep CORAL (Sun and Saenko, 2016): the squared Frobenius distance between the
 * feature covariances of a source batch and a target batch, divided by {@code 4 d²} for {@code d}
 * features. Minimising it beside the task loss aligns the second-order statistics of the two domains'
 * features.
 */
public final class CoralLoss {

    private CoralLoss() {}

    /**
     * Returns {@code ||C_s - C_t||²_F / (4 d²)}, differentiable with respect to both inputs.
     *
     * @param source source features {@code (n_s, ...)}, flattened to {@code (n_s, d)}, {@code n_s >= 2}
     * @param target target features {@code (n_t, ...)} of the same {@code d}, {@code n_t >= 2}
     * @return a scalar
     * @throws IllegalArgumentException when a batch has fewer than two rows or the feature sizes differ
     */
    public static NDArray loss(NDArray source, NDArray target) {
        NDArray s = source.reshape(source.getShape().get(0), -1);
        NDArray t = target.reshape(target.getShape().get(0), -1);
        long d = s.getShape().get(1);
        if (t.getShape().get(1) != d) {
            throw new IllegalArgumentException("CORAL needs the same feature size in both domains: source "
                    + source.getShape() + ", target " + target.getShape());
        }
        NDArray diff = covariance(s, "source").sub(covariance(t, "target"));
        return Scalars.div(diff.square().sum(), (float) (4.0 * d * d));
    }

    /**
     * Returns the unbiased covariance {@code (x - mean)ᵀ (x - mean) / (n - 1)} of the rows of {@code x}.
     *
     * @param x features {@code (n, d)}, {@code n >= 2}
     * @param what names the batch in the error
     * @return the covariance {@code (d, d)}
     */
    static NDArray covariance(NDArray x, String what) {
        long n = x.getShape().get(0);
        if (n < 2) {
            throw new IllegalArgumentException(
                    "CORAL needs at least two " + what + " examples per batch to estimate a covariance, got " + n);
        }
        NDArray centred = x.sub(x.mean(new int[] {0}, true));
        return Scalars.div(centred.transpose().matMul(centred), (float) (n - 1));
    }
}
