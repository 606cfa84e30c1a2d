package io.tl4j.speech.weights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A checkpoint's tensors sorted into the encoder's, the CTC head's and those set aside, by name. */
class Wav2Vec2WeightsTest {

    @Test
    void prefixesAreRemovedParametrizationsRenamedAndOtherHeadsSetAside() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String name : new String[] {
                "wav2vec2.feature_projection.projection.weight",
                "wav2vec2.encoder.pos_conv_embed.conv.parametrizations.weight.original0",
                "wav2vec2.encoder.pos_conv_embed.conv.parametrizations.weight.original1",
                "wav2vec2.masked_spec_embed",
                "quantizer.codevectors",
                "project_q.weight",
                "classifier.bias",
                "lm_head.weight",
                "lm_head.bias"
            }) {
                tensors.put(name, manager.zeros(new Shape(1)));
            }
            Wav2Vec2Weights weights = Wav2Vec2Weights.sort(Path.of("model.safetensors"), tensors);
            assertThat(weights.encoder())
                    .containsOnlyKeys(
                            "feature_projection.projection.weight",
                            "encoder.pos_conv_embed.conv.weight_g",
                            "encoder.pos_conv_embed.conv.weight_v");
            assertThat(weights.ctcHead()).containsOnlyKeys("weight", "bias");
            assertThat(weights.setAside())
                    .containsExactly(
                            "wav2vec2.masked_spec_embed",
                            "quantizer.codevectors",
                            "project_q.weight",
                            "classifier.bias");
        }
    }

    @Test
    void hubertAndBareModelNamesAreKept() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> hubert = Map.of("hubert.encoder.layer_norm.bias", manager.zeros(new Shape(1)));
            assertThat(Wav2Vec2Weights.sort(Path.of("x"), hubert).encoder())
                    .containsOnlyKeys("encoder.layer_norm.bias");
            Map<String, NDArray> bare = Map.of("encoder.layer_norm.bias", manager.zeros(new Shape(1)));
            assertThat(Wav2Vec2Weights.sort(Path.of("x"), bare).encoder()).containsOnlyKeys("encoder.layer_norm.bias");
        }
    }
}
