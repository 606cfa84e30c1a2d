package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torchvision's {@code Conv2dNormActivation}: a bias-free convolution with padding {@code (kernel -
 * 1) / 2}, {@link BatchNorm2d} and an activation, with torchvision's child names {@code 0} (the
 * convolution) and {@code 1} (the BatchNorm). When neither trains the BatchNorm is folded into the
 * convolution (see {@link ConvBatchNorm}), and in inference the activation's input is freed once
 * read.
 */
final class ConvNormActivation extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Conv2d conv;
    private final BatchNorm2d norm;
    private final ConvBatchNorm pair;
    private final ActivationFunction activation;

    /**
     * Creates the block.
     *
     * @param filters output channels
     * @param kernel the square kernel's side
     * @param stride the stride along both axes
     * @param groups the convolution's groups: the input channels for a depthwise convolution, else 1
     * @param norm the BatchNorm after the convolution (its epsilon and momentum are the network's)
     * @param activation the activation after the BatchNorm
     */
    ConvNormActivation(
            int filters, int kernel, int stride, int groups, BatchNorm2d norm, ActivationFunction activation) {
        super(VERSION);
        this.conv = addChildBlock(
                "0",
                Conv2d.builder()
                        .setFilters(filters)
                        .setKernelShape(new Shape(kernel, kernel))
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape((kernel - 1) / 2, (kernel - 1) / 2))
                        .optGroups(groups)
                        .optBias(false)
                        .build());
        this.norm = addChildBlock("1", norm);
        this.pair = new ConvBatchNorm(conv, norm);
        this.activation = activation;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray normalized = pair.forward(parameterStore, inputs.singletonOrThrow(), training);
        NDArray out = activation.apply(normalized);
        if (!training && out != normalized) {
            normalized.close();
        }
        return new NDList(out);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }
}
