package io.tl4j.core.onnx;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * The weight (out, in / groups, kH, kW) and bias (out) of one 2-D convolution, ready for {@link
 * OnnxLayers#conv2d}, optionally with the inference-mode BatchNorm that follows it folded in:
 * BatchNorm in inference is {@code y * s + (beta - mean * s)} with {@code s = gamma / sqrt(var +
 * eps)} per channel, so the pair is one convolution of weight {@code w * s} and bias {@code (b -
 * mean) * s + beta}. Shapes are checked when it is made; the values are read from the arrays (and
 * folded) only when {@link #weight} or {@link #bias} is called, so the arrays must stay open until
 * then: an export holds no copy of a weight before it writes that weight.
 */
public final class ConvWeights {

    private final NDArray weight;
    private final long[] shape;
    private final NDArray bias;
    private final BatchNorm norm;

    /** An inference-mode BatchNorm's per-channel arrays and epsilon. */
    private record BatchNorm(NDArray gamma, NDArray beta, NDArray mean, NDArray var, float eps) {}

    private ConvWeights(NDArray weight, long[] shape, NDArray bias, BatchNorm norm) {
        this.weight = weight;
        this.shape = shape;
        this.bias = bias;
        this.norm = norm;
    }

    /**
     * Takes a convolution's weights from their arrays, which are read when the values are asked for.
     *
     * @param name the convolution's name, for messages
     * @param weight its weight (out, in / groups, kH, kW)
     * @param bias its bias (out), or null for a convolution without one (then the bias is zero)
     * @return the weights
     * @throws IllegalArgumentException naming the layer when the weight is not 4-D or the bias does
     *     not have one value per output channel
     */
    public static ConvWeights of(String name, NDArray weight, NDArray bias) {
        long[] shape = weight.getShape().getShape();
        if (shape.length != 4) {
            throw new IllegalArgumentException(
                    "Convolution " + name + ".weight must be (out, in, kH, kW), got " + weight.getShape());
        }
        if (bias != null && bias.getShape().size() != shape[0]) {
            throw new IllegalArgumentException("Convolution " + name + ".bias has "
                    + bias.getShape().size() + " values for " + shape[0] + " output channels");
        }
        return new ConvWeights(weight, shape, bias, null);
    }

    /**
     * Returns this convolution with the inference-mode BatchNorm over its output folded in.
     *
     * @param name the BatchNorm's name, for messages
     * @param gamma the BatchNorm's scale (out)
     * @param beta its shift (out)
     * @param mean its running mean (out)
     * @param var its running variance (out)
     * @param eps the epsilon it adds to the variance
     * @return the folded convolution; this one is left as it was
     * @throws IllegalArgumentException naming the BatchNorm when a statistic does not have one value
     *     per output channel
     * @throws IllegalStateException when this convolution already has a BatchNorm folded in
     */
    public ConvWeights foldBatchNorm(String name, NDArray gamma, NDArray beta, NDArray mean, NDArray var, float eps) {
        if (norm != null) {
            throw new IllegalStateException(
                    "BatchNorm " + name + " cannot be folded into a convolution that " + "already has one folded in");
        }
        long out = shape[0];
        channels(name, "scale", gamma, out);
        channels(name, "shift", beta, out);
        channels(name, "running mean", mean, out);
        channels(name, "running variance", var, out);
        return new ConvWeights(weight, shape, bias, new BatchNorm(gamma, beta, mean, var, eps));
    }

    private static void channels(String name, String statistic, NDArray array, long out) {
        long values = array.getShape().size();
        if (values != out) {
            throw new IllegalArgumentException(
                    "BatchNorm " + name + "'s " + statistic + " has " + values + " values for " + out + " channels");
        }
    }

    /** Returns the weight, row-major (out, in / groups, kH, kW), folded when a BatchNorm is; a new array. */
    public float[] weight() {
        float[] values = weight.toFloatArray();
        if (norm != null) {
            double[] scale = scale();
            int perChannel = values.length / scale.length;
            for (int o = 0; o < scale.length; o++) {
                for (int k = o * perChannel; k < (o + 1) * perChannel; k++) {
                    values[k] = (float) (values[k] * scale[o]);
                }
            }
        }
        return values;
    }

    /** Returns the weight's shape (out, in / groups, kH, kW). */
    public long[] shape() {
        return shape.clone();
    }

    /** Returns the bias (out), folded when a BatchNorm is; a new array. */
    public float[] bias() {
        float[] values = bias == null ? new float[(int) shape[0]] : bias.toFloatArray();
        if (norm != null) {
            double[] scale = scale();
            float[] m = norm.mean().toFloatArray();
            float[] b = norm.beta().toFloatArray();
            for (int o = 0; o < values.length; o++) {
                values[o] = (float) ((values[o] - (double) m[o]) * scale[o] + b[o]);
            }
        }
        return values;
    }

    /** The BatchNorm's per-channel scale, {@code gamma / sqrt(var + eps)}. */
    private double[] scale() {
        float[] g = norm.gamma().toFloatArray();
        float[] v = norm.var().toFloatArray();
        double[] scale = new double[g.length];
        for (int o = 0; o < g.length; o++) {
            scale[o] = g[o] / Math.sqrt((double) v[o] + norm.eps());
        }
        return scale;
    }

    @Override
    public String toString() {
        return "ConvWeights" + Arrays.toString(shape);
    }
}
