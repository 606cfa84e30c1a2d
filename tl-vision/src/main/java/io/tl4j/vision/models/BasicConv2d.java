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
 * torchvision's Inception {@code BasicConv2d}: a bias-free convolution (children {@code conv}),
 * {@link BatchNorm2d} with epsilon 0.001 ({@code bn}) and ReLU. The kernel may be rectangular (1x7,
 * 7x1, ...) and the padding is given per axis. When neither trains the BatchNorm is folded into the
 * convolution (see {@link ConvBatchNorm}).
 */
final class BasicConv2d extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float BN_EPSILON = 1e-3f;
    private static final float BN_MOMENTUM = 0.1f;

    private final Conv2d conv;
    private final BatchNorm2d bn;
    private final ConvBatchNorm pair;

    /**
     * Creates the block.
     *
     * @param filters output channels
     * @param kernelHeight the kernel's height
     * @param kernelWidth the kernel's width
     * @param stride the stride along both axes
     * @param padHeight zero padding above and below
     * @param padWidth zero padding left and right
     */
    BasicConv2d(int filters, int kernelHeight, int kernelWidth, int stride, int padHeight, int padWidth) {
        super(VERSION);
        this.conv = addChildBlock(
                "conv",
                Conv2d.builder()
                        .setFilters(filters)
                        .setKernelShape(new Shape(kernelHeight, kernelWidth))
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(padHeight, padWidth))
                        .optBias(false)
                        .build());
        this.bn = addChildBlock("bn", new BatchNorm2d(BN_EPSILON, BN_MOMENTUM));
        this.pair = new ConvBatchNorm(conv, bn);
    }

    /** Returns a square-kernel block with stride 1 and that padding on every side. */
    static BasicConv2d square(int filters, int kernel, int padding) {
        return new BasicConv2d(filters, kernel, kernel, 1, padding, padding);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray normalized = pair.forward(parameterStore, inputs.singletonOrThrow(), training);
        NDArray out = ActivationFunction.RELU.apply(normalized);
        if (!training && out != normalized) {
            normalized.close();
        }
        return new NDList(out);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }
}
