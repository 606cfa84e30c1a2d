package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchModule;

/**
 * torchvision ViT's {@code conv_proj}: a patch x patch convolution with stride patch ({@code
 * weight}, {@code bias}) that turns a square image into (batch, patches, hidden) tokens, patches in
 * row-major order. It refuses images that are not square, not a whole number of patches wide, or
 * smaller than one patch.
 */
final class PatchEmbedding extends TorchModule {

    private final int channels;
    private final int patch;
    private final int hidden;
    private final Parameter weight;
    private final Parameter bias;

    PatchEmbedding(int channels, int patch, int hidden) {
        this.channels = channels;
        this.patch = patch;
        this.hidden = hidden;
        float std = (float) Math.sqrt(1.0 / (channels * patch * patch));
        this.weight = parameter(
                "weight", Parameter.Type.WEIGHT, new Shape(hidden, channels, patch, patch), new NormalInitializer(std));
        this.bias = parameter("bias", Parameter.Type.BIAS, new Shape(hidden), Initializer.ZEROS);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray image = inputs.singletonOrThrow();
        check(image.getShape());
        Shape stride = new Shape(patch, patch);
        NDArray grid = Conv2d.conv2d(
                        image, value(ps, weight, image, training), value(ps, bias, image, training), stride)
                .singletonOrThrow();
        long batch = grid.getShape().get(0);
        return new NDList(grid.reshape(batch, hidden, -1).transpose(0, 2, 1));
    }

    private void check(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "ViT conv_proj takes (batch, " + channels + ", height, width) images, got " + shape);
        }
        long height = shape.get(2);
        long width = shape.get(3);
        if (height != width || height < patch || height % patch != 0) {
            throw new IllegalArgumentException("ViT with " + patch + " px patches takes square images whose side is a"
                    + " multiple of " + patch + " px (at least " + patch + "), got " + height + "x" + width);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        long patches = (in.get(2) / patch) * (in.get(3) / patch);
        return new Shape[] {new Shape(in.get(0), patches, hidden)};
    }
}
