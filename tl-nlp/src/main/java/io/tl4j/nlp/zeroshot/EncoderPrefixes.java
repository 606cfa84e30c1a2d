package io.tl4j.nlp.zeroshot;

import java.util.Objects;

/**
 * The text a sentence encoder expects in front of each input: some models were trained with a
 * marker on queries and another on passages, and score worse without it. For zero-shot
 * classification the class descriptions take one prefix and the texts to classify the other.
 *
 * @param label the prefix put before each class description
 * @param text the prefix put before each text to classify
 */
public record EncoderPrefixes(String label, String text) {

    /** Checks that neither prefix is null. */
    public EncoderPrefixes {
        Objects.requireNonNull(label, "label prefix");
        Objects.requireNonNull(text, "text prefix");
    }

    /** Returns no prefixes, as all-MiniLM-L6-v2 and other sentence-transformers models expect. */
    public static EncoderPrefixes none() {
        return new EncoderPrefixes("", "");
    }

    /**
     * Returns e5's prefixes for a symmetric task: {@code "query: "} on both sides, as the e5 model
     * cards advise for classification and similarity.
     */
    public static EncoderPrefixes e5() {
        return new EncoderPrefixes("query: ", "query: ");
    }

    /**
     * Returns bge v1.5's retrieval instruction on the class descriptions (the short queries) and
     * nothing on the texts (the passages).
     */
    public static EncoderPrefixes bgeQuery() {
        return new EncoderPrefixes("Represent this sentence for searching relevant passages: ", "");
    }

    String label(String description) {
        return label + description;
    }

    String text(String input) {
        return text + input;
    }
}
