package io.tl4j.vision.models;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import io.tl4j.core.nn.LayeredBlock;

/**
 * torchvision's Inception-v3 ({@code inception_v3}) as a {@link LayeredBlock} whose layers are
 * torchvision's child modules and whose parameter names are torchvision's {@code state_dict} keys.
 *
 * <p>Layers: {@code transform_input} (the input check and optional re-normalization, see below; it
 * has no parameters), {@code Conv2d_1a_3x3}, {@code Conv2d_2a_3x3}, {@code Conv2d_2b_3x3}, {@code
 * maxpool1}, {@code Conv2d_3b_1x1}, {@code Conv2d_4a_3x3}, {@code maxpool2}, {@code Mixed_5b} ...
 * {@code Mixed_6e}, {@code AuxLogits} when kept, {@code Mixed_7a}, {@code Mixed_7b}, {@code
 * Mixed_7c}, {@code avgpool} (global average, flattened, then Dropout 0.5) and, when the network
 * keeps a classifier, {@code fc} (2048 features to the classes). Parameter names are e.g. {@code
 * Conv2d_1a_3x3.conv.weight}, {@code Mixed_6b.branch7x7_2.bn.running_var}, {@code fc.bias}, so
 * {@code freezeUntil("Mixed_6a")} freezes the stem and Mixed_5b-5d. Every convolution is
 * torchvision's {@code BasicConv2d}: no bias, BatchNorm with epsilon 0.001, ReLU.
 *
 * <p>The auxiliary classifier ({@code AuxLogits.conv0}, {@code AuxLogits.conv1}, {@code
 * AuxLogits.fc}) is kept for training or dropped for features: {@link #of(int, boolean)} with
 * {@code aux} true keeps its parameters, so torchvision checkpoints load strictly and save with every
 * key; a backbone or a new head ({@link #withNumClasses}) keeps them with their original classes.
 * tl4j trains on one output, so the auxiliary logits are never computed: the layer passes its input
 * through and its parameters get no gradient and stay as loaded. {@link Torchvision} keeps it when
 * the network has classes, as torchvision's ImageNet checkpoint does; with {@code aux} false there
 * are no {@code AuxLogits.*} parameters (for features, or checkpoints saved without them).
 *
 * <p>torchvision's ImageNet weights expect 299x299 crops (resize 342, bilinear, centre crop 299)
 * normalized with ImageNet's mean and standard deviation, and were trained with {@code
 * transform_input}: the network re-normalizes each channel to mean 0.5 and standard deviation 0.5,
 * {@code x * (std / 0.5) + (mean - 0.5) / 0.5}. Inputs smaller than 75x75 pixels are refused with a
 * message naming that minimum.
 */
public final class InceptionV3 implements ImageArchitecture {

    /** The architecture id stored in saved models. */
    public static final String ID = "tl4j.vision.inception_v3";

    /** The features the network outputs without its classifier. */
    public static final int FEATURE_SIZE = 2048;

    private static final float DROPOUT = 0.5f;

    private final int numClasses;
    private final int auxClasses;
    private final boolean transformInput;

    private InceptionV3(int numClasses, int auxClasses, boolean transformInput) {
        if (numClasses < 0 || auxClasses < 0) {
            throw new IllegalArgumentException(
                    "Number of classes must not be negative: " + numClasses + " (auxiliary: " + auxClasses + ")");
        }
        this.numClasses = numClasses;
        this.auxClasses = auxClasses;
        this.transformInput = transformInput;
    }

    /**
     * Returns torchvision's Inception-v3 with {@code transform_input} on, as its ImageNet weights
     * expect.
     *
     * @param numClasses the outputs of {@code fc} (1000 for ImageNet weights), or 0 for a backbone
     *     without it
     * @param aux whether to keep the auxiliary classifier's parameters ({@code AuxLogits.*}); needs
     *     classes
     * @return the architecture
     */
    public static InceptionV3 of(int numClasses, boolean aux) {
        if (aux && numClasses == 0) {
            throw new IllegalArgumentException(
                    "Inception-v3's auxiliary classifier needs classes; a backbone (0 classes) has none");
        }
        return new InceptionV3(numClasses, aux ? numClasses : 0, true);
    }

