package io.tl4j.nlp.fewshot;

import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;

import java.util.List;

/** A tiny two-topic task and all-MiniLM-L6-v2, loaded once for the few-shot tests. */
final class ToyTopics {

    static final List<String> CLASSES = List.of("animals", "money");

    private static BertEncoder encoder;

    private ToyTopics() {}

    static synchronized BertEncoder encoder() {
        if (encoder == null) {
            encoder = Bert.allMiniLmL6V2();
        }
        return encoder;
    }

    static LabeledData<String> train() {
        return LabeledData.of(List.of(
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
                new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, CLASSES);
    }

    static LabeledData<String> test() {
        return LabeledData.of(List.of(
                "A kitten plays with a ball of yarn.",
                "Elephants walk slowly to the river.",
                "The puppy barked at the mailman.",
                "The stock market closed higher today.",
                "He paid off his mortgage early.",
                "The loan carries a high interest rate."),
                new int[] {0, 0, 0, 1, 1, 1}, CLASSES);
    }
}
