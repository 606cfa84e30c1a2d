package io.tl4j.nlp.bert;

import io.tl4j.core.data.LabeledData;
import java.util.List;

/**
 * all-MiniLM-L6-v2 from the langchain4j test dependency, loaded once for every test class, and a tiny
 * two-topic task for the transfer and few-shot tests.
 */
public final class MiniLm {

    /** The toy task's classes. */
    public static final List<String> CLASSES = List.of("animals", "money");

    /** Texts of mixed length: empty, one word, sentences, and one longer than 128 tokens. */
    static final List<String> TEXTS = List.of(
            "",
            "Hello!",
            "The cat sat on the mat.",
            "A kitten is sleeping on the rug in the living room.",
            "Stock markets fell sharply on Tuesday after the central bank raised interest rates again.",
            "Transfer learning reuses a network trained on a large dataset. "
                    .repeat(14)
                    .trim(),
            "naïve café résumé — Zürich's ÉCOLE, 東京 and emojis 🙂 are tokenised too.");

    private static BertEncoder encoder;

    private MiniLm() {}

    /** @return the shared encoder (closed with the JVM) */
    public static synchronized BertEncoder encoder() {
        if (encoder == null) {
            encoder = Bert.allMiniLmL6V2();
        }
        return encoder;
    }

    /** @return 12 labelled sentences, six about animals and six about money */
    public static LabeledData<String> train() {
        return LabeledData.of(
                List.of(
                        "The dog chased the ball across the garden.",
                        "A cat is sleeping on the warm windowsill.",
                        "Horses graze in the green meadow.",
                        "The parrot repeated every word it heard.",
                        "Our rabbit loves fresh carrots.",
                        "Wolves hunt together in packs.",
                        "The bank raised its interest rates.",
                        "Shares of the company dropped ten percent.",
                        "She opened a savings account with a deposit.",
                        "Inflation makes groceries more expensive.",
                        "The investor sold his bonds at a loss.",
                        "Taxes are due at the end of the quarter."),
                new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1},
                CLASSES);
    }

    /** @return six unseen sentences of the same two topics */
    public static LabeledData<String> test() {
        return LabeledData.of(
                List.of(
                        "A kitten plays with a ball of yarn.",
                        "Elephants walk slowly to the river.",
                        "The puppy barked at the mailman.",
                        "The stock market closed higher today.",
                        "He paid off his mortgage early.",
                        "The loan carries a high interest rate."),
                new int[] {0, 0, 0, 1, 1, 1},
                CLASSES);
    }
}
