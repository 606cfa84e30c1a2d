package io.tl4j.speech.wav2vec2;

import io.tl4j.core.Components;

/**
 * Registers the wav2vec2 backbone architecture and {@link WaveformPipeline} with tl-core's {@link
 * Components}, so that {@code TransferModel.load(dir)} rebuilds saved wav2vec2 classifiers.
 * Listed in {@code META-INF/services/io.tl4j.core.Components$Provider}, or call {@link #register()}.
 */
public final class Wav2Vec2Components implements Components.Provider {

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public Wav2Vec2Components() {}

    @Override
    public void register() {
        Components.registerArchitecture(Wav2Vec2Backbones.ID,
                config -> Wav2Vec2Backbones.architecture(Wav2Vec2Config.fromJson(config.get("config"))));
        Components.registerPipeline(WaveformPipeline.ID, WaveformPipeline::fromConfig);
    }
}
