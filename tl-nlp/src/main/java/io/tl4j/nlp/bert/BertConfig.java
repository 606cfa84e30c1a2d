package io.tl4j.nlp.bert;

import io.tl4j.core.nn.HfConfigJson;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The shape of a BERT encoder, as in a Hugging Face {@code config.json}: vocabulary, hidden size,
 * layers, heads, feed-forward size, activation, layer-norm epsilon, positions and token types.
 *
 * @param vocabSize the number of word-piece tokens ({@code vocab_size})
 * @param hiddenSize the width of every token's vector ({@code hidden_size})
 * @param numLayers the number of transformer layers ({@code num_hidden_layers})
 * @param numHeads the number of attention heads ({@code num_attention_heads}); divides hiddenSize
 * @param intermediateSize the feed-forward width ({@code intermediate_size})
 * @param activation the feed-forward activation ({@code hidden_act})
 * @param layerNormEps the layer-norm epsilon ({@code layer_norm_eps})
 * @param maxPositions the number of position embeddings ({@code max_position_embeddings})
 * @param typeVocabSize the number of token types ({@code type_vocab_size})
 * @param hiddenDropout dropout after embeddings and sublayers ({@code hidden_dropout_prob})
 * @param attentionDropout dropout on attention probabilities ({@code attention_probs_dropout_prob})
 */
public record BertConfig(
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        HiddenActivation activation,
        float layerNormEps,
        int maxPositions,
        int typeVocabSize,
        float hiddenDropout,
        float attentionDropout) {

    /** The feed-forward activations BERT checkpoints use. */
    public enum HiddenActivation {
        /** Exact GELU with erf ({@code "gelu"}), BERT's original. */
        GELU("gelu"),
        /** GELU's tanh approximation ({@code "gelu_new"}, {@code "gelu_pytorch_tanh"}). */
        GELU_TANH("gelu_new"),
        /** ReLU ({@code "relu"}). */
        RELU("relu");

        private final String hfName;

        HiddenActivation(String hfName) {
            this.hfName = hfName;
        }

        /** Returns the name Hugging Face configs write for this activation. */
        public String hfName() {
            return hfName;
        }

        /**
         * Returns the activation a Hugging Face {@code hidden_act} value names.
         *
         * @param name a {@code hidden_act} value
         * @return the activation
         * @throws IllegalArgumentException for an activation BERT encoders here do not support
         */
        public static HiddenActivation fromHfName(String name) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "gelu":
                    return GELU;
                case "gelu_new":
                case "gelu_pytorch_tanh":
                case "gelu_fast":
                    return GELU_TANH;
                case "relu":
                    return RELU;
                default:
                    throw new IllegalArgumentException("Unsupported hidden_act '" + name
                            + "'; supported: gelu, gelu_new, gelu_pytorch_tanh, relu");
            }
        }
    }

    /** Checks that the sizes are positive and fit together, naming the Hugging Face keys. */
    public BertConfig {
        HfConfigJson.positive("vocab_size", vocabSize);
        HfConfigJson.positive("hidden_size", hiddenSize);
        HfConfigJson.positive("num_hidden_layers", numLayers);
        HfConfigJson.positive("num_attention_heads", numHeads);
        HfConfigJson.positive("intermediate_size", intermediateSize);
        HfConfigJson.positive("max_position_embeddings", maxPositions);
        HfConfigJson.positive("type_vocab_size", typeVocabSize);
        HfConfigJson.divisible("hidden_size", hiddenSize, "num_attention_heads", numHeads);
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layer_norm_eps must be > 0, got " + layerNormEps);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation is required");
        }
    }

    /**
     * A configuration with BERT's defaults (GELU, epsilon 1e-12, 512 positions, 2 token types,
     * dropout 0.1) for the given sizes.
     *
     * @param vocabSize the vocabulary size
     * @param hiddenSize the hidden size
     * @param numLayers the number of layers
     * @param numHeads the number of attention heads
     * @param intermediateSize the feed-forward size
     * @return the configuration
     */
    public static BertConfig of(int vocabSize, int hiddenSize, int numLayers, int numHeads, int intermediateSize) {
        return new BertConfig(
                vocabSize,
                hiddenSize,
                numLayers,
                numHeads,
                intermediateSize,
                HiddenActivation.GELU,
                1e-12f,
                512,
                2,
                0.1f,
                0.1f);
    }

    /** Returns the width of one attention head. */
    public int headSize() {
        return hiddenSize / numHeads;
    }

    /**
     * Returns a copy with another layer-norm epsilon.
     *
     * @param eps the layer-norm epsilon
     * @return a copy with it
     */
    public BertConfig withLayerNormEps(float eps) {
        return new BertConfig(
                vocabSize,
                hiddenSize,
                numLayers,
                numHeads,
                intermediateSize,
                activation,
                eps,
                maxPositions,
                typeVocabSize,
                hiddenDropout,
                attentionDropout);
    }

    /**
     * Returns a copy with other dropout rates.
     *
     * @param hidden dropout after embeddings and sublayers
     * @param attention dropout on attention probabilities
     * @return a copy with these dropout rates
     */
    public BertConfig withDropout(float hidden, float attention) {
        return new BertConfig(
                vocabSize,
                hiddenSize,
                numLayers,
                numHeads,
                intermediateSize,
                activation,
                layerNormEps,
                maxPositions,
                typeVocabSize,
                hidden,
                attention);
    }

    /**
     * Reads a Hugging Face {@code config.json}.
     *
     * @param file the file
     * @return the configuration
     * @throws IllegalArgumentException naming the file and the key when a key is missing or wrong
     * @throws UncheckedIOException when the file cannot be read
     */
    public static BertConfig read(Path file) {
        return HfConfigJson.read(file, "BERT config", BertConfig::fromJson);
    }

    /**
     * Parses the text of a Hugging Face {@code config.json}.
     *
     * @param json the JSON text
     * @return the configuration
     * @throws IllegalArgumentException naming the key when a required key is missing or wrong
     */
    public static BertConfig fromJson(String json) {
        return HfConfigJson.parse(json, BertConfigJson.class).toConfig();
    }

    /**
     * Returns the configuration as the text of a Hugging Face {@code config.json}.
     *
     * @return the JSON text
     */
    public String toJson() {
        return HfConfigJson.toJson(BertConfigJson.of(this));
    }
}
