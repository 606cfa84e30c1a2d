package io.tl4j.vision.models;

/**
 * PyTorch's bicubic resize along one axis ({@code F.interpolate(mode="bicubic")}, cubic convolution
 * with A = -0.75, border indices clamped) as a matrix: {@code out = M in}. A 2-D resize is {@code
 * M_h X M_wᵀ}, which records gradients like any product.
 */
final class BicubicResize {

    private static final double A = -0.75;

    private BicubicResize() {}

    /**
     * Returns the resize matrix.
     *
     * @param in the input length, at least 1
     * @param out the output length, at least 1
     * @param alignCorners PyTorch's {@code align_corners}: true maps the end samples onto each other
     *     (torchvision's {@code interpolate_embeddings} uses it)
     * @return the (out, in) matrix, row-major
     */
    static float[] matrix(int in, int out, boolean alignCorners) {
        float[] m = new float[out * in];
        double scale = alignCorners ? (out > 1 ? (double) (in - 1) / (out - 1) : 0) : (double) in / out;
        for (int i = 0; i < out; i++) {
            double source = alignCorners ? scale * i : scale * (i + 0.5) - 0.5;
            int floor = (int) Math.floor(source);
            double t = source - floor;
            double[] w = {
                farWeight(t + 1), nearWeight(t), nearWeight(1 - t), farWeight(2 - t),
            };
            for (int k = 0; k < 4; k++) {
                int index = Math.min(Math.max(floor - 1 + k, 0), in - 1);
                m[i * in + index] += (float) w[k];
            }
        }
        return m;
    }

    /** Weight of a sample at distance x in [0, 1]. */
    private static double nearWeight(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** Weight of a sample at distance x in [1, 2]. */
    private static double farWeight(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
}
