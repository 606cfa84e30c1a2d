package io.tl4j.nlp.text;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.InputPipeline;
import java.util.List;
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

    /**
     * The configuration of a {@link TextPipeline}, as saved models store it: the maximum length and
     * the tokenizer's configuration, in the field of its class (the other is null; both are null
     * for a tokenizer of another class, which is not stored).
     *
     * @param maxLength the longest sequence in tokens
     * @param wordPiece the configuration of a {@link WordPieceTokenizer}
     * @param huggingFace the configuration of an {@link HfTokenizer}
     */
    public record Config(int maxLength, WordPieceTokenizer.Config wordPiece, HfTokenizer.Config huggingFace) {}

    @Override
    public Config config() {
        Record tokenizer = encoder.tokenizer().config();
        return new Config(
                encoder.maxLength(),
                tokenizer instanceof WordPieceTokenizer.Config w ? w : null,
                tokenizer instanceof HfTokenizer.Config h ? h : null);
    }

    /**
     * Rebuilds a pipeline from {@link #config()}.
     *
     * @param config the configuration
     * @return the pipeline
     * @throws IllegalArgumentException when the configuration holds no tokenizer
     */
    public static TextPipeline fromConfig(Config config) {
        TextTokenizer tokenizer;
        if (config.wordPiece() != null) {
            tokenizer = WordPieceTokenizer.fromConfig(config.wordPiece());
        } else if (config.huggingFace() != null) {
            tokenizer = HfTokenizer.fromConfig(config.huggingFace());
        } else {
            throw new IllegalArgumentException(
                    "TextPipeline config has no tokenizer ('wordPiece' or 'huggingFace'):"
                            + " a pipeline with a tokenizer of another class loads only with TransferModel.load(dir, backbone)");
        }
        return of(tokenizer, config.maxLength());
    }
}
