package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.onnx.OnnxExportable;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * torchvision's ResNet (v1.5: the stride sits in the bottleneck's 3x3 convolution; convolutions
 * without bias; BatchNorm epsilon 1e-5) as a {@link LayeredBlock} whose layers are torchvision's
 * child modules and whose parameter names are torchvision's {@code state_dict} keys.
 *
 * <p>Layers, in order: {@code conv1}, {@code bn1}, {@code relu}, {@code maxpool} (the stem; a
 * {@linkplain Builder#optSmallImageStem small-image stem} has no {@code maxpool}), {@code layer1}
 * ... {@code layerN} (one per stage), {@code avgpool} (global average, flattened) and, when the
 * network keeps a classifier, {@code fc}. Parameter names are e.g. {@code conv1.weight}, {@code
 * bn1.running_mean}, {@code layer3.1.conv2.weight}, {@code layer2.0.downsample.0.weight}, {@code
 * fc.bias}; they are the first segments of the names that tl-core groups by, so {@code
 * freezeUntil("layer3")} freezes the stem, {@code layer1} and {@code layer2}.
 *
 * <pre>{@code
 * ResNet resnet50 = ResNet.builder().setDepth(50).build();          // backbone: 2048 features
 * ResNet imagenet = ResNet.builder().setDepth(18).optNumClasses(1000).build();
 * ResNet small = ResNet.builder().setBlockType(BlockType.BASIC).setBlocksPerStage(2, 2, 2)
 *         .optBaseWidth(32).optSmallImageStem(true).build();        // for 28x28 grayscale
 * }</pre>
 *
 * <p>The number of input channels follows the input (1 for grayscale). Any input of at least 32
 * pixels a side works with the standard stem (the global average pooling adapts).
 *
 * <p>Inference is leaner than eager PyTorch's where nothing trains: in a residual block that runs
 * in inference mode with frozen parameters (a frozen layer, a feature cache, a trained model's
 * predictions) each BatchNorm is folded into the convolution before it, and every intermediate
 * array is freed as soon as it has been read. Outputs equal the unfolded network's within 1e-5;
 * layers that train run exactly as torchvision's, and the saved weights stay torchvision's. The
 * stem's {@code conv1} and {@code bn1} are separate layers (frozen by name) and run unfolded. {@code
 * -Dtl4j.vision.foldBatchNorm=false} switches folding off.
 *
 * <p>Every ResNet exports to ONNX ({@link VisionOnnx}), BatchNorm folded into the convolutions, and
 * so serves through ONNX Runtime after {@code TransferModel.optimizeForInference()}.
 */
public final class ResNet implements ImageArchitecture, OnnxExportable {

    /** The architecture id stored in saved models. */
    public static final String ID = "tl4j.vision.resnet";

    private static final Map<Integer, int[]> DEPTHS = Map.of(
            18, new int[] {2, 2, 2, 2},
            34, new int[] {3, 4, 6, 3},
            50, new int[] {3, 4, 6, 3},
            101, new int[] {3, 4, 23, 3},
            152, new int[] {3, 8, 36, 3});

    private final BlockType blockType;
    private final int[] blocksPerStage;
    private final int baseWidth;
    private final boolean smallImageStem;
    private final int numClasses;

    private ResNet(Builder builder) {
        if (builder.blockType == null || builder.blocksPerStage == null) {
            throw new IllegalArgumentException("Set a depth (setDepth) or a block type and blocks per stage");
        }
        this.blockType = builder.blockType;
        this.blocksPerStage = builder.blocksPerStage;
        this.baseWidth = builder.baseWidth;
        this.smallImageStem = builder.smallImageStem;
        this.numClasses = builder.numClasses;
    }

    /** Returns a builder for a ResNet architecture. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration of a {@link ResNet}, as saved models store it.
     *
     * @param blockType the residual block type
     * @param blocksPerStage the number of residual blocks in each stage
     * @param baseWidth the channels of the stem and the first stage
     * @param smallImageStem whether the stem is a 3x3 convolution without max pooling
     * @param numClasses the outputs of {@code fc}, or 0 without it
     */
    public record Config(
            BlockType blockType, List<Integer> blocksPerStage, int baseWidth, boolean smallImageStem, int numClasses) {}

    /**
     * Rebuilds a ResNet from its {@link #config()}.
     *
     * @param config the configuration
     * @return the architecture
     */
    public static ResNet fromConfig(Config config) {
        return builder()
                .setBlockType(config.blockType())
                .setBlocksPerStage(config.blocksPerStage().stream()
                        .mapToInt(Integer::intValue)
                        .toArray())
                .optBaseWidth(config.baseWidth())
                .optSmallImageStem(config.smallImageStem())
                .optNumClasses(config.numClasses())
                .build();
    }

    /** Returns the residual block type. */
    public BlockType blockType() {
        return blockType;
    }

    /** Returns the number of residual blocks in each stage. */
    public int[] blocksPerStage() {
        return blocksPerStage.clone();
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** Returns the number of features {@code avgpool} outputs. */
    public int featureSize() {
        return (baseWidth << (blocksPerStage.length - 1)) * blockType.expansion();
    }

    @Override
    public ResNet withNumClasses(int numClasses) {
        return toBuilder().optNumClasses(numClasses).build();
    }

    /** Returns a builder holding this network's settings. */
    public Builder toBuilder() {
        return builder()
                .setBlockType(blockType)
                .setBlocksPerStage(blocksPerStage)
                .optBaseWidth(baseWidth)
                .optSmallImageStem(smallImageStem)
                .optNumClasses(numClasses);
    }

    /** Builds a new, uninitialized network of this architecture. */
    @Override
    public LayeredBlock newBlock(NDManager manager) {
        LayeredBlock net = new LayeredBlock();
        if (smallImageStem) {
            net.add("conv1", ResidualBlock.conv(baseWidth, 3, 1));
        } else {
            net.add(
                    "conv1",
                    Conv2d.builder()
                            .setFilters(baseWidth)
                            .setKernelShape(new Shape(7, 7))
                            .optStride(new Shape(2, 2))
                            .optPadding(new Shape(3, 3))
                            .optBias(false)
                            .build());
        }
        net.add("bn1", new BatchNorm2d());
        net.add("relu", Activation.reluBlock());
        if (!smallImageStem) {
            net.add("maxpool", Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        }
        int inChannels = baseWidth;
        for (int stage = 0; stage < blocksPerStage.length; stage++) {
            int planes = baseWidth << stage;
            int stride = stage == 0 ? 1 : 2;
            SequentialBlock layer = new SequentialBlock();
            for (int b = 0; b < blocksPerStage[stage]; b++) {
                boolean first = b == 0;
                boolean project = first && (stride != 1 || inChannels != planes * blockType.expansion());
                layer.add(new ResidualBlock(blockType, planes, first ? stride : 1, project));
                inChannels = planes * blockType.expansion();
            }
            net.add("layer" + (stage + 1), layer);
        }
        net.add("avgpool", new AdaptiveAvgPool2d(1, 1));
        if (numClasses > 0) {
            net.add("fc", Linear.builder().setUnits(numClasses).build());
        }
        return net;
    }

    @Override
    public String writeOnnx(OnnxGraphBuilder graph, Map<String, NDArray> weights) {
        return VisionOnnx.resNet(graph, this, weights);
    }

    @Override
    public Map<String, NDArray> onnxInputs(NDList batch) {
        return VisionOnnx.inputs(batch);
    }

    @Override
    public String classifierPrefix() {
        return "fc.";
    }

    @Override
    public String firstConvolutionWeight() {
        return "conv1.weight";
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Config config() {
        return new Config(
                blockType, Arrays.stream(blocksPerStage).boxed().toList(), baseWidth, smallImageStem, numClasses);
    }

    @Override
    public String toString() {
        return "ResNet." + config();
    }

    /**
     * Builds a {@link ResNet}. Required: {@link #setDepth} or both {@link #setBlockType} and {@link
     * #setBlocksPerStage}.
     */
    public static final class Builder {
        private BlockType blockType;
        private int[] blocksPerStage;
        private int baseWidth = 64;
        private boolean smallImageStem;
        private int numClasses;

        private Builder() {}

        /**
         * Chooses one of torchvision's ResNets: 18 and 34 use basic blocks, 50, 101 and 152
         * bottlenecks.
         *
         * @param depth 18, 34, 50, 101 or 152
         * @return this builder
         */
        public Builder setDepth(int depth) {
            int[] blocks = DEPTHS.get(depth);
            if (blocks == null) {
                throw new IllegalArgumentException("No ResNet-" + depth + "; torchvision's depths are "
                        + DEPTHS.keySet().stream().sorted().collect(Collectors.toList()));
            }
            this.blockType = depth < 50 ? BlockType.BASIC : BlockType.BOTTLENECK;
            this.blocksPerStage = blocks.clone();
            return this;
        }

        /**
         * Sets the residual block type: basic or bottleneck.
         *
         * @param blockType basic or bottleneck residual blocks
         * @return this builder
         */
        public Builder setBlockType(BlockType blockType) {
            this.blockType = blockType;
            return this;
        }

        /**
         * Sets how many residual blocks each stage has, and so the number of stages.
         *
         * @param blocksPerStage how many residual blocks each stage has; the stage count is the
         *     array's length (torchvision has 4), each stage after the first halves the resolution
         *     and doubles the width
         * @return this builder
         */
        public Builder setBlocksPerStage(int... blocksPerStage) {
            if (blocksPerStage.length == 0 || Arrays.stream(blocksPerStage).anyMatch(n -> n <= 0)) {
                throw new IllegalArgumentException(
                        "Need one or more stages of at least one block: " + Arrays.toString(blocksPerStage));
            }
            this.blocksPerStage = blocksPerStage.clone();
            return this;
        }

        /**
         * Sets the channels of the stem and of the first stage.
         *
         * @param baseWidth the channels of the stem and of the first stage (torchvision: 64)
         * @return this builder
         */
        public Builder optBaseWidth(int baseWidth) {
            if (baseWidth <= 0) {
                throw new IllegalArgumentException("Base width must be positive: " + baseWidth);
            }
            this.baseWidth = baseWidth;
            return this;
        }

        /**
         * Chooses a stem for small images (3x3 stride-1 {@code conv1}, no {@code maxpool}) or torchvision's.
         *
         * @param smallImageStem true for a 3x3 stride-1 {@code conv1} and no {@code maxpool}, for
         *     small images such as 28x28 or 32x32 (false, the default, is torchvision's 7x7
         *     stride-2 convolution and 3x3 max pooling)
         * @return this builder
         */
        public Builder optSmallImageStem(boolean smallImageStem) {
            this.smallImageStem = smallImageStem;
            return this;
        }

        /**
         * Sets the outputs of a final {@code fc} layer, or 0 for none.
         *
         * @param numClasses the outputs of a final {@code fc} layer (1000 for ImageNet weights), or
         *     0, the default, for none: the network is then a backbone ending in {@code avgpool}
         * @return this builder
         */
        public Builder optNumClasses(int numClasses) {
            if (numClasses < 0) {
                throw new IllegalArgumentException("Number of classes must not be negative: " + numClasses);
            }
            this.numClasses = numClasses;
            return this;
        }

        /** Builds the architecture. */
        public ResNet build() {
            return new ResNet(this);
        }
    }
}
