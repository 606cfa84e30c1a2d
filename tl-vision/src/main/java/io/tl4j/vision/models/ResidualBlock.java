package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * One residual block of torchvision's ResNet (v1.5): a {@code BasicBlock} (two 3x3 convolutions)
 * or a {@code Bottleneck} (1x1, 3x3 carrying the stride, 1x1 expanding four times), every
 * convolution without bias and followed by {@link BatchNorm2d}, plus a {@code downsample}
 * (1x1 convolution and BatchNorm) on the shortcut when the shape changes. Its children are named as
 * torchvision's: {@code conv1}, {@code bn1}, {@code conv2}, {@code bn2}[, {@code conv3}, {@code
 * bn3}][, {@code downsample.0}, {@code downsample.1}].
 */
public final class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final List<Block> main = new ArrayList<>();
    private final Block downsample;

    /**
     * Creates a residual block of torchvision's layout.
     *
     * @param type basic or bottleneck
     * @param planes the block's base width; its output has {@code planes * type.expansion()}
     *     channels
     * @param stride the stride of the block (on its 3x3 convolution), 1 or 2
     * @param downsample whether the shortcut needs a projection (stride or channel change)
     */
    public ResidualBlock(BlockType type, int planes, int stride, boolean downsample) {
        super(VERSION);
        if (type == BlockType.BASIC) {
            addMain("conv1", conv(planes, 3, stride));
            addMain("bn1", new BatchNorm2d());
            addMain("conv2", conv(planes, 3, 1));
            addMain("bn2", new BatchNorm2d());
        } else {
            addMain("conv1", conv(planes, 1, 1));
            addMain("bn1", new BatchNorm2d());
            addMain("conv2", conv(planes, 3, stride));
            addMain("bn2", new BatchNorm2d());
            addMain("conv3", conv(planes * type.expansion(), 1, 1));
            addMain("bn3", new BatchNorm2d());
        }
        if (downsample) {
            this.downsample = addChildBlock(
                    "downsample",
                    new SequentialBlock()
                            .add(conv(planes * type.expansion(), 1, stride))
                            .add(new BatchNorm2d()));
        } else {
            this.downsample = null;
        }
    }

    /**
     * A bias-free convolution with PyTorch's padding for its kernel ({@code kernel / 2}).
     *
     * @param filters output channels
     * @param kernel kernel size (square)
     * @param stride stride (both axes)
     * @return the convolution
     */
    static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false)
                .build();
    }

    private void addMain(String name, Block block) {
        main.add(addChildBlock(name, block));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (int i = 0; i < main.size(); i++) {
            x = main.get(i).forward(parameterStore, x, training);
            if (i % 2 == 1 && i < main.size() - 1) {
                x = new NDList(Activation.relu(x.singletonOrThrow()));
            }
        }
        NDArray shortcut = downsample == null
                ? inputs.singletonOrThrow()
                : downsample.forward(parameterStore, inputs, training).singletonOrThrow();
        return new NDList(Activation.relu(x.singletonOrThrow().add(shortcut)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block block : main) {
            block.initialize(manager, dataType, shapes);
            shapes = block.getOutputShapes(shapes);
        }
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block block : main) {
            shapes = block.getOutputShapes(shapes);
        }
        return shapes;
    }
}
