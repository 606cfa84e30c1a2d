package io.tl4j.nlp.text;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.tl4j.core.InputPipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The input pipeline of BERT backbones: texts become one int32 array (batch, 3, maxLength) holding
 * input ids, attention mask and token type ids, each text as {@code [CLS] text [SEP]} truncated to
 * {@code maxLength} tokens and padded. BERT layers compute only up to the longest text of a batch,
 * so padding costs little. Deterministic: frozen layers' features can be cached.
 */
public final class TextPipeline implements InputPipeline<String> {

    /** The id under which saved models find this pipeline again. */
    public static final String ID = "tl4j.text";

    private final TextEncoder encoder;

    private TextPipeline(TextEncoder encoder) {
        this.encoder = encoder;
    }

    /**
     * Creates a pipeline for texts with a tokenizer and a maximum sequence length.
     *
     * @param tokenizer the tokenizer
     * @param maxLength the longest sequence in tokens, {@code [CLS]} and {@code [SEP]} included;
     *     at most the model's positions (512 for BERT)
     * @return the pipeline
     */
    public static TextPipeline of(TextTokenizer tokenizer, int maxLength) {
        return new TextPipeline(new TextEncoder(tokenizer, maxLength));
    }

    /** Returns the encoder: tokenizer, maximum length, truncation count. */
    public TextEncoder encoder() {
        return encoder;
    }

    /** Returns the tokenizer. */
    public TextTokenizer tokenizer() {
        return encoder.tokenizer();
    }

    /** Returns the longest sequence in tokens. */
    public int maxLength() {
        return encoder.maxLength();
    }

    @Override
    public Shape sampleShape() {
        return new Shape(3, encoder.maxLength());
    }

    @Override
    public NDList batch(NDManager manager, List<String> inputs, boolean training, Random random) {
        return new NDList(encoder.batch(manager, encoder.encodeAll(inputs)));
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
    public Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("maxLength", Integer.toString(encoder.maxLength()));
        config.put("tokenizer", encoder.tokenizer().kind());
        encoder.tokenizer().config().forEach((k, v) -> config.put("tokenizer." + k, v));
        return config;
    }

    /**
     * Rebuilds a pipeline from {@link #config()}.
     *
     * @param config the configuration
     * @return the pipeline
     * @throws IllegalArgumentException for an unknown tokenizer kind
     */
    public static TextPipeline fromConfig(Map<String, String> config) {
        Map<String, String> tokenizerConfig = new LinkedHashMap<>();
        config.forEach((k, v) -> {
            if (k.startsWith("tokenizer.")) {
                tokenizerConfig.put(k.substring("tokenizer.".length()), v);
            }
        });
        String kind = config.get("tokenizer");
        TextTokenizer tokenizer;
        if (HfTokenizer.KIND.equals(kind)) {
            tokenizer = HfTokenizer.fromConfig(tokenizerConfig);
        } else if (WordPieceTokenizer.KIND.equals(kind)) {
            tokenizer = WordPieceTokenizer.fromConfig(tokenizerConfig);
        } else {
            throw new IllegalArgumentException("Unknown tokenizer kind '" + kind + "'; known: "
                    + HfTokenizer.KIND + ", " + WordPieceTokenizer.KIND);
        }
        return of(tokenizer, Integer.parseInt(config.get("maxLength")));
    }
}
