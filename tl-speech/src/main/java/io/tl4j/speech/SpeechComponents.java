package io.tl4j.speech;

import io.tl4j.core.Components;
import io.tl4j.speech.features.AudioPipeline;
import io.tl4j.speech.wav2vec2.Wav2Vec2Backbones;
import io.tl4j.speech.wav2vec2.WaveformPipeline;

/**
 * Registers tl-speech's architecture ({@link Wav2Vec2Backbones}) and input pipelines ({@link
 * AudioPipeline}, {@link WaveformPipeline}) in tl-core's {@link Components}, so that {@code
 * TransferModel.load(dir)} rebuilds saved speech models. Found through {@code META-INF/services}.
 */
public final class SpeechComponents implements Components.Provider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public SpeechComponents() {}

    @Override
    public void register() {
        Components.registerArchitecture(
                Wav2Vec2Backbones.ID, Wav2Vec2Backbones.Config.class, Wav2Vec2Backbones::fromConfig);
        Components.registerPipeline(AudioPipeline.ID, AudioPipeline.Config.class, AudioPipeline::fromConfig);
        Components.registerPipeline(WaveformPipeline.ID, WaveformPipeline.Config.class, WaveformPipeline::fromConfig);
    }
}
