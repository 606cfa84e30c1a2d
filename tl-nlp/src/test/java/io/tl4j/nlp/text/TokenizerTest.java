package io.tl4j.nlp.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WordPiece from a vocab.txt against Hugging Face's tokenizer on the same vocabulary; encoding rules. */
class TokenizerTest {

    private static HfTokenizer hf;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in =
                TokenizerTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            hf = HfTokenizer.read(in, "all-minilm-l6-v2-tokenizer.json");
        }
    }

    @AfterAll
    static void close() {
        hf.close();
    }

    static final List<String> TEXTS = List.of(
            "",
            "Hello, World!",
            "The quick brown fox jumps over the lazy dog.",
            "Tokenization of unbelievably long words: antidisestablishmentarianism, pneumonoultramicroscopic.",
            "naïve café résumé Zürich ÉCOLE façade",
            "東京タワー and 北京 are written with CJK characters",
            "e-mail me at john.doe@example.com (or call +1-555-0100)!!!",
            "tabs\tand\nnewlines\r\nand   spaces",
            "the capital of france is [MASK] .",
            "emoji 🙂 and symbols © ® ™ € £ ¥ § ¶",
            "ALL CAPS SHOUTING AND MiXeD CaSe",
            "numbers 3.14159 1,000,000 42nd 1990s",
            "zero\u200bwidth\u00adsoft hyphen and control\u0007char",
            "x".repeat(120) + " after a word longer than one hundred characters");

    @Test
    void wordPieceMatchesHuggingFaceOnTheSameVocabulary() {
        WordPieceTokenizer wordPiece = WordPieceTokenizer.of(hf.vocabulary(), true);
        assertThat(wordPiece.vocabularySize()).isEqualTo(30522);
        for (String text : TEXTS) {
            assertThat(wordPiece.tokenize(text)).as(text).isEqualTo(hf.tokenize(text));
            assertThat(wordPiece.encode(text)).as(text).isEqualTo(hf.encode(text));
        }
        long[][] batched = hf.encodeAll(TEXTS);
        long[][] wordPieceBatched = wordPiece.encodeAll(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(batched[i]).as("batched: " + TEXTS.get(i)).isEqualTo(hf.encode(TEXTS.get(i)));
            assertThat(wordPieceBatched[i]).as("batched: " + TEXTS.get(i)).isEqualTo(hf.encode(TEXTS.get(i)));
        }
        assertThatThrownBy(() -> hf.encodeAll(java.util.Arrays.asList("a", null)))
                .hasMessage("Text 1 of the batch is null");
        assertThat(wordPiece.tokenize("the capital of france is [MASK] .")).contains("[MASK]");
        assertThat(wordPiece.tokenize("unbelievably")).containsExactly("un", "##bel", "##ie", "##va", "##bly");
        assertThat(wordPiece.tokenize("antidisestablishmentarianism").get(1)).startsWith("##");
    }

    @Test
    void vocabFileRoundTripAndBadVocabularies(@TempDir Path dir) throws IOException {
        Path vocab = dir.resolve("vocab.txt");
        Files.write(vocab, hf.vocabulary());
        WordPieceTokenizer fromFile = WordPieceTokenizer.read(vocab, true);
        assertThat(fromFile.encode(TEXTS.get(2))).isEqualTo(hf.encode(TEXTS.get(2)));
        WordPieceTokenizer restored = WordPieceTokenizer.fromConfig(fromFile.config());
        assertThat(restored.encode(TEXTS.get(4))).isEqualTo(fromFile.encode(TEXTS.get(4)));

        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n");
        assertThatThrownBy(() -> WordPieceTokenizer.read(empty, true))
                .hasMessageContaining("empty.txt")
                .hasMessageContaining("empty");
        Path noUnk = Files.writeString(dir.resolve("nounk.txt"), "[PAD]\nhello\n");
        assertThatThrownBy(() -> WordPieceTokenizer.read(noUnk, true))
                .hasMessageContaining("nounk.txt")
                .hasMessageContaining("[UNK]");
        Path notJson = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
        assertThatThrownBy(() -> HfTokenizer.read(notJson))
                .hasMessageContaining("tokenizer.json")
                .hasMessageContaining("model.vocab");
    }

    @Test
    void encoderAddsSpecialTokensTruncatesAndPads() {
        TextEncoder encoder = new TextEncoder(hf, 8);
        TextEncoder.Encoded empty = encoder.encode("");
        assertThat(empty.ids()).containsExactly(101, 102);
        TextEncoder.Encoded longText = encoder.encode("one two three four five six seven eight nine");
        assertThat(longText.ids()).hasSize(8);
        assertThat(longText.ids()[0]).isEqualTo(101);
        assertThat(longText.ids()[7]).isEqualTo(102);
        assertThat(encoder.truncatedCount()).isEqualTo(1);

        TextEncoder.Encoded pair = encoder.encodePair("one two three four five", "six");
        // longest first: "one two three four" is cut to fit [CLS] a [SEP] b [SEP] in 8
        assertThat(pair.ids()).hasSize(8);
        assertThat(pair.ids())
                .containsExactly(
                        101, hf.id("one"), hf.id("two"), hf.id("three"), hf.id("four"), 102, hf.id("six"), 102);
        assertThat(pair.typeIds()).containsExactly(0, 0, 0, 0, 0, 0, 1, 1);
        assertThat(encoder.truncatedCount()).isEqualTo(2);

        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = encoder.batch(manager, List.of(empty, pair));
            assertThat(batch.getShape().getShape()).containsExactly(2, 3, 8);
            int[] ids =
                    java.util.Arrays.stream(pair.ids()).mapToInt(v -> (int) v).toArray();
            assertThat(batch.toIntArray())
                    .containsExactly(
                            101, 102, 0, 0, 0, 0, 0, 0, /* mask */ 1, 1, 0, 0, 0, 0, 0, 0, /* types */ 0, 0, 0, 0, 0, 0,
                            0, 0, ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], 1, 1, 1, 1, 1, 1, 1,
                            1, /* types */ 0, 0, 0, 0, 0, 0, 1, 1);
        }
        assertThatThrownBy(() -> new TextEncoder(hf, 2)).hasMessageContaining("at least 3");
    }

    @Test
    void pipelineRejectsNullTextsAndRoundTripsItsConfig() {
        TextPipeline pipeline = TextPipeline.of(hf, 16);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> pipeline.batch(manager, java.util.Arrays.asList("ok", null), false, null))
                    .hasMessageContaining("Text 1");
            TextPipeline.Config config = pipeline.config();
            TextPipeline restored = TextPipeline.fromConfig(config);
            assertThat(restored.batch(manager, TEXTS, false, null).head().toIntArray())
                    .isEqualTo(
                            pipeline.batch(manager, TEXTS, false, null).head().toIntArray());
            assertThat(restored.sampleShape()).isEqualTo(pipeline.sampleShape());
        }
    }
}