    /**
     * Returns the same network with torchvision's {@code transform_input} on or off.
     *
     * @param transform true to re-normalize ImageNet-normalized inputs to mean and deviation 0.5
     * @return the network with that setting
     */
    public InceptionV3 withTransformInput(boolean transform) {
        return new InceptionV3(numClasses, auxClasses, transform);
    }

    /**
     * The configuration of an {@link InceptionV3}, as saved models store it.
     *
     * @param numClasses the outputs of {@code fc}, or 0 without it
     * @param auxClasses the outputs of {@code AuxLogits.fc}, or 0 without the auxiliary classifier
     * @param transformInput whether the input is re-normalized to mean and deviation 0.5
     */
    public record Config(int numClasses, int auxClasses, boolean transformInput) {}

    /**
     * Rebuilds an Inception-v3 from its {@link #config()}.
     *
     * @param config the configuration
     * @return the architecture
     */
    public static InceptionV3 fromConfig(Config config) {
        return new InceptionV3(config.numClasses(), config.auxClasses(), config.transformInput());
    }

    /** Returns the classes of the kept auxiliary classifier, or 0 when it is dropped. */
    public int auxClasses() {
        return auxClasses;
    }

    /** Returns whether the input is re-normalized as torchvision's {@code transform_input} does. */
    public boolean transformInput() {
        return transformInput;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns the same network with that classifier; a kept auxiliary classifier keeps its classes,
     * so the checkpoint's {@code AuxLogits.*} weights still load into a backbone or a new head.
     */
    @Override
    public InceptionV3 withNumClasses(int numClasses) {
        return new InceptionV3(numClasses, auxClasses, transformInput);
    }

    /** Builds a new, uninitialized network of this architecture. */
    @Override
    public LayeredBlock newBlock(NDManager manager) {
        LayeredBlock net = new LayeredBlock();
        net.add("transform_input", new InceptionInput(transformInput));
        net.add("Conv2d_1a_3x3", new BasicConv2d(32, 3, 3, 2, 0, 0));
        net.add("Conv2d_2a_3x3", BasicConv2d.square(32, 3, 0));
        net.add("Conv2d_2b_3x3", BasicConv2d.square(64, 3, 1));
        net.add("maxpool1", Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2)));
        net.add("Conv2d_3b_1x1", BasicConv2d.square(80, 1, 0));
        net.add("Conv2d_4a_3x3", BasicConv2d.square(192, 3, 0));
        net.add("maxpool2", Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2)));
        net.add("Mixed_5b", InceptionModule.a(32));
        net.add("Mixed_5c", InceptionModule.a(64));
        net.add("Mixed_5d", InceptionModule.a(64));
        net.add("Mixed_6a", InceptionModule.b());
        net.add("Mixed_6b", InceptionModule.c(128));
        net.add("Mixed_6c", InceptionModule.c(160));
        net.add("Mixed_6d", InceptionModule.c(160));
        net.add("Mixed_6e", InceptionModule.c(192));
        if (auxClasses > 0) {
            net.add("AuxLogits", new InceptionAux(auxClasses));
        }
        net.add("Mixed_7a", InceptionModule.d());
        net.add("Mixed_7b", InceptionModule.e());
        net.add("Mixed_7c", InceptionModule.e());
        net.add(
                "avgpool",
                new SequentialBlock()
                        .add(new AdaptiveAvgPool2d(1, 1))
                        .add(Dropout.builder().optRate(DROPOUT).build()));
        if (numClasses > 0) {
            net.add("fc", Linear.builder().setUnits(numClasses).build());
        }
        return net;
    }

    @Override
    public String classifierPrefix() {
        return "fc.";
    }

    @Override
    public String firstConvolutionWeight() {
        return "Conv2d_1a_3x3.conv.weight";
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Config config() {
        return new Config(numClasses, auxClasses, transformInput);
    }

    @Override
    public String toString() {
        return "InceptionV3." + config();
    }
}
