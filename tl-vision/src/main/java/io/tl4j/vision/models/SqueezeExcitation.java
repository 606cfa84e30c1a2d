package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torchvision's {@code SqueezeExcitation}: each channel is scaled by a gate computed from the
 * channels' spatial means, {@code x * scale(fc2(activation(fc1(mean(x)))))}, where {@code fc1} and
 * {@code fc2} are 1x1 convolutions with bias (children {@code fc1}, {@code fc2}). MobileNetV3 uses
 * ReLU and hard sigmoid, EfficientNet SiLU and sigmoid.
 */
final class SqueezeExcitation extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Conv2d fc1;
    private final Conv2d fc2;
    private final ActivationFunction activation;
    private final ActivationFunction scale;

    /**
     * Creates the block.
     *
     * @param channels the input (and output) channels
     * @param squeezeChannels the channels between {@code fc1} and {@code fc2}
     * @param activation the activation after {@code fc1}
     * @param scale the activation that makes {@code fc2}'s output a gate
     */
    SqueezeExcitation(int channels, int squeezeChannels, ActivationFunction activation, ActivationFunction scale) {
        super(VERSION);
        this.fc1 = addChildBlock("fc1", pointwise(squeezeChannels));
        this.fc2 = addChildBlock("fc2", pointwise(channels));
        this.activation = activation;
        this.scale = scale;
    }

    private static Conv2d pointwise(int filters) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(1, 1))
                .optBias(true)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        NDArray pooled = Pool.globalAvgPool2d(x).reshape(shape.get(0), shape.get(1), 1, 1);
        NDArray squeezed =
                fc1.forward(parameterStore, new NDList(pooled), training).singletonOrThrow();
        release(pooled, squeezed, training);
        NDArray activated = activation.apply(squeezed);
        release(squeezed, activated, training);
        NDArray expanded =
                fc2.forward(parameterStore, new NDList(activated), training).singletonOrThrow();
        release(activated, expanded, training);
        NDArray gate = scale.apply(expanded);
        release(expanded, gate, training);
        NDArray out = x.mul(gate);
        release(gate, out, training);
        return new NDList(out);
    }

    /** In inference, frees an intermediate array once the next step has read it. */
    private static void release(NDArray used, NDArray next, boolean training) {
        if (!training && next != used) {
            used.close();
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape pooled = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), 1, 1);
        fc1.initialize(manager, dataType, pooled);
        fc2.initialize(manager, dataType, fc1.getOutputShapes(new Shape[] {pooled}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
