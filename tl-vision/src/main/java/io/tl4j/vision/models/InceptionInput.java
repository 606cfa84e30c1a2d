package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The input step of torchvision's Inception-v3: refuses images smaller than 75x75 pixels (the
 * smallest that leaves Mixed_7a a pixel) and, with {@code transform_input}, re-normalizes an image
 * normalized with ImageNet's mean and standard deviation to mean 0.5 and standard deviation 0.5 per
 * channel, as torchvision's {@code _transform_input} does: channel {@code c} becomes {@code x *
 * (std[c] / 0.5) + (mean[c] - 0.5) / 0.5}.
 */
final class InceptionInput extends AbstractBlock {

    /** The smallest height and width torchvision's Inception-v3 accepts. */
    static final int MIN_SIZE = 75;

    private static final byte VERSION = 1;
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final boolean transform;

    /**
     * Creates the step.
     *
     * @param transform whether to re-normalize from ImageNet's mean and standard deviation to 0.5
     */
    InceptionInput(boolean transform) {
        super(VERSION);
        this.transform = transform;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        if (!transform) {
            return inputs;
        }
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = STD[c] / 0.5f;
            shift[c] = (MEAN[c] - 0.5f) / 0.5f;
        }
        NDArray scales = x.getManager().create(scale, new Shape(1, 3, 1, 1)).toType(x.getDataType(), false);
        NDArray shifts = x.getManager().create(shift, new Shape(1, 3, 1, 1)).toType(x.getDataType(), false);
        return new NDList(x.mul(scales).add(shifts));
    }

    /** Returns the input shape; the size is checked when images run, not when the network is built. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    private static void check(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != 3) {
            throw new IllegalArgumentException(
                    "Inception-v3 expects images of shape (batch, 3, height, width), got " + shape);
        }
        if (shape.get(2) < MIN_SIZE || shape.get(3) < MIN_SIZE) {
            throw new IllegalArgumentException("Inception-v3 needs images of at least " + MIN_SIZE + "x" + MIN_SIZE
                    + " pixels (299x299 for ImageNet weights), got " + shape.get(2) + "x" + shape.get(3)
                    + " in input shape " + shape);
        }
    }
}
