package io.tl4j.vision;

import io.tl4j.core.Components;
import io.tl4j.vision.image.ArrayImagePipeline;
import io.tl4j.vision.image.ImagePipeline;
import io.tl4j.vision.models.ConvNeXt;
import io.tl4j.vision.models.EfficientNet;
import io.tl4j.vision.models.InceptionV3;
import io.tl4j.vision.models.MobileNetV3;
import io.tl4j.vision.models.ResNet;
import io.tl4j.vision.models.Vgg;
import io.tl4j.vision.models.VisionTransformer;

/**
 * Registers tl-vision's architectures ({@link ResNet}, {@link Vgg}, {@link MobileNetV3}, {@link
 * EfficientNet}, {@link ConvNeXt}, {@link InceptionV3}, {@link VisionTransformer}) and input pipelines ({@link
 * ImagePipeline}, {@link ArrayImagePipeline}) in tl-core's {@link Components}, so that {@code
 * TransferModel.load(dir)} rebuilds saved vision models. Found through {@code META-INF/services}.
 */
public final class VisionComponents implements Components.Provider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public VisionComponents() {}

    @Override
    public void register() {
        Components.registerArchitecture(ResNet.ID, ResNet.Config.class, ResNet::fromConfig);
        Components.registerArchitecture(Vgg.ID, Vgg.Config.class, Vgg::fromConfig);
        Components.registerArchitecture(MobileNetV3.ID, MobileNetV3.Config.class, MobileNetV3::fromConfig);
        Components.registerArchitecture(EfficientNet.ID, EfficientNet.Config.class, EfficientNet::fromConfig);
        Components.registerArchitecture(ConvNeXt.ID, ConvNeXt.Config.class, ConvNeXt::fromConfig);
        Components.registerArchitecture(InceptionV3.ID, InceptionV3.Config.class, InceptionV3::fromConfig);
        Components.registerArchitecture(
                VisionTransformer.ID, VisionTransformer.Config.class, VisionTransformer::fromConfig);
        Components.registerPipeline(ImagePipeline.ID, ImagePipeline.Config.class, ImagePipeline::fromConfig);
        Components.registerPipeline(
                ArrayImagePipeline.ID, ArrayImagePipeline.Config.class, ArrayImagePipeline::fromConfig);
    }
}
