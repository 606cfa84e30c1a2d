package io.tl4j.nlp.bert;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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

        /** @return the name in a Hugging Face config */
        public String hfName() {
            return hfName;
        }

        /**
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

    /** Checks that the sizes fit together. */
    public BertConfig {
        if (vocabSize <= 0 || hiddenSize <= 0 || numLayers <= 0 || numHeads <= 0 || intermediateSize <= 0
                || maxPositions <= 0 || typeVocabSize <= 0) {
            throw new IllegalArgumentException("BERT sizes must be positive: vocab=" + vocabSize + ", hidden="
                    + hiddenSize + ", layers=" + numLayers + ", heads=" + numHeads + ", intermediate="
                    + intermediateSize + ", positions=" + maxPositions + ", types=" + typeVocabSize);
        }
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numHeads);
        }
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
        return new BertConfig(vocabSize, hiddenSize, numLayers, numHeads, intermediateSize,
                HiddenActivation.GELU, 1e-12f, 512, 2, 0.1f, 0.1f);
    }

    /** @return the width of one attention head */
    public int headSize() {
        return hiddenSize / numHeads;
    }

    /**
     * @param eps the layer-norm epsilon
     * @return a copy with it
     */
    public BertConfig withLayerNormEps(float eps) {
        return new BertConfig(vocabSize, hiddenSize, numLayers, numHeads, intermediateSize, activation, eps,
                maxPositions, typeVocabSize, hiddenDropout, attentionDropout);
    }

    /**
     * @param hidden dropout after embeddings and sublayers
     * @param attention dropout on attention probabilities
     * @return a copy with these dropout rates
     */
    public BertConfig withDropout(float hidden, float attention) {
        return new BertConfig(vocabSize, hiddenSize, numLayers, numHeads, intermediateSize, activation,
                layerNormEps, maxPositions, typeVocabSize, hidden, attention);
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
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read BERT config " + file, e);
        }
        try {
            return fromJson(text);
        } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("Bad BERT config " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the text of a Hugging Face {@code config.json}.
     *
     * @param json the JSON text
     * @return the configuration
     * @throws IllegalArgumentException naming the key when a required key is missing or wrong
     */
    public static BertConfig fromJson(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (e.getValue().isJsonPrimitive()) {
                values.put(e.getKey(), e.getValue().getAsString());
            }
        }
        return fromMap(values);
    }

    /**
     * Builds a configuration from Hugging Face key names ({@link #toMap()}'s output or a parsed
     * {@code config.json}); optional keys take BERT's defaults.
     *
     * @param map the values by Hugging Face key
     * @return the configuration
     * @throws IllegalArgumentException naming the key when a required key is missing or wrong
     */
    public static BertConfig fromMap(Map<String, String> map) {
        return new BertConfig(
                intOf(map, "vocab_size", null),
                intOf(map, "hidden_size", null),
                intOf(map, "num_hidden_layers", null),
                intOf(map, "num_attention_heads", null),
                intOf(map, "intermediate_size", null),
                HiddenActivation.fromHfName(map.getOrDefault("hidden_act", "gelu")),
                floatOf(map, "layer_norm_eps", 1e-12f),
                intOf(map, "max_position_embeddings", 512),
                intOf(map, "type_vocab_size", 2),
                floatOf(map, "hidden_dropout_prob", 0.1f),
                floatOf(map, "attention_probs_dropout_prob", 0.1f));
    }

    /** @return the configuration under Hugging Face's key names */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("vocab_size", Integer.toString(vocabSize));
        map.put("hidden_size", Integer.toString(hiddenSize));
        map.put("num_hidden_layers", Integer.toString(numLayers));
        map.put("num_attention_heads", Integer.toString(numHeads));
        map.put("intermediate_size", Integer.toString(intermediateSize));
        map.put("hidden_act", activation.hfName());
        map.put("layer_norm_eps", Float.toString(layerNormEps));
        map.put("max_position_embeddings", Integer.toString(maxPositions));
        map.put("type_vocab_size", Integer.toString(typeVocabSize));
        map.put("hidden_dropout_prob", Float.toString(hiddenDropout));
        map.put("attention_probs_dropout_prob", Float.toString(attentionDropout));
        return map;
    }

    /** @return the configuration as a Hugging Face {@code config.json} text */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("model_type", "bert");
        toMap().forEach((k, v) -> {
            if (k.equals("hidden_act")) {
                o.addProperty(k, v);
            } else if (v.contains(".") || v.contains("E")) {
                o.addProperty(k, Double.parseDouble(v));
            } else {
                o.addProperty(k, Long.parseLong(v));
            }
        });
        return o.toString();
    }

    private static int intOf(Map<String, String> map, String key, Integer fallback) {
        String value = map.get(key);
        if (value == null) {
            if (fallback == null) {
                throw new IllegalArgumentException("missing required key '" + key + "'");
            }
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("key '" + key + "' is not an integer: " + value, e);
        }
    }

    private static float floatOf(Map<String, String> map, String key, float fallback) {
        String value = map.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Float.parseFloat(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("key '" + key + "' is not a number: " + value, e);
        }
    }
}
