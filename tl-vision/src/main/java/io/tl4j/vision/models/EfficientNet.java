package io.tl4j.vision.models;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import io.tl4j.core.nn.LayeredBlock;
import java.util.function.Supplier;

/**
 * torchvision's EfficientNet B0 to B3 ({@code efficientnet_b0} ... {@code efficientnet_b3}), as a
 * {@link LayeredBlock} whose layers are torchvision's child modules and whose parameter names are
 * torchvision's {@code state_dict} keys. B1-B3 are B0 with more channels and blocks (torchvision's
 * width and depth multipliers) and a higher dropout in B2 and B3.
 *
 * <p>Layers: {@code features.0} (3x3 stride-2 convolution, BatchNorm, SiLU), {@code features.1}
 * ... {@code features.7} (stages of {@code MBConv} blocks: expansion, depthwise convolution,
 * squeeze-excitation with SiLU and a sigmoid gate, projection; stochastic depth on the residual
 * branch in training, its probability rising linearly from 0 to 0.2 over the blocks), {@code
 * features.8} (1x1 convolution to 1280 channels for B0), {@code avgpool} (global average,
 * flattened) and, when the network keeps a classifier, {@code classifier} (Dropout and Linear to the
 * classes, {@code classifier.1}). Without it the network is a backbone of {@link #featureSize()}
 * features. Parameter names are e.g. {@code features.0.0.weight}, {@code
 * features.2.1.block.2.fc1.bias}, {@code classifier.1.weight}; {@code freezeUntil("features.6")}
 * freezes the stem and the first five stages. A frozen stage runs in inference mode: no stochastic
 * depth, BatchNorm statistics untouched and folded into the convolutions.
 *
 * <p>torchvision's ImageNet weights expect, for B0, B1, B2, B3: crops of 224, 240, 288, 300 from
 * images resized (bicubic) to 256, 256, 288, 320 (B1's V2 weights: 240 from 255, bilinear),
 * normalized with ImageNet's mean and standard deviation. Any input of at least 1x1 pixels runs.
 */
public final class EfficientNet implements ImageArchitecture {

    /** The architecture id stored in saved models. */
    public static final String ID = "tl4j.vision.efficientnet";

    private static final float STOCHASTIC_DEPTH = 0.2f;

    /** B0's stages: expand ratio, kernel, stride, input channels, output channels, blocks. */
    private static final int[][] STAGES = {
        {1, 3, 1, 32, 16, 1},
        {6, 3, 2, 16, 24, 2},
        {6, 5, 2, 24, 40, 2},
        {6, 3, 2, 40, 80, 3},
        {6, 5, 1, 80, 112, 3},
        {6, 5, 2, 112, 192, 4},
        {6, 3, 1, 192, 320, 1}
    };

    /** Width multiplier, depth multiplier and dropout of B0 to B3. */
    private static final double[][] VARIANTS = {{1.0, 1.0, 0.2}, {1.0, 1.1, 0.2}, {1.1, 1.2, 0.3}, {1.2, 1.4, 0.3}};

    private final int variant;
    private final int numClasses;

    private EfficientNet(int variant, int numClasses) {
        if (variant < 0 || variant >= VARIANTS.length) {
            throw new IllegalArgumentException("No EfficientNet-B" + variant + "; this module builds B0 to B3");
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("Number of classes must not be negative: " + numClasses);
        }
        this.variant = variant;
        this.numClasses = numClasses;
    }

    /**
     * Returns torchvision's EfficientNet-B{@code variant}.
     *
     * @param variant 0, 1, 2 or 3
     * @param numClasses the outputs of {@code classifier.1} (1000 for ImageNet weights), or 0 for a
     *     backbone without it
     * @return the architecture
     */
    public static EfficientNet of(int variant, int numClasses) {
        return new EfficientNet(variant, numClasses);
    }

    /**
     * The configuration of an {@link EfficientNet}, as saved models store it.
     *
     * @param variant 0 to 3 for B0 to B3
     * @param numClasses the outputs of {@code classifier.1}, or 0 without it
     */
    public record Config(int variant, int numClasses) {}

    /**
     * Rebuilds an EfficientNet from its {@link #config()}.
     *
     * @param config the configuration
     * @return the architecture
     */
    public static EfficientNet fromConfig(Config config) {
        return of(config.variant(), config.numClasses());
    }

    /** Returns the variant: 0 to 3 for B0 to B3. */
    public int variant() {
        return variant;
    }

    /** Returns the number of features {@code avgpool} outputs: 1280 for B0, 1408 for B2, 1536 for B3. */
    public int featureSize() {
        return 4 * width(STAGES[STAGES.length - 1][4]);
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public EfficientNet withNumClasses(int numClasses) {
        return of(variant, numClasses);
    }

    private int width(int channels) {
        return ChannelRounding.makeDivisible(channels * VARIANTS[variant][0]);
    }

    private int depth(int blocks) {
        return (int) Math.ceil(blocks * VARIANTS[variant][1]);
    }

    /** Builds a new, uninitialized network of this architecture. */
    @Override
    public LayeredBlock newBlock(NDManager manager) {
        Supplier<BatchNorm2d> norm = BatchNorm2d::new;
        LayeredBlock net = new LayeredBlock();
        net.add(
                "features.0",
                new ConvNormActivation(width(STAGES[0][3]), 3, 2, 1, norm.get(), ActivationFunction.SILU));
        int total = 0;
        for (int[] stage : STAGES) {
            total += depth(stage[5]);
        }
        int blockId = 0;
        for (int s = 0; s < STAGES.length; s++) {
            int[] stage = STAGES[s];
            SequentialBlock blocks = new SequentialBlock();
            for (int b = 0; b < depth(stage[5]); b++) {
                int in = b == 0 ? width(stage[3]) : width(stage[4]);
                blocks.add(new InvertedResidual(
                        new InvertedResidual.Spec(
                                in,
                                ChannelRounding.makeDivisible(in * (double) stage[0]),
                                width(stage[4]),
                                stage[1],
                                b == 0 ? stage[2] : 1,
                                ActivationFunction.SILU,
                                Math.max(1, in / 4),
                                ActivationFunction.SILU,
                                ActivationFunction.SIGMOID,
                                (float) (STOCHASTIC_DEPTH * (double) blockId / total)),
                        norm));
                blockId++;
            }
            net.add("features." + (s + 1), blocks);
        }
        net.add(
                "features." + (STAGES.length + 1),
                new ConvNormActivation(featureSize(), 1, 1, 1, norm.get(), ActivationFunction.SILU));
        net.add("avgpool", new AdaptiveAvgPool2d(1, 1));
        if (numClasses > 0) {
            net.add(
                    "classifier",
                    new SequentialBlock()
                            .add(Dropout.builder()
                                    .optRate((float) VARIANTS[variant][2])
                                    .build())
                            .add(Linear.builder().setUnits(numClasses).build()));
        }
        return net;
    }

    @Override
    public String classifierPrefix() {
        return "classifier.1.";
    }

    @Override
    public String firstConvolutionWeight() {
        return "features.0.0.weight";
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Config config() {
        return new Config(variant, numClasses);
    }

    @Override
    public String toString() {
        return "EfficientNet." + config();
    }
}
