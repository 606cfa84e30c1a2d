package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.onnx.OnnxExportable;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Small built-in architectures for tabular and small-image data, and for pretraining a backbone of
 * your own on a source task. Their layers are named {@code block1}, {@code block2}, ...
 */
public final class Architectures {

    /** The widest layer a saved built-in architecture may declare (an edited model.json cannot allocate gigabytes). */
    static final int MAX_SAVED_WIDTH = 65_536;

    /** Id of {@link #mlp(int...)}. */
    public static final String MLP = "tl4j.mlp";
    /** Id of {@link #convNet(int...)}. */
    public static final String CONV_NET = "tl4j.convnet";

    private Architectures() {}

    /**
     * A multilayer perceptron: the input is flattened, then each block is Linear, BatchNorm, ReLU.
     *
     * @param hiddenUnits the width of each block; the last one is the feature size
     * @return the architecture
     */
    public static Architecture mlp(int... hiddenUnits) {
        int[] units = checkedWidths(hiddenUnits, "hidden units");
        return new BuiltIn(MLP, units) {
            @Override
            public Block newBlock(NDManager manager) {
                LayeredBlock net = new LayeredBlock();
                for (int i = 0; i < units.length; i++) {
                    SequentialBlock block = new SequentialBlock();
                    if (i == 0) {
                        block.add(Blocks.batchFlattenBlock());
                    }
                    block.add(Linear.builder().setUnits(units[i]).build())
                            .add(BatchNorm.builder().build())
                            .add(Activation.reluBlock());
                    net.add("block" + (i + 1), block);
                }
                return net;
            }
        };
    }

    /**
     * A small convolutional network for inputs of shape (channels, height, width): each block is a
     * 3x3 convolution, BatchNorm, ReLU and 2x2 max pooling; a last layer {@code pool} averages over
     * space, so the feature size is the last width. It exports to ONNX ({@link OnnxExportable}),
     * BatchNorm folded into the convolutions.
     *
     * @param channels the output channels of each block
     * @return the architecture
     */
    public static Architecture convNet(int... channels) {
        return new ConvNet(checkedWidths(channels, "channels"));
    }

    /**
     * The configuration of {@link #mlp} and {@link #convNet}.
     *
     * @param widths the width of each block
     */
    public record Config(List<Integer> widths) {}

    /**
     * Rebuilds a built-in architecture from its {@link Architecture#config() configuration}.
     *
     * @throws IllegalArgumentException naming the key and value when {@code widths} is missing or
     *     holds a width outside [1, {@value #MAX_SAVED_WIDTH}]
     */
    static Architecture fromConfig(String id, Config config) {
        // a saved configuration is read before its weights are compared, so its size is capped first
        List<Integer> widths = ConfigValues.require(config.widths(), "widths", id);
        if (widths.stream().anyMatch(w -> w > MAX_SAVED_WIDTH)) {
            throw new IllegalArgumentException(id + " 'widths' = " + widths + " declares a layer wider than "
                    + MAX_SAVED_WIDTH + "; a saved model this wide is refused before anything is allocated");
        }
        int[] units = widths.stream().mapToInt(Integer::intValue).toArray();
        return MLP.equals(id) ? mlp(units) : convNet(units);
    }

    private static int[] checkedWidths(int[] widths, String what) {
        if (widths == null || widths.length == 0 || Arrays.stream(widths).anyMatch(w -> w <= 0)) {
            throw new IllegalArgumentException(
                    "Need at least one positive number of " + what + ": " + Arrays.toString(widths));
        }
        return widths.clone();
    }

    private abstract static class BuiltIn implements Architecture {
        private final String id;
        private final int[] widths;

        BuiltIn(String id, int[] widths) {
            this.id = id;
            this.widths = widths;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Config config() {
            return new Config(Arrays.stream(widths).boxed().toList());
        }
    }

    /** {@link #convNet}: it also writes itself into an ONNX graph. */
    private static final class ConvNet extends BuiltIn implements OnnxExportable {
        private final int[] widths;

        ConvNet(int[] widths) {
            super(CONV_NET, widths);
            this.widths = widths;
        }

        @Override
        public Block newBlock(NDManager manager) {
            LayeredBlock net = new LayeredBlock();
            for (int i = 0; i < widths.length; i++) {
                net.add(
                        "block" + (i + 1),
                        new SequentialBlock()
                                .add(Conv2d.builder()
                                        .setKernelShape(new Shape(3, 3))
                                        .optPadding(new Shape(1, 1))
                                        .setFilters(widths[i])
                                        .build())
                                .add(BatchNorm.builder().build())
                                .add(Activation.reluBlock())
                                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2))));
            }
            net.add(
                    "pool",
                    new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock()));
            return net;
        }

        @Override
        public String writeOnnx(OnnxGraphBuilder graph, Map<String, NDArray> weights) {
            return ConvNetOnnx.write(graph, widths.length, weights);
        }

        @Override
        public Map<String, NDArray> onnxInputs(NDList batch) {
            return ConvNetOnnx.inputs(batch);
        }
    }
}
