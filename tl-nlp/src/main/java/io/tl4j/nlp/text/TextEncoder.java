package io.tl4j.nlp.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns texts and text pairs into BERT's inputs: {@code [CLS] a [SEP]} or {@code [CLS] a [SEP] b
 * [SEP]} (token types 0 for the first segment, 1 for the second), truncated to a maximum length
 * (pairs: longest segment first, as Hugging Face) and padded with {@code [PAD]}. Empty text gives
 * just {@code [CLS] [SEP]}. Truncations are counted and logged.
 */
public final class TextEncoder {

    private static final Logger LOG = LoggerFactory.getLogger(TextEncoder.class);

    private final TextTokenizer tokenizer;
    private final int maxLength;
    private final long cls;
    private final long sep;
    private final long pad;
    private final AtomicLong truncated = new AtomicLong();

    /**
     * One encoded sequence, unpadded.
     *
     * @param ids token ids with {@code [CLS]} and {@code [SEP]}
     * @param typeIds 0 for the first segment, 1 for the second
     */
    public record Encoded(long[] ids, long[] typeIds) {
        /** Returns the number of tokens. */
        public int length() {
            return ids.length;
        }
    }

    /**
     * Creates an encoder with a tokenizer and a maximum sequence length.
     *
     * @param tokenizer the tokenizer
     * @param maxLength the longest sequence, special tokens included (at least 3)
     */
    public TextEncoder(TextTokenizer tokenizer, int maxLength) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength must be at least 3, got " + maxLength);
        }
        this.maxLength = maxLength;
        this.cls = tokenizer.id(TextTokenizer.CLS);
        this.sep = tokenizer.id(TextTokenizer.SEP);
        this.pad = tokenizer.id(TextTokenizer.PAD);
    }

    /** Returns the tokenizer. */
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** Returns the longest sequence, special tokens included. */
    public int maxLength() {
        return maxLength;
    }

    /** Returns how many texts (or pairs) were truncated so far. */
    public long truncatedCount() {
        return truncated.get();
    }

    /**
     * Encodes a text as {@code [CLS] text [SEP]}, truncated to the maximum length.
     *
     * @param text a text (null is rejected)
     * @return {@code [CLS] text [SEP]}, truncated to the maximum length
     */
    public Encoded encode(String text) {
        return wrap(tokenizer.encode(Objects.requireNonNull(text, "text is null")));
    }

    /**
     * Encodes texts as {@code [CLS] text [SEP]}, truncated to the maximum length; tokenised in one call where the
     * tokenizer can.
     *
     * @param texts texts, none null
     * @return each as {@code [CLS] text [SEP]}, truncated to the maximum length; tokenised in one
     *     call where the tokenizer can
     */
    public List<Encoded> encodeAll(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("Text " + i + " of the batch is null");
            }
        }
        List<Encoded> out = new ArrayList<>(texts.size());
        for (long[] ids : tokenizer.encodeAll(texts)) {
            out.add(wrap(ids));
        }
        return out;
    }

    private Encoded wrap(long[] a) {
        int keep = Math.min(a.length, maxLength - 2);
        if (keep < a.length) {
            countTruncation(a.length + 2);
        }
        long[] ids = new long[keep + 2];
        ids[0] = cls;
        System.arraycopy(a, 0, ids, 1, keep);
        ids[keep + 1] = sep;
        return new Encoded(ids, new long[ids.length]);
    }

    /**
     * Encodes a pair as {@code [CLS] first [SEP] second [SEP]}, the longer segment truncated first.
     *
     * @param first the first segment
     * @param second the second segment
     * @return {@code [CLS] first [SEP] second [SEP]}, the longer segment truncated first
     */
    public Encoded encodePair(String first, String second) {
        long[] a = tokenizer.encode(Objects.requireNonNull(first, "first text is null"));
        long[] b = tokenizer.encode(Objects.requireNonNull(second, "second text is null"));
        int keepA = a.length;
        int keepB = b.length;
        int budget = maxLength - 3;
        if (budget < 0) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for a pair");
        }
        while (keepA + keepB > budget) {
            if (keepA > keepB) {
                keepA--;
            } else {
                keepB--;
            }
        }
        if (keepA < a.length || keepB < b.length) {
            countTruncation(a.length + b.length + 3);
        }
        long[] ids = new long[keepA + keepB + 3];
        long[] types = new long[ids.length];
        ids[0] = cls;
        System.arraycopy(a, 0, ids, 1, keepA);
        ids[keepA + 1] = sep;
        System.arraycopy(b, 0, ids, keepA + 2, keepB);
        ids[ids.length - 1] = sep;
        for (int i = keepA + 2; i < ids.length; i++) {
            types[i] = 1;
        }
        return new Encoded(ids, types);
    }

    /**
     * Pads encoded sequences to the maximum length and stacks them.
     *
     * @param manager creates the array
     * @param sequences the sequences, each at most the maximum length
     * @return (batch, 3, maxLength) int32: input ids, attention mask, token type ids
     */
    public NDArray batch(NDManager manager, List<Encoded> sequences) {
        return batch(manager, sequences, maxLength);
    }

    /**
     * Pads encoded sequences to {@code length} and stacks them: for inference, where a batch need
     * not be longer than its longest sequence.
     *
     * @param manager creates the array
     * @param sequences the sequences, each at most {@code length} long
     * @param length the length to pad to
     * @return (batch, 3, length) int32: input ids, attention mask, token type ids
     */
    public NDArray batch(NDManager manager, List<Encoded> sequences, int length) {
        int n = sequences.size();
        int[] flat = new int[n * 3 * length];
        for (int i = 0; i < n; i++) {
            Encoded e = sequences.get(i);
            if (e.length() > length) {
                throw new IllegalArgumentException(
                        "Sequence " + i + " has " + e.length() + " tokens, more than " + length);
            }
            int base = i * 3 * length;
            for (int t = 0; t < length; t++) {
                boolean real = t < e.length();
                flat[base + t] = (int) (real ? e.ids()[t] : pad);
                flat[base + length + t] = real ? 1 : 0;
                flat[base + 2 * length + t] = real ? (int) e.typeIds()[t] : 0;
            }
        }
        return manager.create(flat, new Shape(n, 3, length));
    }

    private void countTruncation(int tokens) {
        long total = truncated.incrementAndGet();
        if (Long.bitCount(total) == 1) {
            LOG.warn("Truncated a text of {} tokens to {}; {} text(s) truncated so far", tokens, maxLength, total);
        } else {
            LOG.debug("Truncated a text of {} tokens to {}; {} text(s) truncated so far", tokens, maxLength, total);
        }
    }
}
