package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A BERT {@code config.json} read, written and checked through its declared keys. */
class BertConfigTest {

    private static final String MINILM = "{\"model_type\": \"bert\", \"architectures\": [\"BertModel\"],"
            + " \"vocab_size\": 30522, \"hidden_size\": 384, \"num_hidden_layers\": 6, \"num_attention_heads\": 12,"
            + " \"intermediate_size\": 1536, \"hidden_act\": \"gelu_pytorch_tanh\", \"layer_norm_eps\": 1e-12,"
            + " \"pad_token_id\": 0, \"position_embedding_type\": \"absolute\"}";

    @Test
    void readsTheSizesAndTakesBertsDefaultsForTheRest() {
        BertConfig config = BertConfig.fromJson(MINILM);
        assertThat(config)
                .isEqualTo(new BertConfig(
                        30522, 384, 6, 12, 1536, BertConfig.HiddenActivation.GELU_TANH, 1e-12f, 512, 2, 0.1f, 0.1f));
        assertThat(config.headSize()).isEqualTo(32);
    }

    @Test
    void jsonRoundTripsUnderHuggingFaceKeys() {
        BertConfig config = BertConfig.fromJson(MINILM);
        assertThat(config.toJson())
                .isEqualTo("{\"model_type\":\"bert\",\"vocab_size\":30522,\"hidden_size\":384,"
                        + "\"num_hidden_layers\":6,\"num_attention_heads\":12,\"intermediate_size\":1536,"
                        + "\"hidden_act\":\"gelu_new\",\"layer_norm_eps\":1.0E-12,\"max_position_embeddings\":512,"
                        + "\"type_vocab_size\":2,\"hidden_dropout_prob\":0.1,\"attention_probs_dropout_prob\":0.1}");
        assertThat(BertConfig.fromJson(config.toJson())).isEqualTo(config);
    }

    @Test
    void wrongValuesAreNamedByKey() {
        assertThatThrownBy(() -> BertConfig.fromJson("{\"hidden_size\": 16}"))
                .hasMessage("missing required key 'vocab_size'");
        assertThatThrownBy(() -> BertConfig.fromJson(MINILM.replace("30522", "\"many\"")))
                .hasMessage("key 'vocab_size' is not an integer: many");
        assertThatThrownBy(() -> BertConfig.fromJson(MINILM.replace("\"hidden_size\": 384", "\"hidden_size\": 380")))
                .hasMessage("hidden_size 380 is not divisible by num_attention_heads 12");
        assertThatThrownBy(() -> BertConfig.fromJson(MINILM.replace("gelu_pytorch_tanh", "swish")))
                .hasMessageContaining("Unsupported hidden_act 'swish'");
        assertThatThrownBy(() -> BertConfig.fromJson(MINILM.replace("1e-12", "0")))
                .hasMessage("layer_norm_eps must be > 0, got 0.0");
        assertThatThrownBy(() -> BertConfig.of(0, 16, 1, 1, 16)).hasMessage("vocab_size must be positive, got 0");
    }
}
