package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.onnx.OnnxExportable;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * torchvision's VGG 11, 13, 16 and 19, with or without BatchNorm, as a {@link LayeredBlock} whose
 * layers are torchvision's child modules and whose parameter names are torchvision's {@code
 * state_dict} keys ({@code features.0.weight}, {@code features.1.running_mean} with BatchNorm,
 * {@code classifier.0.weight}, {@code classifier.6.bias}).
 *
 * <p>Layers: {@code features} (3x3 convolutions with bias, [BatchNorm,] ReLU, 2x2 max pooling),
 * {@code avgpool} (adaptive average pooling to 7x7 with PyTorch's bins, flattened: 25,088
 * features for any input of 32 pixels or more) and {@code classifier}: Linear 4096, ReLU, Dropout,
 * Linear 4096, ReLU, Dropout and, when the network keeps a classifier, Linear to the classes
 * ({@code classifier.6}). Without it the network is a backbone of 4,096 features. The layer names
 * are the first segments of the parameter names, which tl-core groups by, so VGG freezes as a whole
 * {@code features} stage: {@code freezeUntil("classifier")} trains the two 4096-unit layers on
 * frozen convolutions.
 *
 * <p>It exports to ONNX ({@link VisionOnnx}) for any input size, BatchNorm folded into the
 * convolutions.
 */
public final class Vgg implements ImageArchitecture, OnnxExportable {

    /** The architecture id stored in saved models. */
    public static final String ID = "tl4j.vision.vgg";

    /** torchvision's configurations: channels per convolution, 0 for max pooling. */
    private static final Map<Integer, int[]> CONFIGS = Map.of(
            11, new int[] {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
            13, new int[] {64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
            16, new int[] {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0},
            19,
                    new int[] {
                        64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0
                    });

    private static final int HIDDEN = 4096;

    /** Returns torchvision's layout of that depth: channels per convolution, 0 for max pooling. */
    static int[] layout(int depth) {
        return CONFIGS.get(depth).clone();
    }

    private final int depth;
    private final boolean batchNorm;
    private final int numClasses;

    private Vgg(int depth, boolean batchNorm, int numClasses) {
        if (!CONFIGS.containsKey(depth)) {
            throw new IllegalArgumentException("No VGG-" + depth + "; torchvision's depths are "
                    + CONFIGS.keySet().stream().sorted().collect(Collectors.toList()));
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("Number of classes must not be negative: " + numClasses);
        }
        this.depth = depth;
        this.batchNorm = batchNorm;
        this.numClasses = numClasses;
    }

    /**
     * Returns torchvision's VGG architecture of that depth.
     *
     * @param depth 11, 13, 16 or 19
     * @param batchNorm true for torchvision's {@code vgg16_bn} and friends
     * @param numClasses the outputs of {@code classifier.6} (1000 for ImageNet weights), or 0 for a
     *     backbone without it
     * @return the architecture
     */
    public static Vgg of(int depth, boolean batchNorm, int numClasses) {
        return new Vgg(depth, batchNorm, numClasses);
    }

    /**
     * The configuration of a {@link Vgg}, as saved models store it.
     *
     * @param depth 11, 13, 16 or 19
     * @param batchNorm whether every convolution is followed by BatchNorm
     * @param numClasses the outputs of {@code classifier.6}, or 0 without it
     */
    public record Config(int depth, boolean batchNorm, int numClasses) {}

    /**
     * Rebuilds a VGG from its {@link #config()}.
     *
     * @param config the configuration
     * @return the architecture
     */
    public static Vgg fromConfig(Config config) {
        return of(config.depth(), config.batchNorm(), config.numClasses());
    }

    /** Returns the depth: 11, 13, 16 or 19. */
    public int depth() {
        return depth;
    }

    /** Tells whether every convolution is followed by BatchNorm. */
    public boolean batchNorm() {
        return batchNorm;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public Vgg withNumClasses(int numClasses) {
        return of(depth, batchNorm, numClasses);
    }

    /** Builds a new, uninitialized network of this architecture. */
    @Override
    public LayeredBlock newBlock(NDManager manager) {
        SequentialBlock features = new SequentialBlock();
        for (int channels : CONFIGS.get(depth)) {
            if (channels == 0) {
                features.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
                continue;
            }
            features.add(Conv2d.builder()
                    .setFilters(channels)
                    .setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1))
                    .build());
            if (batchNorm) {
                features.add(new BatchNorm2d());
            }
            features.add(Activation.reluBlock());
        }
        SequentialBlock classifier = new SequentialBlock()
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.5f).build());
        if (numClasses > 0) {
            classifier.add(Linear.builder().setUnits(numClasses).build());
        }
        return new LayeredBlock()
                .add("features", features)
                .add("avgpool", new AdaptiveAvgPool2d(7, 7))
                .add("classifier", classifier);
    }

    @Override
    public String writeOnnx(OnnxGraphBuilder graph, Map<String, NDArray> weights) {
        return VisionOnnx.vgg(graph, this, weights);
    }

    @Override
    public Map<String, NDArray> onnxInputs(NDList batch) {
        return VisionOnnx.inputs(batch);
    }

    @Override
    public String classifierPrefix() {
        return "classifier.6.";
    }

    @Override
    public String firstConvolutionWeight() {
        return "features.0.weight";
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Config config() {
        return new Config(depth, batchNorm, numClasses);
    }

    @Override
    public String toString() {
        return "Vgg." + config();
    }
}
