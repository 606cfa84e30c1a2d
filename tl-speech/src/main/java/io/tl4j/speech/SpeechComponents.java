package io.tl4j.speech;

import io.tl4j.core.Components;
import io.tl4j.speech.features.AudioPipeline;

/**
 * Registers tl-speech's input pipeline with {@link Components}, so saved speech models load back
 * with {@code TransferModel.load(dir)}. Found through {@link java.util.ServiceLoader}.
 */
public final class SpeechComponents implements Components.Provider {

    /** Creates the provider (called by the service loader). */
    public SpeechComponents() {}

    @Override
    public void register() {
        Components.registerPipeline(AudioPipeline.ID, AudioPipeline::fromConfig);
    }
}
