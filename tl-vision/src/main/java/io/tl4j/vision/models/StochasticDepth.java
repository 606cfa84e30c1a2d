package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * torchvision's {@code StochasticDepth} in {@code "row"} mode: in training, each sample's residual
 * branch is dropped (zeroed) with probability {@code p} and kept samples are scaled by {@code 1 /
 * (1 - p)}; in inference, and in any layer that runs in inference mode because it is frozen, it is
 * the identity.
 */
final class StochasticDepth {

    private StochasticDepth() {}

    /**
     * Drops whole samples of a residual branch at random in training.
     *
     * @param branch the residual branch's output, batch first; left open
     * @param p the probability of dropping a sample's branch, in [0, 1]
     * @param training whether the block runs in training mode
     * @return {@code branch} itself when nothing is dropped (inference, or {@code p == 0}), else a
     *     new array
     */
    static NDArray apply(NDArray branch, float p, boolean training) {
        if (!training || p == 0f) {
            return branch;
        }
        float survival = 1f - p;
        long[] dims = new long[branch.getShape().dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = branch.getShape().get(0);
        NDArray keep = branch.getManager()
                .randomUniform(0f, 1f, new Shape(dims))
                .lt(survival)
                .toType(DataType.FLOAT32, false);
        return branch.mul(survival > 0f ? keep.div(survival) : keep);
    }

    /**
     * Checks a drop probability.
     *
     * @param p the probability
     * @return {@code p}
     * @throws IllegalArgumentException when it is outside [0, 1]
     */
    static float checked(float p) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("Stochastic depth probability must be in [0, 1], got " + p);
        }
        return p;
    }
}
