package io.tl4j.nlp.text;

import java.util.Objects;

/**
 * Two texts classified together (premise and hypothesis, question and passage, two sentences to
 * compare), encoded as {@code [CLS] first [SEP] second [SEP]} with token types 0 and 1.
 *
 * @param first the first text
 * @param second the second text
 */
public record TextPair(String first, String second) {

    /** Rejects null texts. */
    public TextPair {
        Objects.requireNonNull(first, "first text is null");
        Objects.requireNonNull(second, "second text is null");
    }
}
