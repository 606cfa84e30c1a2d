package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import io.tl4j.core.Backbone;
import io.tl4j.core.weights.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hugging Face model directory (BertForPreTraining layout: {@code bert.} prefix, pooler, masked-LM
 * head with a tied decoder, next-sentence head) against the outputs of PyTorch's own modules
 * ({@code make_tiny_bert_fixture.py}), and its bad-input errors.
 */
class HuggingFaceDirectoryTest {

    @Test
    void hiddenStatesPoolerAndMaskedLmMatchPyTorch(@TempDir Path dir) {
        Path model = TinyBert.write(dir.resolve("tiny"), null);
        try (BertEncoder bert = Bert.fromHuggingFace(model, "test")) {
            assertThat(bert.config()).isEqualTo(TinyBert.config());
            assertThat(bert.config().activation()).isEqualTo(BertConfig.HiddenActivation.GELU_TANH);
            assertThat(bert.hasPooler()).isTrue();
            assertThat(bert.hasMaskedLmHead()).isTrue();
            List<String> texts = TinyBert.texts();
            for (int i = 0; i < texts.size(); i++) {
                long[] ids = new io.tl4j.nlp.text.TextEncoder(bert.tokenizer(), 24)
                        .encode(texts.get(i))
                        .ids();
                JsonArray expectedIds =
                        TinyBert.EXPECTED.getAsJsonArray("input_ids").get(i).getAsJsonArray();
                assertThat(ids).as(texts.get(i)).hasSize(expectedIds.size());
                for (int t = 0; t < ids.length; t++) {
                    assertThat(ids[t]).isEqualTo(expectedIds.get(t).getAsLong());
                }
            }

            float[][][] hidden = bert.lastHiddenState(texts);
            JsonArray expected = TinyBert.EXPECTED.getAsJsonArray("last_hidden_state");
            for (int i = 0; i < texts.size(); i++) {
                JsonArray tokens = expected.get(i).getAsJsonArray();
                assertThat(hidden[i].length).isEqualTo(tokens.size());
                for (int t = 0; t < tokens.size(); t++) {
                    for (int h = 0; h < 16; h++) {
                        assertThat(hidden[i][t][h])
                                .as("text %d token %d dim %d", i, t, h)
                                .isCloseTo(tokens.get(t).getAsJsonArray().get(h).getAsFloat(), within(1e-4f));
                    }
                }
            }

            try (Backbone<String> backbone = bert.backbone(Pooling.POOLER, 24);
                    NDManager manager = NDManager.newBaseManager()) {
                assertThat(backbone.layers())
                        .containsExactly("embeddings", "encoder.layer.0", "encoder.layer.1", "pooler");
                Block block = backbone.instantiate(manager, 0);
                NDArray pooled = block.forward(
                                new ParameterStore(manager, false),
                                backbone.pipeline().batch(manager, texts, false, null),
                                false)
                        .singletonOrThrow();
                float[] values = pooled.toFloatArray();
                JsonArray pooler = TinyBert.EXPECTED.getAsJsonArray("pooler_output");
                for (int i = 0; i < texts.size(); i++) {
                    for (int h = 0; h < 16; h++) {
                        assertThat(values[i * 16 + h])
                                .isCloseTo(pooler.get(i).getAsJsonArray().get(h).getAsFloat(), within(1e-4f));
                    }
                }
            }

            JsonArray logits = TinyBert.EXPECTED.getAsJsonArray("mask_logits");
            double[] p = new double[logits.size()];
            double sum = 0;
            for (int v = 0; v < p.length; v++) {
                p[v] = Math.exp(logits.get(v).getAsDouble());
                sum += p[v];
            }
            List<MaskedLanguageModel.Candidate> top = bert.maskedLanguageModel()
                    .fillMask("the capital of france is [MASK] .", 5)
                    .get(0);
            assertThat(top).hasSize(5);
            for (int k = 0; k < top.size(); k++) {
                MaskedLanguageModel.Candidate c = top.get(k);
                assertThat((double) c.probability()).isCloseTo(p[(int) c.id()] / sum, within(1e-5));
                assertThat(c.token()).isEqualTo(bert.tokenizer().token(c.id()));
                if (k > 0) {
                    assertThat(c.probability())
                            .isLessThanOrEqualTo(top.get(k - 1).probability());
                }
            }
            int best = 0;
            for (int v = 1; v < p.length; v++) {
                best = p[v] > p[best] ? v : best;
            }
            assertThat(top.get(0).id()).isEqualTo(best);
            assertThatThrownBy(() -> bert.maskedLanguageModel().fillMask("no mask here", 3))
                    .hasMessageContaining("[MASK]");
        }
    }

