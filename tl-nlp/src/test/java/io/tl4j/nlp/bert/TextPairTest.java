package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.text.TextPair;
import io.tl4j.nlp.text.TextPairPipeline;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentence pairs: token types 0/1 per segment give PyTorch's token vectors; a pair backbone trains, saves and
 * loads back.
 */
class TextPairTest {

    @Test
    void pairTokenVectorsMatchPyTorch(@TempDir Path dir) {
        JsonObject pair = TinyBert.EXPECTED.getAsJsonObject("pair");
        try (BertEncoder bert = Bert.fromHuggingFace(TinyBert.write(dir.resolve("tiny"), null), "test");
                Backbone<String> single = bert.backbone(Pooling.NONE, 24);
                Backbone<TextPair> pairs = single.withPipeline(TextPairPipeline.of(bert.tokenizer(), 24));
                NDManager manager = NDManager.newBaseManager()) {
            NDArray input = pairs.pipeline()
                    .batch(
                            manager,
                            List.of(new TextPair(
                                    pair.get("first").getAsString(),
                                    pair.get("second").getAsString())),
                            false,
                            null)
                    .head();
            JsonArray ids = pair.getAsJsonArray("input_ids");
            JsonArray types = pair.getAsJsonArray("token_type_ids");
            int[] arrays = input.toIntArray();
            for (int t = 0; t < ids.size(); t++) {
                assertThat(arrays[t]).isEqualTo(ids.get(t).getAsInt());
                assertThat(arrays[48 + t]).isEqualTo(types.get(t).getAsInt());
            }
            Block block = pairs.instantiate(manager, 0);
            float[] hidden = HiddenStates.hidden(
                            block.forward(new ParameterStore(manager, false), new NDList(input), false)
                                    .singletonOrThrow())
                    .toFloatArray();
            JsonArray expected = pair.getAsJsonArray("last_hidden_state");
            for (int t = 0; t < ids.size(); t++) {
                for (int h = 0; h < 16; h++) {
                    assertThat(hidden[t * 16 + h])
                            .as("token %d dim %d", t, h)
                            .isCloseTo(expected.get(t).getAsJsonArray().get(h).getAsFloat(), within(1e-4f));
                }
            }
        }
    }

    @Test
    void pairsCarryTokenTypesAndAPairModelSavesAndLoads(@TempDir Path dir) {
        try (BertEncoder bert = Bert.fromHuggingFace(TinyBert.write(dir.resolve("tiny"), null), "test");
                Backbone<String> single = bert.backbone(Pooling.CLS, 16);
                NDManager manager = NDManager.newBaseManager()) {
            TextPairPipeline pairs = TextPairPipeline.of(bert.tokenizer(), 16);
            int[] arrays = pairs.batch(manager, List.of(new TextPair("the cat sat", "a dog")), false, null)
                    .head()
                    .toIntArray();
            long cls = bert.tokenizer().id("[CLS]");
            long sep = bert.tokenizer().id("[SEP]");
            assertThat(java.util.Arrays.copyOf(arrays, 7))
                    .containsExactly(
                            (int) cls,
                            (int) bert.tokenizer().id("the"),
                            (int) bert.tokenizer().id("cat"),
                            (int) bert.tokenizer().id("sat"),
                            (int) sep,
                            (int) bert.tokenizer().id("a"),
                            (int) bert.tokenizer().id("dog"));
            assertThat(java.util.Arrays.copyOfRange(arrays, 32, 41)).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 0);

            Backbone<TextPair> backbone = single.withPipeline(pairs);
            LabeledData<TextPair> data = LabeledData.of(
                    List.of(
                            new TextPair("the cat", "the cat"), new TextPair("a dog", "a dog"),
                            new TextPair("the cat", "a dog"), new TextPair("big house", "small mat")),
                    new int[] {0, 0, 1, 1},
                    List.of("same", "different"));
            try (backbone;
                    TransferModel<TextPair> model = TransferLearner.from(backbone)
                            .unfreezeAll()
                            .epochs(2)
                            .progressBar(false)
                            .fit(data)) {
                model.save(dir.resolve("model"));
                try (TransferModel<TextPair> loaded = TransferModel.load(dir.resolve("model"))) {
                    assertThat(loaded.pipeline()).isInstanceOf(TextPairPipeline.class);
                    float[][] expected = model.probabilities(data.inputs());
                    float[][] actual = loaded.probabilities(data.inputs());
                    for (int i = 0; i < expected.length; i++) {
                        assertThat(actual[i]).containsExactly(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
                    }
                }
            }
        }
    }
}
