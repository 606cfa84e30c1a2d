package io.tl4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two sides of the tokenisation benchmark produce the same BERT inputs. */
class TokenizationTest {

    @Test
    void tl4jPipelineAndDjlBatchEncodeGiveTheSameArrays() {
        int length = 32;
        List<String> texts = new java.util.ArrayList<>(Texts.sentences(5, 13));
        texts.add("A short one.");
        try (BertEncoder encoder = Bert.allMiniLmL6V2();
                HuggingFaceTokenizer djl = Texts.djlTokenizer(length);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray tl4j =
                    encoder.pipeline(length).batch(manager, texts, false, null).head();
            NDList raw = Texts.encode(djl, texts, length, manager);
            assertThat(tl4j.getShape()).isEqualTo(new Shape(6, 3, length));
            assertThat(raw.head().getShape()).isEqualTo(new Shape(6, length));
            assertThat(tl4j.get(new NDIndex(":, 0, :")).toIntArray())
                    .containsExactly(raw.get(0).toIntArray());
            assertThat(tl4j.get(new NDIndex(":, 1, :")).toIntArray())
                    .containsExactly(raw.get(2).toIntArray());
            assertThat(tl4j.get(new NDIndex(":, 2, :")).toIntArray())
                    .containsExactly(raw.get(1).toIntArray());
            // the five long texts are truncated (no padding), the short one is padded
            int[] mask = raw.get(2).toIntArray();
            assertThat(java.util.Arrays.copyOfRange(mask, 0, 5 * length)).containsOnly(1);
            assertThat(java.util.Arrays.copyOfRange(mask, 5 * length, 6 * length))
                    .contains(0, 1);
        }
    }
}
