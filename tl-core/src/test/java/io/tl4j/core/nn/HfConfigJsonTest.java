package io.tl4j.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.annotations.SerializedName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Declarative {@code config.json} mapping: defaults, nulls, number parsing, errors naming the key, writing. */
class HfConfigJsonTest {

    /** A configuration as a domain module declares one. */
    static final class Sizes {
        @SerializedName("model_type")
        String modelType = "toy";

        @SerializedName("hidden_size")
        Integer hiddenSize;

        @SerializedName("conv_dim")
        int[] convDim = {512, 512};

        @SerializedName("layer_norm_eps")
        float layerNormEps = 1e-5f;

        @SerializedName("dropout")
        float dropout = 0.1f;
    }

    @Test
    void absentAndNullKeysKeepTheirDefaultsAndUnknownKeysAreIgnored() {
        Sizes s = HfConfigJson.parse(
                "{\"hidden_size\": 768, \"layer_norm_eps\": null, \"architectures\": [\"X\"],"
                        + " \"id2label\": {\"0\": \"a\"}}",
                Sizes.class);
        assertThat(s.hiddenSize).isEqualTo(768);
        assertThat(s.layerNormEps).isEqualTo(1e-5f);
        assertThat(s.convDim).containsExactly(512, 512);
        assertThat(HfConfigJson.parse("{}", Sizes.class).hiddenSize).isNull();
    }

    @Test
    void numbersReadAsJavaParsesTheirTextAndMayBeQuotedOrIntegralDecimals() {
        Sizes s = HfConfigJson.parse(
                "{\"hidden_size\": \"384\", \"conv_dim\": [8, 16.0], \"layer_norm_eps\": 1e-12,"
                        + " \"dropout\": \"0.3\"}",
                Sizes.class);
        assertThat(s.hiddenSize).isEqualTo(384);
        assertThat(s.convDim).containsExactly(8, 16);
        assertThat(s.layerNormEps).isEqualTo(Float.parseFloat("1e-12"));
        assertThat(s.dropout).isEqualTo(0.3f);
    }

    @Test
    void malformedValuesAreNamedByKey() {
        assertThatThrownBy(() -> HfConfigJson.parse("{\"hidden_size\": \"abc\"}", Sizes.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key 'hidden_size' is not an integer: abc");
        assertThatThrownBy(() -> HfConfigJson.parse("{\"hidden_size\": 1.5}", Sizes.class))
                .hasMessageContaining("key 'hidden_size' is not an integer: 1.5");
        assertThatThrownBy(() -> HfConfigJson.parse("{\"conv_dim\": [8, \"x\"]}", Sizes.class))
                .hasMessageContaining("key 'conv_dim[1]' is not an integer: x");
        assertThatThrownBy(() -> HfConfigJson.parse("{\"dropout\": true}", Sizes.class))
                .hasMessageContaining("key 'dropout' is not a number: BOOLEAN");
        assertThatThrownBy(() -> HfConfigJson.parse("{\"conv_dim\": 5}", Sizes.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv_dim");
        assertThatThrownBy(() -> HfConfigJson.parse("[1, 2]", Sizes.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> HfConfigJson.parse("{\"hidden_size\": ", Sizes.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void checksNameTheKeysAndValues() {
        assertThatThrownBy(() -> HfConfigJson.required(null, "vocab_size"))
                .hasMessage("missing required key 'vocab_size'");
        assertThat(HfConfigJson.required(3, "vocab_size")).isEqualTo(3);
        assertThatThrownBy(() -> HfConfigJson.positive("hidden_size", 0))
                .hasMessage("hidden_size must be positive, got 0");
        HfConfigJson.positive("hidden_size", 1);
        assertThatThrownBy(() -> HfConfigJson.divisible("hidden_size", 30, "num_attention_heads", 4))
                .hasMessage("hidden_size 30 is not divisible by num_attention_heads 4");
        HfConfigJson.divisible("hidden_size", 32, "num_attention_heads", 4);
    }

    @Test
    void writesFieldsInDeclarationOrderWithJavasNumberTextAndReadsThemBack() {
        Sizes s = HfConfigJson.parse("{\"hidden_size\": 768}", Sizes.class);
        String json = HfConfigJson.toJson(s);
        assertThat(json)
                .isEqualTo("{\"model_type\":\"toy\",\"hidden_size\":768,\"conv_dim\":[512,512],"
                        + "\"layer_norm_eps\":1.0E-5,\"dropout\":0.1}");
        assertThat(HfConfigJson.toJson(HfConfigJson.parse(json, Sizes.class))).isEqualTo(json);
        assertThat(HfConfigJson.toTree(s).get("hidden_size").getAsInt()).isEqualTo(768);
        Sizes copy = HfConfigJson.copy(s);
        copy.convDim[0] = 1;
        assertThat(s.convDim[0]).isEqualTo(512);
        assertThat(HfConfigJson.toJson(HfConfigJson.parse("{}", Sizes.class))).doesNotContain("hidden_size");
    }

    @Test
    void filesAreNamedInEveryError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        assertThatThrownBy(() -> HfConfigJson.read(file, "toy config", t -> HfConfigJson.parse(t, Sizes.class)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("Cannot read toy config " + file);
        Files.writeString(file, "{\"hidden_size\": \"abc\"}");
        assertThatThrownBy(() -> HfConfigJson.read(file, "toy config", t -> HfConfigJson.parse(t, Sizes.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Bad toy config " + file + ": key 'hidden_size' is not an integer: abc");
        Files.writeString(file, "{\"hidden_size\": 8}");
        assertThat(HfConfigJson.read(file, "toy config", t -> HfConfigJson.parse(t, Sizes.class)).hiddenSize)
                .isEqualTo(8);
    }
}
