package io.tl4j.nlp.text;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.InputPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The input pipeline for text pairs: the same arrays as {@link TextPipeline} (batch, 3, maxLength),
 * each pair as {@code [CLS] first [SEP] second [SEP]} with token types 0 then 1, the longer text
 * truncated first. A BERT backbone takes it with {@code backbone.withPipeline(TextPairPipeline.of(
 * backbone's tokenizer, maxLength))}.
 */
public final class TextPairPipeline implements InputPipeline<TextPair> {

    /** The id under which saved models find this pipeline again. */
    public static final String ID = "tl4j.text-pair";

    private final TextPipeline single;

    private TextPairPipeline(TextPipeline single) {
        this.single = single;
    }

    /**
     * Creates a pipeline for text pairs with a tokenizer and a maximum sequence length.
     *
     * @param tokenizer the tokenizer
     * @param maxLength the longest sequence in tokens, special tokens included
     * @return the pipeline
     */
    public static TextPairPipeline of(TextTokenizer tokenizer, int maxLength) {
        return new TextPairPipeline(TextPipeline.of(tokenizer, maxLength));
    }

    /** Returns the encoder: tokenizer, maximum length, truncation count. */
    public TextEncoder encoder() {
        return single.encoder();
    }

    @Override
    public Shape sampleShape() {
        return single.sampleShape();
    }

    @Override
    public NDList batch(NDManager manager, List<TextPair> inputs, boolean training, Random random) {
        List<TextEncoder.Encoded> encoded = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            TextPair pair = inputs.get(i);
            if (pair == null) {
                throw new IllegalArgumentException("Pair " + i + " of the batch is null");
            }
            encoded.add(single.encoder().encodePair(pair.first(), pair.second()));
        }
        return new NDList(single.encoder().batch(manager, encoded));
    }

    @Override
    public boolean isRandomInTraining() {
        return false;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public TextPipeline.Config config() {
        return single.config();
    }

    /**
     * Rebuilds a pipeline from {@link #config()}.
     *
     * @param config the configuration
     * @return the pipeline
     */
    public static TextPairPipeline fromConfig(TextPipeline.Config config) {
        return new TextPairPipeline(TextPipeline.fromConfig(config));
    }
}
