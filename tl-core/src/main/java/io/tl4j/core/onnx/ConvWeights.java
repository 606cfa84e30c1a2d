package io.tl4j.core.onnx;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * The weight (out, in / groups, kH, kW) and bias (out) of one 2-D convolution as Java arrays, ready
 * for {@link OnnxLayers#conv2d}, optionally with the inference-mode BatchNorm that follows it folded
 * in: BatchNorm in inference is {@code y * s + (beta - mean * s)} with {@code s = gamma / sqrt(var +
 * eps)} per channel, so the pair is one convolution of weight {@code w * s} and bias {@code (b -
 * mean) * s + beta}.
 */
public final class ConvWeights {

    private final float[] weight;
    private final long[] shape;
    private final float[] bias;

    private ConvWeights(float[] weight, long[] shape, float[] bias) {
        this.weight = weight;
        this.shape = shape;
        this.bias = bias;
    }

    /**
     * Copies a convolution's weights out of their arrays.
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
        float[] b = bias == null ? new float[(int) shape[0]] : bias.toFloatArray();
        if (b.length != shape[0]) {
            throw new IllegalArgumentException(
                    "Convolution " + name + ".bias has " + b.length + " values for " + shape[0] + " output channels");
        }
        return new ConvWeights(weight.toFloatArray(), shape, b);
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
     */
    public ConvWeights foldBatchNorm(String name, NDArray gamma, NDArray beta, NDArray mean, NDArray var, float eps) {
        int out = (int) shape[0];
        float[] g = channels(name, "scale", gamma, out);
        float[] b = channels(name, "shift", beta, out);
        float[] m = channels(name, "running mean", mean, out);
        float[] v = channels(name, "running variance", var, out);
        float[] folded = new float[weight.length];
        float[] foldedBias = new float[out];
        int perChannel = weight.length / out;
        for (int o = 0; o < out; o++) {
            double scale = g[o] / Math.sqrt((double) v[o] + eps);
            for (int k = o * perChannel; k < (o + 1) * perChannel; k++) {
                folded[k] = (float) (weight[k] * scale);
            }
            foldedBias[o] = (float) ((bias[o] - (double) m[o]) * scale + b[o]);
        }
        return new ConvWeights(folded, shape, foldedBias);
    }

    private static float[] channels(String name, String statistic, NDArray array, int out) {
        float[] values = array.toFloatArray();
        if (values.length != out) {
            throw new IllegalArgumentException("BatchNorm " + name + "'s " + statistic + " has " + values.length
                    + " values for " + out + " channels");
        }
        return values;
    }

    /** Returns the weight, row-major (out, in / groups, kH, kW); a copy. */
    public float[] weight() {
        return weight.clone();
    }

    /** Returns the weight's shape (out, in / groups, kH, kW). */
    public long[] shape() {
        return shape.clone();
    }

    /** Returns the bias (out); a copy. */
    public float[] bias() {
        return bias.clone();
    }

    @Override
    public String toString() {
        return "ConvWeights" + Arrays.toString(shape);
    }
}
