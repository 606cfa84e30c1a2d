package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import io.tl4j.nlp.text.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link BertEncoder#tokenize} gives Hugging Face's ids for the tiny BERT and what its network is fed. */
class BertTokenizeTest {

    private static BertEncoder bert;

    @BeforeAll
    static void load() {
        Path dir = TinyBert.tfSavedModel();
        bert = Bert.fromTfSavedModel(dir, "test");
    }

    @AfterAll
    static void close() {
        bert.close();
    }

    @Test
    void idsAreHuggingFacesPaddedToTheLongestText() {
        List<String> texts = TinyBert.texts();
        BertInputs inputs = bert.tokenize(texts);
        JsonArray expected = TinyBert.EXPECTED.getAsJsonArray("input_ids");
        long pad = bert.tokenizer().id(TextTokenizer.PAD);
        int longest = 0;
        for (int i = 0; i < texts.size(); i++) {
            longest = Math.max(longest, expected.get(i).getAsJsonArray().size());
        }
        for (int i = 0; i < texts.size(); i++) {
            JsonArray ids = expected.get(i).getAsJsonArray();
            long[] want = new long[longest];
            Arrays.fill(want, pad);
            long[] mask = new long[longest];
            for (int t = 0; t < ids.size(); t++) {
                want[t] = ids.get(t).getAsLong();
                mask[t] = 1;
            }
            assertThat(inputs.inputIds()[i]).as(texts.get(i)).containsExactly(want);
            assertThat(inputs.attentionMask()[i]).as(texts.get(i)).containsExactly(mask);
            assertThat(inputs.tokenTypeIds()[i]).as(texts.get(i)).containsOnly(0L);
            assertThat(inputs.length(i)).isEqualTo(ids.size());
        }
    }

    @Test
    void theIdsAreWhatTheNetworkIsFed() {
        List<String> texts = new ArrayList<>(TinyBert.texts());
        texts.add("the cat ".repeat(30)); // longer than the 24 positions: truncated
        BertInputs inputs = bert.tokenize(texts);
        assertThat(inputs.inputIds()[texts.size() - 1])
                .hasSize(24)
                .endsWith(bert.tokenizer().id(TextTokenizer.SEP));
        int[] seen = {0};
        bert.runInBatches(texts, (encoded, batch, indices) -> {
            long width = batch.getShape().get(2);
            for (int j = 0; j < indices.length; j++) {
                NDArray row = batch.get(j);
                int i = indices[j];
                int n = inputs.inputIds()[i].length;
                assertThat(toLongs(row.get(0))).as("ids of text %d", i).startsWith(inputs.inputIds()[i]);
                assertThat(Arrays.copyOf(toLongs(row.get(1)), n))
                        .as("mask of text %d", i)
                        .containsExactly(inputs.attentionMask()[i]);
                assertThat(Arrays.copyOf(toLongs(row.get(2)), n))
                        .as("types of text %d", i)
                        .containsExactly(inputs.tokenTypeIds()[i]);
                assertThat(Arrays.copyOfRange(toLongs(row.get(1)), n, (int) width))
                        .as("padding of text %d", i)
                        .containsExactly(new long[(int) width - n]);
                seen[0]++;
            }
        });
        assertThat(seen[0]).isEqualTo(texts.size());
    }

    @Test
    void aNullTextIsNamedByIndex() {
        assertThatThrownBy(() -> bert.tokenize(Arrays.asList("a dog", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Text 1 is null");
    }

    private static long[] toLongs(NDArray array) {
        return array.toType(DataType.INT64, false).toLongArray();
    }
}
