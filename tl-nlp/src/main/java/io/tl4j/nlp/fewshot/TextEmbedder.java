package io.tl4j.nlp.fewshot;

import java.util.List;

/**
 * Turns texts into fixed-size embedding vectors, e.g. {@code BertEncoder::embed} (mean-pooled
 * all-MiniLM-L6-v2).
 */
@FunctionalInterface
public interface TextEmbedder {

    /**
     * Embeds texts as vectors, one per text, all of the same length.
     *
     * @param texts the texts
     * @return one vector per text, all of the same length
     */
    float[][] embed(List<String> texts);
}
