package io.tl4j.benchmarks.nets;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import io.tl4j.core.nn.LayeredBlock;

/**
 * The benchmarked networks written with plain DJL blocks in torchvision's layout (DJL's own
 * {@code ResNetV1} is a different network, see PLATFORM.md): ResNet-18/50 cut below {@code fc},
 * VGG-16 cut below its last classifier layer. They are {@link LayeredBlock}s (a plain DJL {@code
 * AbstractBlock} with named layers) so the same network serves the raw-DJL baseline and, wrapped in
 * a tl4j {@code Backbone}, the tl4j side.
 */
public final class ReferenceNets {

    /** The feature size of ResNet-18 (and 34). */
    public static final int RESNET18_FEATURES = 512;
    /** The feature size of ResNet-50. */
    public static final int RESNET50_FEATURES = 2048;
    /** The feature size of VGG-16 cut below its last classifier layer. */
    public static final int VGG16_FEATURES = 4096;

    private ReferenceNets() {}

    /** Returns torchvision's ResNet-18 without {@code fc}: layers conv1 .. avgpool. */
    public static LayeredBlock resnet18() {
        return resnet(new int[] {2, 2, 2, 2}, false);
    }

    /** Returns torchvision's ResNet-50 (v1.5) without {@code fc}: layers conv1 .. avgpool. */
    public static LayeredBlock resnet50() {
        return resnet(new int[] {3, 4, 6, 3}, true);
    }

    private static LayeredBlock resnet(int[] blocks, boolean bottleneck) {
        LayeredBlock net = new LayeredBlock()
                .add(
                        "conv1",
                        Conv2d.builder()
                                .setKernelShape(new Shape(7, 7))
                                .optStride(new Shape(2, 2))
                                .optPadding(new Shape(3, 3))
                                .setFilters(64)
                                .optBias(false)
                                .build())
                .add("bn1", ResidualBlock.batchNorm())
                .add("relu", Activation.reluBlock())
                .add("maxpool", Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int channels = 64;
        int expansion = bottleneck ? 4 : 1;
        for (int stage = 0; stage < blocks.length; stage++) {
            int width = 64 << stage;
            SequentialBlock layer = new SequentialBlock();
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = b == 0 && stage > 0 ? 2 : 1;
                layer.add(
                        bottleneck
                                ? ResidualBlock.bottleneck(channels, width, stride)
                                : ResidualBlock.basic(channels, width, stride));
                channels = width * expansion;
            }
            net.add("layer" + (stage + 1), layer);
        }
        return net.add("avgpool", Pool.globalAvgPool2dBlock());
    }

    /** Returns torchvision's VGG-16 (no BatchNorm) without its last classifier layer, giving 4,096 features. */
    public static LayeredBlock vgg16() {
        int[][] stages = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        SequentialBlock features = new SequentialBlock();
        for (int[] stage : stages) {
            for (int filters : stage) {
                features.add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .setFilters(filters)
                        .build());
                features.add(Activation.reluBlock());
            }
            features.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        SequentialBlock classifier = new SequentialBlock()
                .add(Linear.builder().setUnits(VGG16_FEATURES).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(VGG16_FEATURES).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.5f).build());
        return new LayeredBlock()
                .add("features", features)
                .add("flatten", Blocks.batchFlattenBlock())
                .add("classifier", classifier);
    }

    /**
     * Returns the same linear head tl4j's {@code Head.linear()} builds: flatten, then one linear layer.
     *
     * @param numClasses the number of classes
     * @return the same linear head tl4j's {@code Head.linear()} builds: flatten, then one linear layer
     */
    public static Block linearHead(int numClasses) {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(numClasses).build());
    }

    /** Returns a block that passes its input through: a backbone for head-only benchmarks. */
    public static LayeredBlock identity() {
        return new LayeredBlock().add("identity", Blocks.identityBlock());
    }
}
