package io.tl4j.vision.models;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.nn.TorchLayerNorm;
import io.tl4j.core.nn.TorchLinear;

/**
 * torchvision's ConvNeXt-Tiny ({@code convnext_tiny}) as a {@link LayeredBlock} whose layers are
 * torchvision's child modules and whose parameter names are torchvision's {@code state_dict} keys.
 *
 * <p>Layers: {@code features.0} (4x4 stride-4 convolution and LayerNorm over channels), {@code
 * features.1}, {@code .3}, {@code .5}, {@code .7} (stages of 3, 3, 9 and 3 {@code CNBlock}s: 7x7
 * depthwise convolution, LayerNorm, Linear to four times the width, GELU, Linear back, layer scale;
 * stochastic depth in training, its probability rising linearly from 0 to 0.1 over the blocks),
 * {@code features.2}, {@code .4}, {@code .6} (downsampling: LayerNorm and 2x2 stride-2 convolution),
 * {@code avgpool} (global average, flattened) and {@code classifier}: LayerNorm and, when the network
 * keeps a classifier, Linear to the classes ({@code classifier.2}); without it the network is a
 * backbone of 768 features. Parameter names are e.g. {@code features.1.0.layer_scale}, {@code
 * features.3.2.block.3.weight}, {@code features.4.1.weight}; {@code freezeUntil("features.7")}
 * freezes all but the last stage. Frozen stages run in inference mode (no stochastic depth);
 * LayerNorm keeps no statistics, so freezing its weights freezes it.
 *
 * <p>torchvision's ImageNet weights expect 224x224 crops from images resized (bilinear) to 236,
 * normalized with ImageNet's mean and standard deviation; inputs need at least 32x32 pixels.
 */
public final class ConvNeXt implements ImageArchitecture {

    /** The architecture id stored in saved models. */
    public static final String ID = "tl4j.vision.convnext";

    private static final float EPS = 1e-6f;
    private static final float STOCHASTIC_DEPTH = 0.1f;
    private static final int[] WIDTHS = {96, 192, 384, 768};
    private static final int[] DEPTHS = {3, 3, 9, 3};

    private final int numClasses;

    private ConvNeXt(int numClasses) {
        if (numClasses < 0) {
            throw new IllegalArgumentException("Number of classes must not be negative: " + numClasses);
        }
        this.numClasses = numClasses;
    }

    /**
     * Returns torchvision's ConvNeXt-Tiny.
     *
     * @param numClasses the outputs of {@code classifier.2} (1000 for ImageNet weights), or 0 for a
     *     backbone without it
     * @return the architecture
     */
    public static ConvNeXt tiny(int numClasses) {
        return new ConvNeXt(numClasses);
    }

    /**
     * The configuration of a {@link ConvNeXt}, as saved models store it.
     *
     * @param numClasses the outputs of {@code classifier.2}, or 0 without it
     */
    public record Config(int numClasses) {}

    /**
     * Rebuilds a ConvNeXt from its {@link #config()}.
     *
     * @param config the configuration
     * @return the architecture
     */
    public static ConvNeXt fromConfig(Config config) {
        return tiny(config.numClasses());
    }

    /** Returns the number of features the network outputs without its last classifier layer: 768. */
    public int featureSize() {
        return WIDTHS[WIDTHS.length - 1];
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public ConvNeXt withNumClasses(int numClasses) {
        return tiny(numClasses);
    }

    /** Builds a new, uninitialized network of this architecture. */
    @Override
    public LayeredBlock newBlock(NDManager manager) {
        LayeredBlock net = new LayeredBlock();
        net.add("features.0", new SequentialBlock().add(conv(WIDTHS[0], 4)).add(new LayerNorm2d(WIDTHS[0], EPS)));
        int total = 0;
        for (int depth : DEPTHS) {
            total += depth;
        }
        int blockId = 0;
        for (int stage = 0; stage < WIDTHS.length; stage++) {
            SequentialBlock blocks = new SequentialBlock();
            for (int b = 0; b < DEPTHS[stage]; b++) {
                blocks.add(new ConvNeXtBlock(WIDTHS[stage], STOCHASTIC_DEPTH * blockId / (total - 1f)));
                blockId++;
            }
            net.add("features." + (2 * stage + 1), blocks);
            if (stage + 1 < WIDTHS.length) {
                net.add(
                        "features." + (2 * stage + 2),
                        new SequentialBlock()
                                .add(new LayerNorm2d(WIDTHS[stage], EPS))
                                .add(conv(WIDTHS[stage + 1], 2)));
            }
        }
        net.add("avgpool", new AdaptiveAvgPool2d(1, 1));
        SequentialBlock classifier = new SequentialBlock()
                .add(new TorchLayerNorm(featureSize(), EPS))
                .add(new LambdaBlock(x -> x)); // torchvision's Flatten: avgpool already flattened
        if (numClasses > 0) {
            classifier.add(new TorchLinear(featureSize(), numClasses));
        }
        return net.add("classifier", classifier);
    }

    /** A convolution with bias whose kernel equals its stride (patchify, downsample). */
    private static Conv2d conv(int filters, int size) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(size, size))
                .optStride(new Shape(size, size))
                .optBias(true)
                .build();
    }

    @Override
    public String classifierPrefix() {
        return "classifier.2.";
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
        return new Config(numClasses);
    }

    @Override
    public String toString() {
        return "ConvNeXt.tiny" + config();
    }
}
