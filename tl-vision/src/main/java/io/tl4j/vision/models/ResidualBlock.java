package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
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
 *
 * <p>The projection's stride is taken by subsampling its input ({@code x[:, :, ::2, ::2]}) ahead of
 * a stride-1 convolution, which gives the same numbers: libtorch 2.7.1's oneDNN kills the JVM with
 * SIGFPE computing the input gradient of a strided 1x1 convolution from 512 or more channels (the
 * projections of ResNet-50's layer3 and layer4), on this machine's CPU with or without the ISA cap.
 *
 * <p>In inference mode the block frees each intermediate array as soon as the next step has read
 * it, so at most a few of its activations live at once (DJL otherwise keeps every one until the
 * caller's manager closes), and each convolution runs with its BatchNorm folded in when neither
 * trains (see {@link ConvBatchNorm}). In training mode it runs exactly as torchvision's block.
 */
public final class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final List<ConvBatchNorm> main = new ArrayList<>();
    private final List<Block> mainBlocks = new ArrayList<>();
    private final Block downsample;
    private final ConvBatchNorm shortcut;
    private final int shortcutStride;

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
            addMain("1", conv(planes, 3, stride));
            addMain("2", conv(planes, 3, 1));
        } else {
            addMain("1", conv(planes, 1, 1));
            addMain("2", conv(planes, 3, stride));
            addMain("3", conv(planes * type.expansion(), 1, 1));
        }
        if (downsample) {
            Conv2d projection = conv(planes * type.expansion(), 1, 1);
            BatchNorm2d norm = new BatchNorm2d();
            this.downsample = addChildBlock(
                    "downsample", new SequentialBlock().add(projection).add(norm));
            this.shortcut = new ConvBatchNorm(projection, norm);
            this.shortcutStride = stride;
        } else {
            this.downsample = null;
            this.shortcut = null;
            this.shortcutStride = 1;
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

    private void addMain(String index, Conv2d conv) {
        BatchNorm2d norm = new BatchNorm2d();
        mainBlocks.add(addChildBlock("conv" + index, conv));
        mainBlocks.add(addChildBlock("bn" + index, norm));
        main.add(new ConvBatchNorm(conv, norm));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        if (training) {
            NDArray x = input;
            for (int i = 0; i < main.size(); i++) {
                x = main.get(i).forward(parameterStore, x, true);
                if (i < main.size() - 1) {
                    x = Activation.relu(x);
                }
            }
            NDArray identity = shortcut == null ? input : shortcut.forward(parameterStore, subsample(input), true);
            return new NDList(Activation.relu(x.add(identity)));
        }
        NDArray out;
        try (NDScope scope = new NDScope()) {
            NDArray x = input;
            for (int i = 0; i < main.size(); i++) {
                NDArray y = main.get(i).forward(parameterStore, x, false);
                if (x != input) {
                    x.close();
                }
                x = y;
                if (i < main.size() - 1) {
                    x = Activation.relu(y);
                    y.close();
                }
            }
            NDArray identity = input;
            if (shortcut != null) {
                NDArray subsampled = subsample(input);
                identity = shortcut.forward(parameterStore, subsampled, false);
                if (subsampled != input) {
                    subsampled.close();
                }
            }
            NDArray sum = x.add(identity);
            x.close();
            if (identity != input) {
                identity.close();
            }
            out = Activation.relu(sum);
            sum.close();
            NDScope.unregister(out);
        }
        // the output belongs to the caller's scope, if any, as it would without this block's scope
        NDScope.register(out);
        return new NDList(out);
    }

    /** The projection's input: every {@code shortcutStride}-th row and column. */
    private NDArray subsample(NDArray input) {
        return shortcutStride == 1
                ? input
                : input.get(new NDIndex(":, :, ::" + shortcutStride + ", ::" + shortcutStride));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block block : mainBlocks) {
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
        for (Block block : mainBlocks) {
            shapes = block.getOutputShapes(shapes);
        }
        return shapes;
    }
}