    @Test
    void embeddingsPoolAndNormaliseAsAsked(@TempDir Path dir) {
        try (BertEncoder bert = Bert.fromHuggingFace(TinyBert.write(dir.resolve("tiny"), null), "test")) {
            List<String> texts = TinyBert.texts();
            JsonArray hidden = TinyBert.EXPECTED.getAsJsonArray("last_hidden_state");
            JsonArray pooler = TinyBert.EXPECTED.getAsJsonArray("pooler_output");
            float[][] cls = bert.embed(texts, Pooling.CLS);
            float[][] pooled = bert.embed(texts, Pooling.POOLER);
            float[][] mean = bert.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                JsonArray tokens = hidden.get(i).getAsJsonArray();
                float[] expectedMean = new float[16];
                for (JsonElement token : tokens) {
                    for (int h = 0; h < 16; h++) {
                        expectedMean[h] += token.getAsJsonArray().get(h).getAsFloat() / tokens.size();
                    }
                }
                assertNormalised(cls[i], toFloats(tokens.get(0).getAsJsonArray()));
                assertNormalised(pooled[i], toFloats(pooler.get(i).getAsJsonArray()));
                assertNormalised(mean[i], expectedMean);
            }
            assertThatThrownBy(() -> bert.embed(texts, Pooling.NONE)).hasMessageContaining("lastHiddenState");
        }
    }

    private static float[] toFloats(JsonArray array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsFloat();
        }
        return out;
    }

    private static void assertNormalised(float[] actual, float[] raw) {
        double norm = 0;
        for (float v : raw) {
            norm += v * v;
        }
        for (int h = 0; h < raw.length; h++) {
            assertThat(actual[h]).isCloseTo((float) (raw[h] / Math.sqrt(norm)), within(1e-4f));
        }
    }

    @Test
    void misShapedMissingAndUnexpectedTensorsAreNamedWithTheFile(@TempDir Path dir) {
        Path shaped = TinyBert.write(
                dir.resolve("shaped"),
                t -> t.put(
                        "bert.encoder.layer.1.output.dense.weight",
                        t.get("bert.encoder.layer.1.output.dense.weight").transpose()));
        assertThatThrownBy(() -> Bert.fromHuggingFace(shaped, "test"))
                .hasMessageContaining(shaped.resolve("model.safetensors").toString())
                .hasMessageContaining("encoder.layer.1.output.dense.weight")
                .hasMessageContaining("(32, 16)");
        Path missing = TinyBert.write(dir.resolve("missing"), t -> t.remove("bert.embeddings.LayerNorm.bias"));
        assertThatThrownBy(() -> Bert.fromHuggingFace(missing, "test"))
                .hasMessageContaining("missing")
                .hasMessageContaining("embeddings.LayerNorm.bias");
        Path extra = TinyBert.write(
                dir.resolve("extra"),
                t -> t.put("bert.encoder.layer.2.output.dense.bias", t.get("bert.pooler.dense.bias")));
        assertThatThrownBy(() -> Bert.fromHuggingFace(extra, "test"))
                .hasMessageContaining("unexpected")
                .hasMessageContaining("encoder.layer.2.output.dense.bias");
    }

    @Test
    void missingAndBrokenFilesAreNamed(@TempDir Path dir) throws IOException {
        Path model = TinyBert.write(dir.resolve("m"), null);
        Files.delete(model.resolve("vocab.txt"));
        assertThatThrownBy(() -> Bert.fromHuggingFace(model, "test"))
                .hasMessageContaining("tokenizer.json or vocab.txt")
                .hasMessageContaining(model.toString());
        Files.writeString(model.resolve("config.json"), "{\"hidden_size\": 16}");
        assertThatThrownBy(() -> Bert.fromHuggingFace(model, "test"))
                .hasMessageContaining("config.json")
                .hasMessageContaining("vocab_size");
        Files.delete(model.resolve("model.safetensors"));
        Files.writeString(model.resolve("pytorch_model.bin"), "x");
        assertThatThrownBy(() -> Bert.fromHuggingFace(model, "test"))
                .hasMessageContaining("model.safetensors")
                .hasMessageContaining("convert pytorch_model.bin");
        Files.delete(model.resolve("config.json"));
        assertThatThrownBy(() -> Bert.fromHuggingFace(model, "test")).hasMessageContaining("No config.json");
    }

    @Test
    void miniLmSavedAsAHuggingFaceDirectoryLoadsBackIdentically(@TempDir Path dir) throws IOException {
        BertEncoder minilm = MiniLm.encoder();
        Files.writeString(dir.resolve("config.json"), minilm.config().toJson());
        try (var in = getClass().getClassLoader().getResourceAsStream(Bert.MINILM_TOKENIZER)) {
            Files.copy(in, dir.resolve("tokenizer.json"));
        }
        Map<String, NDArray> weights = minilm.weights();
        SafeTensors.write(dir.resolve("model.safetensors"), weights);
        List<String> texts = MiniLm.TEXTS.subList(1, 4);
        try (BertEncoder loaded = Bert.fromHuggingFace(dir, "Apache-2.0")) {
            assertThat(loaded.config()).isEqualTo(minilm.config());
            float[][] expected = minilm.embed(texts);
            float[][] actual = loaded.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(actual[i]).containsExactly(expected[i], within(0f));
            }
        }
    }
}
