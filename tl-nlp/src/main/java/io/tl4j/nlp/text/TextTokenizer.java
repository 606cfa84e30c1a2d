package io.tl4j.nlp.text;

import java.util.List;

/**
 * Splits text into the word pieces of a BERT vocabulary and maps them to ids. Special tokens
 * ({@code [CLS]}, {@code [SEP]}, {@code [PAD]}, {@code [MASK]}, {@code [UNK]}) written in the text
 * stay whole; {@link TextEncoder} adds {@code [CLS]}/{@code [SEP]} and padding.
 */
public interface TextTokenizer {

    /** The classification token that starts every sequence. */
    String CLS = "[CLS]";
    /** The separator that ends each segment. */
    String SEP = "[SEP]";
    /** Padding. */
    String PAD = "[PAD]";
    /** The token masked-word prediction fills in. */
    String MASK = "[MASK]";
    /** The unknown token. */
    String UNK = "[UNK]";

    /**
     * Splits a text into word pieces, without {@code [CLS]} and {@code [SEP]}.
     *
     * @param text any text, possibly empty
     * @return its word pieces, without {@code [CLS]} and {@code [SEP]}
     */
    List<String> tokenize(String text);

    /**
     * Returns the ids of a text's word pieces, without {@code [CLS]} and {@code [SEP]}.
     *
     * @param text any text, possibly empty
     * @return the ids of its word pieces, without {@code [CLS]} and {@code [SEP]}
     */
    long[] encode(String text);

    /**
     * Encodes several texts; tokenizers that can (Hugging Face's) do it in one native call.
     *
     * @param texts texts, none null
     * @return per text, the ids of its word pieces, without {@code [CLS]} and {@code [SEP]}
     */
    default long[][] encodeAll(List<String> texts) {
        long[][] out = new long[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(texts.get(i));
        }
        return out;
    }

    /**
     * Returns the id of a word piece.
     *
     * @param token a word piece
     * @return its id
     * @throws IllegalArgumentException when the vocabulary lacks it
     */
    long id(String token);

    /**
     * Returns the word piece of an id.
     *
     * @param id a token id
     * @return its word piece
     * @throws IllegalArgumentException when the id is outside the vocabulary
     */
    String token(long id);

    /** Returns the number of tokens in the vocabulary. */
    int vocabularySize();

    /**
     * Returns the configuration (vocabulary included) that rebuilds this tokenizer: a {@link
     * WordPieceTokenizer.Config} or an {@link HfTokenizer.Config} for tl-nlp's tokenizers, which a
     * saved {@link TextPipeline} stores; a tokenizer of another class is not stored, and a model using
     * it loads back with {@code TransferModel.load(dir, backbone)}.
     *
     * @return the configuration
     */
    Record config();
}
