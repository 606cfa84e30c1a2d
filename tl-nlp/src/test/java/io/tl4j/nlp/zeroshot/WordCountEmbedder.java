package io.tl4j.nlp.zeroshot;

import io.tl4j.nlp.fewshot.TextEmbedder;
import java.util.ArrayList;
import java.util.List;

/**
 * A test encoder: one dimension per known word (counts), plus a first dimension every text and
 * the word "email" share; it records what it was asked to embed.
 */
final class WordCountEmbedder implements TextEmbedder {

    static final List<String> WORDS = List.of("email", "cheap", "money", "offer", "project", "meeting");

    final List<String> seen = new ArrayList<>();

    @Override
    public float[][] embed(List<String> texts) {
        seen.addAll(texts);
        float[][] out = new float[texts.size()][WORDS.size() + 1];
        for (int i = 0; i < texts.size(); i++) {
            out[i][0] = 1;
            for (String word : texts.get(i).toLowerCase(java.util.Locale.ROOT).split("[^a-z]+")) {
                int index = WORDS.indexOf(word);
                if (index == 0) {
                    out[i][0] += 1;
                } else if (index > 0) {
                    out[i][index + 1] += 1;
                }
            }
        }
        return out;
    }
}
