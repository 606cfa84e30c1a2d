package io.tl4j.vision.image;

import io.tl4j.core.Components;

/**
 * Registers tl-vision's input pipelines with {@link Components}, so that {@code TransferModel.load}
 * rebuilds them from a saved model. Found through {@link java.util.ServiceLoader}.
 */
public final class VisionPipelines implements Components.Provider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public VisionPipelines() {}

    @Override
    public void register() {
        Components.registerPipeline(ImagePipeline.ID, ImagePipeline::fromConfig);
        Components.registerPipeline(ArrayImagePipeline.ID, ArrayImagePipeline::fromConfig);
    }
}
