package io.tl4j.benchmarks;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.nlp.bert.Bert;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Synthetic English texts and the raw-DJL way of tokenising them for BERT. */
public final class Texts {

    private static final String[] WORDS = ("the a transfer learning model network image text speech data train "
                    + "frozen layer head feature cache batch epoch quickly slowly reuses pretrained weights accuracy "
                    + "classifier kitten market rates central bank raised sharply Tuesday library Java benchmark "
                    + "tokenizer sentence embedding attention transformer encoder small large new old")
            .split(" ");

    private Texts() {}

    /**
     * Generates random sentences of 4 to 150 words, so that some fill the 128 tokens and some are short.
     *
     * @param count how many texts
     * @param seed the random seed
     * @return sentences of 4 to 150 words, so that some fill the 128 tokens and some are short
     */
    public static List<String> sentences(int count, long seed) {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int words = 4 + random.nextInt(147);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < words; w++) {
                text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            texts.add(text.append('.').toString());
        }
        return texts;
    }

    /**
     * Builds DJL's tokenizer for all-MiniLM-L6-v2, adding [CLS]/[SEP], truncating and padding to {@code maxLength}.
     *
     * @param maxLength pad and truncate to this many tokens
     * @return DJL's tokenizer for all-MiniLM-L6-v2's {@code tokenizer.json} (from the langchain4j
     *     artifact on the classpath), adding [CLS]/[SEP], truncating and padding to {@code maxLength}
     */
    public static HuggingFaceTokenizer djlTokenizer(int maxLength) {
        try (InputStream in = Texts.class.getClassLoader().getResourceAsStream(Bert.MINILM_TOKENIZER)) {
            if (in == null) {
                throw new IllegalStateException(
                        Bert.MINILM_TOKENIZER + " is not on the classpath: add " + Bert.MINILM_ARTIFACT);
            }
            return HuggingFaceTokenizer.newInstance(
                    in,
                    Map.of(
                            "truncation",
                            "true",
                            "padding",
                            "max_length",
                            "maxLength",
                            Integer.toString(maxLength),
                            "addSpecialTokens",
                            "true"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Tokenises a batch with DJL's batch encoder and makes the BERT inputs.
     *
     * @param tokenizer from {@link #djlTokenizer}
     * @param texts the texts
     * @param maxLength the padded length
     * @param manager creates the arrays
     * @return token ids, token type ids, attention mask: (batch, maxLength) int32 each
     */
    public static NDList encode(HuggingFaceTokenizer tokenizer, List<String> texts, int maxLength, NDManager manager) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int n = encodings.length;
        int[] ids = new int[n * maxLength];
        int[] types = new int[n * maxLength];
        int[] mask = new int[n * maxLength];
        for (int i = 0; i < n; i++) {
            long[] e = encodings[i].getIds();
            long[] t = encodings[i].getTypeIds();
            long[] m = encodings[i].getAttentionMask();
            if (e.length != maxLength) {
                throw new IllegalStateException("Tokenizer gave " + e.length + " tokens, expected " + maxLength);
            }
            for (int j = 0; j < maxLength; j++) {
                ids[i * maxLength + j] = (int) e[j];
                types[i * maxLength + j] = (int) t[j];
                mask[i * maxLength + j] = (int) m[j];
            }
        }
        Shape shape = new Shape(n, maxLength);
        NDArray a = manager.create(ids, shape);
        NDArray b = manager.create(types, shape);
        NDArray c = manager.create(mask, shape);
        return new NDList(a, b, c);
    }
}
