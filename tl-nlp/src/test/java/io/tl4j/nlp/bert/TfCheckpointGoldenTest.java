package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import io.tl4j.nlp.text.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tiny BERT's TensorFlow checkpoint, written by {@code make_tiny_bert_fixture.py} under Google's
 * variable names, loads into an encoder that gives the same outputs as PyTorch.
 */
class TfCheckpointGoldenTest {

    @Test
    void hiddenStatesAndMaskedLmMatchPyTorch() throws Exception {
        Path dir = TinyBert.tfSavedModel();
        WordPieceTokenizer vocab = WordPieceTokenizer.read(dir.resolve("assets/vocab.txt"), true);
        try (BertEncoder bert =
                Bert.fromTfCheckpoint(dir.resolve("variables/variables"), vocab, TinyBert.config(), "test")) {
            assertThat(bert.hasPooler()).isTrue();
            assertThat(bert.hasMaskedLmHead()).isTrue();
            List<String> texts = TinyBert.texts();
            float[][][] hidden = bert.lastHiddenState(texts);
            JsonArray expected = TinyBert.EXPECTED.getAsJsonArray("last_hidden_state");
            for (int i = 0; i < texts.size(); i++) {
                JsonArray tokens = expected.get(i).getAsJsonArray();
                for (int t = 0; t < tokens.size(); t++) {
                    for (int h = 0; h < 16; h++) {
                        assertThat(hidden[i][t][h])
                                .isCloseTo(tokens.get(t).getAsJsonArray().get(h).getAsFloat(), within(1e-4f));
                    }
                }
            }
            JsonArray logits = TinyBert.EXPECTED.getAsJsonArray("mask_logits");
            int best = 0;
            for (int v = 1; v < logits.size(); v++) {
                best = logits.get(v).getAsFloat() > logits.get(best).getAsFloat() ? v : best;
            }
            assertThat(bert.maskedLanguageModel()
                            .fillMask("the capital of france is [MASK] .", 1)
                            .get(0)
                            .get(0)
                            .id())
                    .isEqualTo(best);
        }
        // inferred: sizes from the shapes, Google's GELU and epsilon, hidden / 64 heads (1 here)
        try (BertEncoder inferred = Bert.fromTfSavedModel(dir, "test")) {
            BertConfig c = inferred.config();
            assertThat(List.of(
                            c.vocabSize(),
                            c.hiddenSize(),
                            c.numLayers(),
                            c.intermediateSize(),
                            c.maxPositions(),
                            c.typeVocabSize(),
                            c.numHeads()))
                    .containsExactly(40, 16, 2, 32, 24, 2, 1);
        }
    }
}
