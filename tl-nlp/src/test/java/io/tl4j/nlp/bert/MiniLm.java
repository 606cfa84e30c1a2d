package io.tl4j.nlp.bert;

import java.util.List;

/** all-MiniLM-L6-v2 from the langchain4j test dependency, loaded once for every test class. */
final class MiniLm {

    /** Texts of mixed length: empty, one word, sentences, and one longer than 128 tokens. */
    static final List<String> TEXTS = List.of(
            "",
            "Hello!",
            "The cat sat on the mat.",
            "A kitten is sleeping on the rug in the living room.",
            "Stock markets fell sharply on Tuesday after the central bank raised interest rates again.",
            "Transfer learning reuses a network trained on a large dataset. ".repeat(14).trim(),
            "naïve café résumé — Zürich's ÉCOLE, 東京 and emojis 🙂 are tokenised too.");

    private static BertEncoder encoder;

    private MiniLm() {}

    static synchronized BertEncoder encoder() {
        if (encoder == null) {
            encoder = Bert.allMiniLmL6V2();
        }
        return encoder;
    }
}
