package io.tl4j.benchmarks.nets;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One residual block in torchvision's layout, written with plain DJL blocks: {@code BasicBlock}
 * (two 3×3 convolutions, ResNet-18/34) or {@code Bottleneck} (1×1, strided 3×3, 1×1 with four-fold
 * expansion: torchvision's v1.5, ResNet-50 and deeper). Children are named as in torchvision
 * ({@code conv1}, {@code bn1}, ..., {@code downsample}).
 */
public final class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block[] convs;
    private final Block[] norms;
    private final Block downsample;

    private ResidualBlock(int inChannels, int width, int stride, boolean bottleneck) {
        super(VERSION);
        int outChannels = bottleneck ? width * 4 : width;
        if (bottleneck) {
            convs = new Block[] {conv(width, 1, 1, 0), conv(width, 3, stride, 1), conv(outChannels, 1, 1, 0)};
        } else {
            convs = new Block[] {conv(width, 3, stride, 1), conv(width, 3, 1, 1)};
        }
        norms = new Block[convs.length];
        for (int i = 0; i < convs.length; i++) {
            norms[i] = batchNorm();
            addChildBlock("conv" + (i + 1), convs[i]);
            addChildBlock("bn" + (i + 1), norms[i]);
        }
        if (stride != 1 || inChannels != outChannels) {
            downsample =
                    new SequentialBlock().add(conv(outChannels, 1, stride, 0)).add(batchNorm());
            addChildBlock("downsample", downsample);
        } else {
            downsample = null;
        }
    }

    /**
     * Builds torchvision's {@code BasicBlock}.
     *
     * @param inChannels the input's channels
     * @param width the block's channels
     * @param stride the stride of its first 3×3 convolution
     * @return torchvision's {@code BasicBlock}
     */
    public static ResidualBlock basic(int inChannels, int width, int stride) {
        return new ResidualBlock(inChannels, width, stride, false);
    }

    /**
     * Builds torchvision's {@code Bottleneck}.
     *
     * @param inChannels the input's channels
     * @param width the bottleneck's inner channels (the output has four times as many)
     * @param stride the stride of its 3×3 convolution
     * @return torchvision's {@code Bottleneck}
     */
    public static ResidualBlock bottleneck(int inChannels, int width, int stride) {
        return new ResidualBlock(inChannels, width, stride, true);
    }

    static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = inputs;
        for (int i = 0; i < convs.length; i++) {
            out = convs[i].forward(parameterStore, out, training);
            out = norms[i].forward(parameterStore, out, training);
            if (i < convs.length - 1) {
                out = new NDList(Activation.relu(out.head()));
            }
        }
        NDList identity = downsample == null ? inputs : downsample.forward(parameterStore, inputs, training);
        return new NDList(Activation.relu(out.head().add(identity.head())));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] current = inputs;
        for (int i = 0; i < convs.length; i++) {
            current = convs[i].getOutputShapes(current);
        }
        return current;
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] current = inputShapes;
        for (int i = 0; i < convs.length; i++) {
            convs[i].initialize(manager, dataType, current);
            current = convs[i].getOutputShapes(current);
            norms[i].initialize(manager, dataType, current);
        }
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }
}
