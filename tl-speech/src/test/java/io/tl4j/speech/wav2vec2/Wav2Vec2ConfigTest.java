package io.tl4j.speech.wav2vec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A wav2vec2 {@code config.json} read, written and checked through its declared keys. */
class Wav2Vec2ConfigTest {

    @Test
    void absentKeysTakeTheBaseModelsValuesAndTheTextRoundTrips() {
        Wav2Vec2Config base = Wav2Vec2Config.fromJson("{\"model_type\": \"wav2vec2\", \"vocab_size\": null}");
        assertThat(base).isEqualTo(Wav2Vec2Config.wav2vec2Base());
        assertThat(base.toJson())
                .startsWith(
                        "{\"model_type\":\"wav2vec2\",\"conv_dim\":[512,512,512,512,512,512,512],"
                                + "\"conv_kernel\":[10,3,3,3,3,2,2],\"conv_stride\":[5,2,2,2,2,2,2],\"feat_extract_norm\":\"group\"")
                .endsWith("\"final_dropout\":0.1,\"vocab_size\":32}");
        Wav2Vec2Config large = Wav2Vec2Config.wav2vec2Large();
        assertThat(Wav2Vec2Config.fromJson(large.toJson())).isEqualTo(large);
        assertThat(large.featExtractNorm()).isEqualTo(Wav2Vec2Config.FeatureNorm.LAYER);
    }

    @Test
    void builtConfigurationsDoNotChangeWithTheirBuilder() {
        Wav2Vec2ConfigBuilder builder = Wav2Vec2Config.builder()
                .hiddenSize(64)
                .numAttentionHeads(4)
                .numConvPosEmbeddingGroups(4)
                .intermediateSize(128);
        Wav2Vec2Config first = builder.build();
        builder.hiddenSize(128);
        assertThat(first.hiddenSize()).isEqualTo(64);
        int[] dims = first.convDim();
        dims[0] = 1;
        assertThat(first.convDim()[0]).isEqualTo(512);
    }

    @Test
    void unsupportedVariantsAndInconsistentSizesAreNamedByKey() {
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson("{\"model_type\": \"data2vec-audio\"}"))
                .hasMessageContaining("model_type 'data2vec-audio' is not supported");
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson("{\"feat_extract_activation\": \"relu\"}"))
                .hasMessageContaining("feat_extract_activation 'relu'");
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson("{\"feat_extract_norm\": \"batch\"}"))
                .hasMessageContaining("feat_extract_norm 'batch'");
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson("{\"add_adapter\": true}"))
                .hasMessage("add_adapter=true is not supported");
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson("{\"feat_proj_layer_norm\": false}"))
                .hasMessage("feat_proj_layer_norm=false is not supported");
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson("{\"conv_dim\": [512, 512]}"))
                .hasMessageContaining("conv_dim, conv_kernel and conv_stride must be non-empty and of equal length");
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson("{\"num_hidden_layers\": 0}"))
                .hasMessage("num_hidden_layers must be positive, got 0");
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson("{\"num_conv_pos_embedding_groups\": 5}"))
                .hasMessage("hidden_size 768 is not divisible by num_conv_pos_embedding_groups 5");
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson("{\"hidden_size\": \"wide\"}"))
                .hasMessage("key 'hidden_size' is not an integer: wide");
    }
}
