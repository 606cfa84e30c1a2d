package io.tl4j.vision.models;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import io.tl4j.core.nn.LayeredBlock;
import java.util.function.Supplier;

/**
 * torchvision's MobileNetV3, Large and Small ({@code mobilenet_v3_large}, {@code
 * mobilenet_v3_small}), as a {@link LayeredBlock} whose layers are torchvision's child modules and
 * whose parameter names are torchvision's {@code state_dict} keys.
 *
 * <p>Layers: {@code features.0} (3x3 stride-2 convolution, BatchNorm, hard swish), {@code
 * features.1} ... {@code features.15} (Large; Small has up to {@code features.11}) inverted
 * residual blocks (ReLU or hard swish, squeeze-excitation with a hard-sigmoid gate in some), a last
 * 1x1 convolution ({@code features.16}, {@code features.12} for Small), {@code avgpool} (global
 * average, flattened) and {@code classifier}: Linear to 1280 (Large) or 1024 (Small) features, hard
 * swish, Dropout 0.2 and, when the network keeps a classifier, Linear to the classes ({@code
 * classifier.3}). Without it the network is a backbone of 1280 or 1024 features. Parameter names
 * are e.g. {@code features.0.0.weight}, {@code features.4.block.2.fc1.bias}, {@code
 * classifier.3.weight}, so {@code freezeUntil("features.7")} freezes the stem and the first six
 * blocks.
 *
 * <p>BatchNorm uses torchvision's epsilon 0.001 and momentum 0.01 for these networks and, as in
 * {@link ResNet}, folds into its convolution when neither trains. torchvision's ImageNet weights
 * expect 224x224 crops (V1: resize 256; Large's V2: resize 232), bilinear, normalized with ImageNet's
 * mean and standard deviation. Any input of at least 1x1 pixels runs.
 */
public final class MobileNetV3 implements ImageArchitecture {

    /** The architecture id stored in saved models. */
    public static final String ID = "tl4j.vision.mobilenet_v3";

    private static final float BN_EPSILON = 1e-3f;
    private static final float BN_MOMENTUM = 0.01f;
    private static final float DROPOUT = 0.2f;

    /** The two sizes torchvision defines. */
    public enum Size {
        /** {@code mobilenet_v3_large}: 5.5 M parameters with the ImageNet classifier. */
        LARGE,
        /** {@code mobilenet_v3_small}: 2.5 M parameters with the ImageNet classifier. */
        SMALL
    }

    /**
     * torchvision's block settings: input, kernel, expanded, output channels, squeeze-excitation
     * (1) or not (0), hard swish (1) or ReLU (0), stride.
     */
    private static final int[][] LARGE = {
        {16, 3, 16, 16, 0, 0, 1},
        {16, 3, 64, 24, 0, 0, 2},
        {24, 3, 72, 24, 0, 0, 1},
        {24, 5, 72, 40, 1, 0, 2},
        {40, 5, 120, 40, 1, 0, 1},
        {40, 5, 120, 40, 1, 0, 1},
        {40, 3, 240, 80, 0, 1, 2},
        {80, 3, 200, 80, 0, 1, 1},
        {80, 3, 184, 80, 0, 1, 1},
        {80, 3, 184, 80, 0, 1, 1},
        {80, 3, 480, 112, 1, 1, 1},
        {112, 3, 672, 112, 1, 1, 1},
        {112, 5, 672, 160, 1, 1, 2},
        {160, 5, 960, 160, 1, 1, 1},
        {160, 5, 960, 160, 1, 1, 1}
    };

    private static final int[][] SMALL = {
        {16, 3, 16, 16, 1, 0, 2},
        {16, 3, 72, 24, 0, 0, 2},
        {24, 3, 88, 24, 0, 0, 1},
        {24, 5, 96, 40, 1, 1, 2},
        {40, 5, 240, 40, 1, 1, 1},
        {40, 5, 240, 40, 1, 1, 1},
        {40, 5, 120, 48, 1, 1, 1},
        {48, 5, 144, 48, 1, 1, 1},
        {48, 5, 288, 96, 1, 1, 2},
        {96, 5, 576, 96, 1, 1, 1},
        {96, 5, 576, 96, 1, 1, 1}
    };

