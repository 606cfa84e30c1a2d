package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.Supplier;

/**
 * The inverted residual block of torchvision's MobileNetV3 ({@code InvertedResidual}) and
 * EfficientNet ({@code MBConv}): a 1x1 expansion (when the expanded width differs from the input's),
 * a depthwise convolution carrying the stride, an optional {@link SqueezeExcitation}, and a 1x1
 * projection without activation, all in one child {@code block} ({@code block.0.0.weight}, ...,
 * {@code block.2.fc1.bias}, ...). When the stride is 1 and the width unchanged the input is added
 * back, after {@link StochasticDepth} in training.
 */
final class InvertedResidual extends AbstractBlock {

    private static final byte VERSION = 1;

    private final SequentialBlock block = new SequentialBlock();
    private final boolean residual;
    private final float dropProbability;

    /**
     * The shape of one block.
     *
     * @param inChannels the input channels
     * @param expanded the channels of the depthwise convolution
     * @param outChannels the output channels
     * @param kernel the depthwise kernel's side
     * @param stride the depthwise stride, 1 or 2
     * @param activation the activation after the expansion and the depthwise convolution
     * @param squeezeChannels the squeeze-excitation's inner channels, or 0 for none
     * @param squeezeActivation the squeeze-excitation's inner activation
     * @param squeezeGate the squeeze-excitation's gate activation
     * @param dropProbability the stochastic depth probability of the residual branch (0 for none)
     */
    record Spec(
            int inChannels,
            int expanded,
            int outChannels,
            int kernel,
            int stride,
            ActivationFunction activation,
            int squeezeChannels,
            ActivationFunction squeezeActivation,
            ActivationFunction squeezeGate,
            float dropProbability) {}

    /**
     * Creates the block.
     *
     * @param spec its shape
     * @param norm makes the network's BatchNorm (its epsilon and momentum)
     */
    InvertedResidual(Spec spec, Supplier<BatchNorm2d> norm) {
        super(VERSION);
        if (spec.stride() != 1 && spec.stride() != 2) {
            throw new IllegalArgumentException("Inverted residual stride must be 1 or 2, got " + spec.stride());
        }
        if (spec.expanded() != spec.inChannels()) {
            block.add(new ConvNormActivation(spec.expanded(), 1, 1, 1, norm.get(), spec.activation()));
        }
        block.add(new ConvNormActivation(
                spec.expanded(), spec.kernel(), spec.stride(), spec.expanded(), norm.get(), spec.activation()));
        if (spec.squeezeChannels() > 0) {
            block.add(new SqueezeExcitation(
                    spec.expanded(), spec.squeezeChannels(), spec.squeezeActivation(), spec.squeezeGate()));
        }
        block.add(new ConvNormActivation(spec.outChannels(), 1, 1, 1, norm.get(), ActivationFunction.NONE));
        addChildBlock("block", block);
        this.residual = spec.stride() == 1 && spec.inChannels() == spec.outChannels();
        this.dropProbability = StochasticDepth.checked(spec.dropProbability());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray x = input;
        for (Block layer : block.getChildren().values()) {
            NDArray next =
                    layer.forward(parameterStore, new NDList(x), training).singletonOrThrow();
            if (!training && x != input) {
                x.close();
            }
            x = next;
        }
        if (!residual) {
            return new NDList(x);
        }
        NDArray branch = StochasticDepth.apply(x, dropProbability, training);
        NDArray out = branch.add(input);
        if (!training) {
            x.close();
        }
        return new NDList(out);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        block.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return block.getOutputShapes(inputShapes);
    }
}
