package io.tl4j.vision.models;

import java.util.List;

/** torchvision's model names ({@code resnet50}, {@code vgg16_bn}, ...) as architectures. */
public final class Torchvision {

    /** Every torchvision model name this module builds. */
    public static final List<String> NAMES = List.of(
            "resnet18",
            "resnet34",
            "resnet50",
            "resnet101",
            "resnet152",
            "vgg11",
            "vgg11_bn",
            "vgg13",
            "vgg13_bn",
            "vgg16",
            "vgg16_bn",
            "vgg19",
            "vgg19_bn",
            "mobilenet_v3_large",
            "mobilenet_v3_small",
            "efficientnet_b0",
            "efficientnet_b1",
            "efficientnet_b2",
            "efficientnet_b3",
            "convnext_tiny",
            "inception_v3",
            "vit_b_16",
            "vit_b_32",
            "vit_l_16");

    private Torchvision() {}

    /**
     * Returns the architecture of a torchvision model name: a {@link ResNet}, {@link Vgg}, {@link
     * MobileNetV3}, {@link EfficientNet}, {@link ConvNeXt}, {@link InceptionV3} (with {@code transform_input}
     * and, when it has classes, the auxiliary classifier's parameters, as its ImageNet weights have) or {@link
     * VisionTransformer}.
     *
     * @param name a torchvision model name, one of {@link #NAMES}
     * @param numClasses the classes of its last layer (1000 for ImageNet weights), or 0 for a
     *     backbone without it
     * @return the architecture
     * @throws IllegalArgumentException for another name, listing the known ones
     */
    public static ImageArchitecture architecture(String name, int numClasses) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("Unknown torchvision model '" + name + "'; known: " + NAMES);
        }
        if (name.startsWith("mobilenet_v3_")) {
            return MobileNetV3.of(
                    MobileNetV3.Size.valueOf(
                            name.substring("mobilenet_v3_".length()).toUpperCase(java.util.Locale.ROOT)),
                    numClasses);
        }
        if (name.startsWith("efficientnet_b")) {
            return EfficientNet.of(Integer.parseInt(name.substring("efficientnet_b".length())), numClasses);
        }
        if (name.equals("convnext_tiny")) {
            return ConvNeXt.tiny(numClasses);
        }
        if (name.equals("inception_v3")) {
            return InceptionV3.of(numClasses, numClasses > 0);
        }
        if (name.startsWith("vit_")) {
            return VisionTransformer.torchvision(name, numClasses);
        }
        if (name.startsWith("resnet")) {
            return ResNet.builder()
                    .setDepth(Integer.parseInt(name.substring("resnet".length())))
                    .optNumClasses(numClasses)
                    .build();
        }
        boolean batchNorm = name.endsWith("_bn");
        int depth = Integer.parseInt(name.substring("vgg".length(), batchNorm ? name.length() - 3 : name.length()));
        return Vgg.of(depth, batchNorm, numClasses);
    }
}
