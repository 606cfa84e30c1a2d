package io.tl4j.nlp.bert;

/**
 * The inputs a BERT encoder's network receives for a list of texts, one row per text, under
 * Hugging Face's names: {@code [CLS] text [SEP]} ids, truncated to the model's positions and padded
 * with {@code [PAD]} to the longest text of the list, as {@code tokenizer(texts, padding=True)}
 * returns them. {@link BertEncoder#tokenize} builds them.
 *
 * @param inputIds per text, the token ids
 * @param attentionMask per text, 1 for a real token and 0 for padding
 * @param tokenTypeIds per text, the segment of each token (0 for a single text)
 */
public record BertInputs(long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds) {

    /**
     * Returns how many real tokens, {@code [CLS]} and {@code [SEP]} included, a text has.
     *
     * @param text the text's index
     * @return the number of ones in its attention mask
     */
    public int length(int text) {
        int n = 0;
        for (long m : attentionMask[text]) {
            n += (int) m;
        }
        return n;
    }
}
