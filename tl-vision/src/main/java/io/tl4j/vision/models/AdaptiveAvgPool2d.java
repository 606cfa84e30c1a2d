package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * PyTorch's {@code nn.AdaptiveAvgPool2d} followed by flattening, as torchvision's ResNet and VGG
 * do after their {@code avgpool}: input {@code (N, C, H, W)} of any size, output {@code (N, C *
 * outH * outW)}.
 *
 * <p>Output cell {@code (i, j)} averages rows {@code floor(i*H/outH)} to {@code ceil((i+1)*H/outH)}
 * (exclusive) and likewise for columns, PyTorch's bins, so the result equals PyTorch's also when
 * the output size does not divide the input size (bins then overlap or repeat a pixel). It is
 * computed as two matrix products with the bins' averaging matrices, so gradients flow.
 */
public final class AdaptiveAvgPool2d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int outHeight;
    private final int outWidth;

    /**
     * Creates an adaptive average pooling layer with that output size.
     *
     * @param outHeight the output height
     * @param outWidth the output width
     */
    public AdaptiveAvgPool2d(int outHeight, int outWidth) {
        super(VERSION);
        if (outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException("Output size must be positive: " + outHeight + "x" + outWidth);
        }
        this.outHeight = outHeight;
        this.outWidth = outWidth;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        long height = shape.get(2);
        long width = shape.get(3);
        NDArray pooled;
        if (outHeight == 1 && outWidth == 1) {
            pooled = Pool.globalAvgPool2d(x);
        } else {
            NDManager manager = x.getManager();
            NDArray rows = manager.create(binMatrix(outHeight, height), new Shape(outHeight, height));
            NDArray columns = manager.create(binMatrix(outWidth, width), new Shape(outWidth, width));
            pooled = rows.matMul(x).matMul(columns.transpose());
        }
        return new NDList(pooled.reshape(shape.get(0), -1));
    }

    /**
     * The averaging matrix of PyTorch's adaptive pooling bins: row {@code i} holds {@code 1/len}
     * over the bin's input positions.
     */
    static float[] binMatrix(int out, long in) {
        float[] matrix = new float[(int) (out * in)];
        for (int i = 0; i < out; i++) {
            long start = Math.floorDiv(i * in, out);
            long end = -Math.floorDiv(-(i + 1) * in, out);
            for (long k = start; k < end; k++) {
                matrix[(int) (i * in + k)] = 1f / (end - start);
            }
        }
        return matrix;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1) * outHeight * outWidth)};
    }

    @Override
    public String toString() {
        return "AdaptiveAvgPool2d(" + outHeight + ", " + outWidth + ") + flatten";
    }
}
