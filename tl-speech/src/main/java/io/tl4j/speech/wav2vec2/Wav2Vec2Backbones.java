package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Architecture;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.core.nn.LayeredBlock;
import java.nio.file.Path;
import java.util.Objects;

/**
 * wav2vec2 / HuBERT encoders as tl-core {@link Backbone}s for keyword and utterance
 * classification with {@code TransferLearner}: the encoder's stages ({@code feature_extractor},
 * {@code feature_projection}, {@code encoder.pos_conv_embed}, {@code encoder.layer_norm}, {@code
 * encoder.layers.0} ..., see {@link Wav2Vec2Model#newBlock}), then {@code pooling} (the mean over
 * real frames), so features are {@code (hidden_size)} per recording.
 *
 * <pre>{@code
 * Backbone<float[]> backbone = Wav2Vec2Backbones.fromPretrained(Path.of("wav2vec2-base"),
 *         WaveformPipeline.of(16000), "Apache-2.0");
 * TransferModel<float[]> model = TransferLearner.from(backbone)
 *         .freezeUntil("encoder.layers.8")     // the last 4 of 12 layers fine-tuned
 *         .head(Head.linear()).epochs(10).fit(keywords);
 * }</pre>
 */
public final class Wav2Vec2Backbones {

    /** The architecture id under which {@link io.tl4j.speech.SpeechComponents} registers these backbones. */
    public static final String ID = "tl4j.wav2vec2";
    /** The name of the pooling stage. */
    public static final String POOLING = "pooling";

    private Wav2Vec2Backbones() {}

    /**
     * Returns the backbone architecture: encoder stages plus mean pooling, with Hugging Face parameter names.
     *
     * @param config the encoder's architecture
     * @return the architecture: encoder stages plus mean pooling, with Hugging Face parameter names
     */
    public static Architecture architecture(Wav2Vec2Config config) {
        return architecture(config, null);
    }

    /**
     * The configuration of a wav2vec2 backbone architecture, as saved models store it.
     *
     * @param huggingFaceConfig the encoder's shape as its Hugging Face {@code config.json} holds it
     */
    public record Config(JsonObject huggingFaceConfig) {}

    /**
     * Rebuilds the architecture from its configuration.
     *
     * @param config the configuration
     * @return the architecture
     */
    public static Architecture fromConfig(Config config) {
        JsonObject encoder = Objects.requireNonNull(
                config.huggingFaceConfig(), "Wav2Vec2Backbones config has no 'huggingFaceConfig'");
        return architecture(Wav2Vec2Config.fromJson(encoder.toString()));
    }

    private static void check(Wav2Vec2Config config, WaveformPipeline pipeline) {
        if (pipeline.maxSamples() < config.receptiveField()) {
            throw new IllegalArgumentException("WaveformPipeline keeps " + pipeline.maxSamples()
                    + " samples but the encoder needs at least " + config.receptiveField() + " for one frame");
        }
    }

    private static Architecture architecture(Wav2Vec2Config config, WaveformPipeline pipeline) {
        if (pipeline != null) {
            check(config, pipeline);
        }
        Config saved = new Config(JsonParser.parseString(config.toJson()).getAsJsonObject());
        return new Architecture() {
            @Override
            public Block newBlock(NDManager manager) {
                LayeredBlock block = Wav2Vec2Model.newBlock(config);
                block.add(POOLING, new MeanPooling());
                return block;
            }

            @Override
            public String id() {
                return ID;
            }

            @Override
            public Config config() {
                return saved;
            }
        };
    }

    /**
     * A backbone with the weights of a Hugging Face model directory (see {@link Wav2Vec2Checkpoint}).
     *
     * @param directory {@code config.json} + {@code model.safetensors}
     * @param pipeline how recordings become input
     * @param licence the weights' licence, recorded in the provenance
     * @return the backbone
     * @throws IllegalArgumentException when the pipeline keeps fewer samples than one frame needs
     */
    public static Backbone<float[]> fromPretrained(Path directory, WaveformPipeline pipeline, String licence) {
        try (NDManager scratch = NDManager.newBaseManager()) {
            Wav2Vec2Checkpoint checkpoint = Wav2Vec2Checkpoint.read(directory, scratch);
            return Backbone.<float[]>builder()
                    .setArchitecture(architecture(checkpoint.config(), pipeline))
                    .setPipeline(pipeline)
                    .optWeights(checkpoint.encoderWeights())
                    .optProvenance(Provenance.ofFile(
                            directory.resolve("model.safetensors"),
                            licence,
                            checkpoint.config().modelType() + " encoder"))
                    .build();
        }
    }

    /**
     * A randomly initialized backbone, for training from scratch or as a baseline.
     *
     * @param config the architecture
     * @param pipeline how recordings become input
     * @return the backbone
     * @throws IllegalArgumentException when the pipeline keeps fewer samples than one frame needs
     */
    public static Backbone<float[]> random(Wav2Vec2Config config, WaveformPipeline pipeline) {
        return Backbone.<float[]>builder()
                .setArchitecture(architecture(config, pipeline))
                .setPipeline(pipeline)
                .build();
    }
}