    private final Size size;
    private final int numClasses;

    private MobileNetV3(Size size, int numClasses) {
        if (size == null) {
            throw new IllegalArgumentException("MobileNetV3 needs a size: LARGE or SMALL");
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("Number of classes must not be negative: " + numClasses);
        }
        this.size = size;
        this.numClasses = numClasses;
    }

    /**
     * Returns torchvision's MobileNetV3 of that size.
     *
     * @param size large or small
     * @param numClasses the outputs of {@code classifier.3} (1000 for ImageNet weights), or 0 for a
     *     backbone without it
     * @return the architecture
     */
    public static MobileNetV3 of(Size size, int numClasses) {
        return new MobileNetV3(size, numClasses);
    }

    /**
     * The configuration of a {@link MobileNetV3}, as saved models store it.
     *
     * @param size {@code LARGE} or {@code SMALL}
     * @param numClasses the outputs of {@code classifier.3}, or 0 without it
     */
    public record Config(String size, int numClasses) {}

    /**
     * Rebuilds a MobileNetV3 from its {@link #config()}.
     *
     * @param config the configuration
     * @return the architecture
     */
    public static MobileNetV3 fromConfig(Config config) {
        return of(Size.valueOf(config.size()), config.numClasses());
    }

    /** Returns the size: large or small. */
    public Size size() {
        return size;
    }

    /** Returns the number of features the network outputs without its last classifier layer. */
    public int featureSize() {
        return size == Size.LARGE ? 1280 : 1024;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public MobileNetV3 withNumClasses(int numClasses) {
        return of(size, numClasses);
    }

    /** Builds a new, uninitialized network of this architecture. */
    @Override
    public LayeredBlock newBlock(NDManager manager) {
        Supplier<BatchNorm2d> norm = () -> new BatchNorm2d(BN_EPSILON, BN_MOMENTUM);
        int[][] settings = size == Size.LARGE ? LARGE : SMALL;
        LayeredBlock net = new LayeredBlock();
        net.add(
                "features.0",
                new ConvNormActivation(settings[0][0], 3, 2, 1, norm.get(), ActivationFunction.HARDSWISH));
        for (int i = 0; i < settings.length; i++) {
            int[] s = settings[i];
            ActivationFunction activation = s[5] == 1 ? ActivationFunction.HARDSWISH : ActivationFunction.RELU;
            int squeeze = s[4] == 1 ? ChannelRounding.makeDivisible(s[2] / 4) : 0;
            net.add(
                    "features." + (i + 1),
                    new InvertedResidual(
                            new InvertedResidual.Spec(
                                    s[0],
                                    s[2],
                                    s[3],
                                    s[1],
                                    s[6],
                                    activation,
                                    squeeze,
                                    ActivationFunction.RELU,
                                    ActivationFunction.HARDSIGMOID,
                                    0f),
                            norm));
        }
        int lastChannels = 6 * settings[settings.length - 1][3];
        net.add(
                "features." + (settings.length + 1),
                new ConvNormActivation(lastChannels, 1, 1, 1, norm.get(), ActivationFunction.HARDSWISH));
        net.add("avgpool", new AdaptiveAvgPool2d(1, 1));
        SequentialBlock classifier = new SequentialBlock()
                .add(Linear.builder().setUnits(featureSize()).build())
                .add(new LambdaBlock(
                        list -> new ai.djl.ndarray.NDList(ActivationFunction.HARDSWISH.apply(list.singletonOrThrow()))))
                .add(Dropout.builder().optRate(DROPOUT).build());
        if (numClasses > 0) {
            classifier.add(Linear.builder().setUnits(numClasses).build());
        }
        return net.add("classifier", classifier);
    }

    @Override
    public String classifierPrefix() {
        return "classifier.3.";
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
        return new Config(size.name(), numClasses);
    }

    @Override
    public String toString() {
        return "MobileNetV3." + config();
    }
}
