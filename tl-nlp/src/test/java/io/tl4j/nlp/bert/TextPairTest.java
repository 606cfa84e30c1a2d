package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.text.TextPair;
import io.tl4j.nlp.text.TextPairPipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/** Sentence pairs: token types 0/1 per segment, a pair backbone trains, saves and loads back. */
class TextPairTest {

    @Test
    void pairsCarryTokenTypesAndAPairModelSavesAndLoads(@TempDir Path dir) {
        try (BertEncoder bert = Bert.fromHuggingFace(TinyBert.write(dir.resolve("tiny"), null), "test");
                Backbone<String> single = bert.backbone(Pooling.CLS, 16);
                NDManager manager = NDManager.newBaseManager()) {
            TextPairPipeline pairs = TextPairPipeline.of(bert.tokenizer(), 16);
            int[] arrays = pairs.batch(manager, List.of(new TextPair("the cat sat", "a dog")), false, null)
                    .head().toIntArray();
            long cls = bert.tokenizer().id("[CLS]");
            long sep = bert.tokenizer().id("[SEP]");
            assertThat(java.util.Arrays.copyOf(arrays, 7)).containsExactly((int) cls, (int) bert.tokenizer().id("the"),
                    (int) bert.tokenizer().id("cat"), (int) bert.tokenizer().id("sat"), (int) sep,
                    (int) bert.tokenizer().id("a"), (int) bert.tokenizer().id("dog"));
            assertThat(java.util.Arrays.copyOfRange(arrays, 32, 41)).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 0);

            Backbone<TextPair> backbone = single.withPipeline(pairs);
            LabeledData<TextPair> data = LabeledData.of(List.of(
                    new TextPair("the cat", "the cat"), new TextPair("a dog", "a dog"),
                    new TextPair("the cat", "a dog"), new TextPair("big house", "small mat")),
                    new int[] {0, 0, 1, 1}, List.of("same", "different"));
            try (backbone; TransferModel<TextPair> model = TransferLearner.from(backbone).unfreezeAll().epochs(2)
                    .progressBar(false).fit(data)) {
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
