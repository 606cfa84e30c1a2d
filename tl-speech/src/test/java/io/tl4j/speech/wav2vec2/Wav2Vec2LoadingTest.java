package io.tl4j.speech.wav2vec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.WeightFileException;
import io.tl4j.core.weights.WeightMismatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading Hugging Face model directories: a {@code Wav2Vec2ForCTC} checkpoint (prefixed names,
 * {@code lm_head}, newer Transformers' weight-norm parametrization names, {@code masked_spec_embed})
 * gives torchaudio's outputs; anything that does not fit is reported by name.
 */
class Wav2Vec2LoadingTest {

    @TempDir
    Path dir;

    private static JsonObject smallBase() {
        return Golden.json().getAsJsonArray("cases").get(0).getAsJsonObject();
    }

    /** Writes the case as a Wav2Vec2ForCTC checkpoint directory, with the tensors {@code edit} leaves. */
    private static void writeCtcCheckpoint(
            Path dir, JsonObject c, NDManager manager, java.util.function.Consumer<Map<String, NDArray>> edit)
            throws IOException {
        Map<String, NDArray> file = new LinkedHashMap<>();
        Golden.weights(manager, c.getAsJsonObject("tensors")).forEach((name, tensor) -> {
            String stored = name.startsWith("lm_head.") ? name : "wav2vec2." + name;
            stored = stored.replace(
                            "pos_conv_embed.conv.weight_g", "pos_conv_embed.conv.parametrizations.weight.original0")
                    .replace("pos_conv_embed.conv.weight_v", "pos_conv_embed.conv.parametrizations.weight.original1");
            file.put(stored, tensor);
        });
        file.put("wav2vec2.masked_spec_embed", manager.ones(new Shape(32)));
        edit.accept(file);
        Files.writeString(
                dir.resolve("config.json"), c.getAsJsonObject("config").toString());
        SafeTensors.write(dir.resolve("model.safetensors"), file);
    }

    @Test
    void ctcCheckpointGivesTorchaudioLogitsAndHiddenStates() throws IOException {
        JsonObject c = smallBase();
        try (NDManager manager = NDManager.newBaseManager()) {
            writeCtcCheckpoint(dir, c, manager, file -> {});
            NDArray waveforms = Golden.waveform(manager, 2, c.get("samples").getAsInt());
            NDArray lengths = manager.create(Golden.longs(c.getAsJsonArray("lengths")));

            CtcVocabulary vocabulary = CtcVocabulary.ofCharacters("abcde");
            try (Wav2Vec2ForCtc ctc = Wav2Vec2ForCtc.fromPretrained(dir, vocabulary, manager)) {
                Wav2Vec2ForCtc.Output out = ctc.forward(waveforms, lengths);
                assertThat(Golden.maxAbsDiff(out.logits().toFloatArray(), Golden.floats(c.getAsJsonArray("logits"))))
                        .isLessThan(1e-4f);
                assertThat(ctc.stateDict())
                        .containsKeys("wav2vec2.encoder.pos_conv_embed.conv.weight_g", "lm_head.weight")
                        .hasSize(c.getAsJsonObject("tensors").size());
            }
            try (Wav2Vec2Model model = Wav2Vec2Model.load(dir, manager)) {
                Wav2Vec2Model.Output out = model.forward(waveforms, lengths);
                assertThat(Golden.maxAbsDiff(
                                out.hiddenStates().toFloatArray(), Golden.floats(c.getAsJsonArray("hidden"))))
                        .isLessThan(1e-4f);
            }
            try (Wav2Vec2ForCtc fresh = Wav2Vec2ForCtc.fromPretrained(dir, CtcVocabulary.ofCharacters("xy"), manager)) {
                assertThat(fresh.stateDict().get("lm_head.weight").getShape()).isEqualTo(new Shape(3, 32));
                assertThat(fresh.stateDict()
                                .get("wav2vec2.feature_projection.projection.bias")
                                .toFloatArray())
                        .containsExactly(Golden.tensor(manager, "feature_projection.projection.bias", new Shape(32))
                                .toFloatArray());
            }
        }
    }

    @Test
    void mismatchedTensorsAreListedByName() throws IOException {
        JsonObject c = smallBase();
        try (NDManager manager = NDManager.newBaseManager()) {
            writeCtcCheckpoint(dir, c, manager, file -> {
                file.remove("wav2vec2.encoder.layers.1.final_layer_norm.bias");
                file.put("wav2vec2.encoder.layers.1.extra.weight", manager.zeros(new Shape(2)));
                file.put("wav2vec2.feature_projection.projection.weight", manager.zeros(new Shape(32, 31)));
            });
            assertThatThrownBy(() -> Wav2Vec2Model.load(dir, manager))
                    .isInstanceOf(WeightMismatchException.class)
                    .hasMessageContaining("read from " + dir)
                    .hasMessageContaining("encoder.layers.1.final_layer_norm.bias")
                    .hasMessageContaining("encoder.layers.1.extra.weight")
                    .hasMessageContaining("feature_projection.projection.weight");
        }
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Wav2Vec2Model.load(dir, manager))
                    .isInstanceOf(WeightFileException.class)
                    .hasMessageContaining("config.json");
            Files.writeString(
                    dir.resolve("config.json"),
                    smallBase().getAsJsonObject("config").toString());
            Files.writeString(dir.resolve("pytorch_model.bin"), "");
            assertThatThrownBy(() -> Wav2Vec2Model.load(dir, manager))
                    .isInstanceOf(WeightFileException.class)
                    .hasMessageContaining("model.safetensors")
                    .hasMessageContaining("pytorch_model.bin");
        }
    }

    @Test
    void unsupportedConfigurationsAreRejectedByField() throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"model_type\":\"wav2vec2\",\"hidden_size\":30,\"num_attention_heads\":4}");
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson(config))
                .hasMessageContaining(config.toString())
                .hasMessageContaining("hidden_size 30");
        Files.writeString(config, "{\"model_type\":\"wav2vec2\",\"hidden_act\":\"relu\"}");
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson(config)).hasMessageContaining("hidden_act 'relu'");
        Files.writeString(config, "{\"model_type\":\"data2vec-audio\"}");
        assertThatThrownBy(() -> Wav2Vec2Config.fromJson(config)).hasMessageContaining("data2vec-audio");
    }
}
