package io.tl4j.vision.models;

import io.tl4j.core.Components;

/**
 * Registers {@link ResNet#ID} and {@link Vgg#ID} in tl-core's {@link Components}, so that {@code
 * TransferModel.load(dir)} rebuilds saved models with these backbones; found through {@code
 * META-INF/services}.
 */
public final class VisionArchitectures implements Components.Provider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public VisionArchitectures() {}

    @Override
    public void register() {
        Components.registerArchitecture(ResNet.ID, ResNet::fromConfig);
        Components.registerArchitecture(Vgg.ID, Vgg::fromConfig);
    }
}
