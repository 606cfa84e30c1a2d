package io.tl4j.speech.wav2vec2;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The architecture of a wav2vec 2.0 or HuBERT encoder, as in a Hugging Face {@code config.json}
 * ({@code Wav2Vec2Config} / {@code HubertConfig}).
 *
 * <p>Read one with {@link #fromJson(Path)}, take {@link #wav2vec2Base()}, {@link #hubertBase()} or
 * {@link #wav2vec2Large()}, or build your own with {@link #builder()}. Unset fields take Hugging
 * Face's defaults (those of {@code facebook/wav2vec2-base}).
 */
public final class Wav2Vec2Config {

    /** How the convolutional feature extractor normalizes. */
    public enum FeatureNorm {
        /** Per-channel group norm after the first convolution only (base models). */
        GROUP,
        /** Layer norm over channels after every convolution (large models). */
        LAYER
    }

    private final String modelType;
    private final int[] convDim;
    private final int[] convKernel;
    private final int[] convStride;
    private final FeatureNorm featExtractNorm;
    private final boolean convBias;
    private final int hiddenSize;
    private final int numHiddenLayers;
    private final int numAttentionHeads;
    private final int intermediateSize;
    private final int numConvPosEmbeddings;
    private final int numConvPosEmbeddingGroups;
    private final boolean doStableLayerNorm;
    private final float layerNormEps;
    private final float hiddenDropout;
    private final float attentionDropout;
    private final float activationDropout;
    private final float featProjDropout;
    private final float finalDropout;
    private final int vocabSize;

    private Wav2Vec2Config(Builder b) {
        this.modelType = b.modelType;
        this.convDim = b.convDim.clone();
        this.convKernel = b.convKernel.clone();
        this.convStride = b.convStride.clone();
        this.featExtractNorm = b.featExtractNorm;
        this.convBias = b.convBias;
        this.hiddenSize = b.hiddenSize;
        this.numHiddenLayers = b.numHiddenLayers;
        this.numAttentionHeads = b.numAttentionHeads;
        this.intermediateSize = b.intermediateSize;
        this.numConvPosEmbeddings = b.numConvPosEmbeddings;
        this.numConvPosEmbeddingGroups = b.numConvPosEmbeddingGroups;
        this.doStableLayerNorm = b.doStableLayerNorm;
        this.layerNormEps = b.layerNormEps;
        this.hiddenDropout = b.hiddenDropout;
        this.attentionDropout = b.attentionDropout;
        this.activationDropout = b.activationDropout;
        this.featProjDropout = b.featProjDropout;
        this.finalDropout = b.finalDropout;
        this.vocabSize = b.vocabSize;
        validate();
    }

    private void validate() {
        if (convDim.length == 0
                || convDim.length != convKernel.length
                || convDim.length != convStride.length) {
            throw new IllegalArgumentException(
                    "conv_dim, conv_kernel and conv_stride must be non-empty and of equal length, got "
                            + Arrays.toString(convDim) + ", " + Arrays.toString(convKernel) + ", "
                            + Arrays.toString(convStride));
        }
        for (int i = 0; i < convDim.length; i++) {
            if (convDim[i] <= 0 || convKernel[i] <= 0 || convStride[i] <= 0) {
                throw new IllegalArgumentException("conv layer " + i + " has a non-positive size");
            }
        }
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("intermediate_size", intermediateSize);
        positive("num_conv_pos_embeddings", numConvPosEmbeddings);
        positive("num_conv_pos_embedding_groups", numConvPosEmbeddingGroups);
        positive("vocab_size", vocabSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize
                    + " is not divisible by num_attention_heads " + numAttentionHeads);
        }
        if (hiddenSize % numConvPosEmbeddingGroups != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize
                    + " is not divisible by num_conv_pos_embedding_groups " + numConvPosEmbeddingGroups);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** @return a builder with Hugging Face's defaults ({@code facebook/wav2vec2-base}) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@code facebook/wav2vec2-base}: 7 convolutions, group norm, 12 post-LN layers of 768 */
    public static Wav2Vec2Config wav2vec2Base() {
        return builder().build();
    }

    /** @return {@code facebook/hubert-base-ls960}: the same network as wav2vec2-base */
    public static Wav2Vec2Config hubertBase() {
        return builder().modelType("hubert").build();
    }

    /**
     * @return {@code facebook/wav2vec2-large-lv60}: layer-norm feature extractor with biases, 24
     *     pre-LN ("stable layer norm") layers of 1024
     */
    public static Wav2Vec2Config wav2vec2Large() {
        return builder().featExtractNorm(FeatureNorm.LAYER).convBias(true).hiddenSize(1024)
                .numHiddenLayers(24).numAttentionHeads(16).intermediateSize(4096)
                .doStableLayerNorm(true).build();
    }

    /**
     * Reads a Hugging Face {@code config.json}.
     *
     * @param file the file
     * @return the configuration
     * @throws IllegalArgumentException naming the file and field when a field is malformed or the
     *     architecture is not supported
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Wav2Vec2Config fromJson(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        try {
            return fromJson(text);
        } catch (IllegalArgumentException | IllegalStateException | JsonParseException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the text of a Hugging Face {@code config.json}.
     *
     * @param json the JSON text
     * @return the configuration
     * @throws IllegalArgumentException naming the field when a field is malformed or the
     *     architecture is not supported
     */
    public static Wav2Vec2Config fromJson(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        Builder b = builder();
        if (o.has("model_type")) {
            b.modelType(o.get("model_type").getAsString());
        }
        if (!b.modelType.equals("wav2vec2") && !b.modelType.equals("hubert")) {
            throw new IllegalArgumentException("model_type '" + b.modelType
                    + "' is not supported; expected wav2vec2 or hubert");
        }
        String act = o.has("hidden_act") ? o.get("hidden_act").getAsString() : "gelu";
        String featAct = o.has("feat_extract_activation") ? o.get("feat_extract_activation").getAsString() : "gelu";
        if (!act.equals("gelu") || !featAct.equals("gelu")) {
            throw new IllegalArgumentException("hidden_act '" + act + "' / feat_extract_activation '" + featAct
                    + "' is not supported; only gelu");
        }
        requireAbsentOrFalse(o, "conv_pos_batch_norm");
        requireAbsentOrFalse(o, "add_adapter");
        requireAbsentOrFalse(o, "use_weighted_layer_sum");
        if (o.has("feat_proj_layer_norm") && !o.get("feat_proj_layer_norm").getAsBoolean()) {
            throw new IllegalArgumentException("feat_proj_layer_norm=false is not supported");
        }
        if (o.has("conv_dim")) {
            b.conv(ints(o, "conv_dim"), ints(o, "conv_kernel"), ints(o, "conv_stride"));
        }
        if (o.has("feat_extract_norm")) {
            b.featExtractNorm(FeatureNorm.valueOf(o.get("feat_extract_norm").getAsString().toUpperCase(Locale.ROOT)));
        }
        if (o.has("conv_bias")) {
            b.convBias(o.get("conv_bias").getAsBoolean());
        }
        if (o.has("hidden_size")) {
            b.hiddenSize(o.get("hidden_size").getAsInt());
        }
        if (o.has("num_hidden_layers")) {
            b.numHiddenLayers(o.get("num_hidden_layers").getAsInt());
        }
        if (o.has("num_attention_heads")) {
            b.numAttentionHeads(o.get("num_attention_heads").getAsInt());
        }
        if (o.has("intermediate_size")) {
            b.intermediateSize(o.get("intermediate_size").getAsInt());
        }
        if (o.has("num_conv_pos_embeddings")) {
            b.numConvPosEmbeddings(o.get("num_conv_pos_embeddings").getAsInt());
        }
        if (o.has("num_conv_pos_embedding_groups")) {
            b.numConvPosEmbeddingGroups(o.get("num_conv_pos_embedding_groups").getAsInt());
        }
        if (o.has("do_stable_layer_norm")) {
            b.doStableLayerNorm(o.get("do_stable_layer_norm").getAsBoolean());
        }
        if (o.has("layer_norm_eps")) {
            b.layerNormEps(o.get("layer_norm_eps").getAsFloat());
        }
        if (o.has("hidden_dropout")) {
            b.hiddenDropout(o.get("hidden_dropout").getAsFloat());
        }
        if (o.has("attention_dropout")) {
            b.attentionDropout(o.get("attention_dropout").getAsFloat());
        }
        if (o.has("activation_dropout")) {
            b.activationDropout(o.get("activation_dropout").getAsFloat());
        }
        if (o.has("feat_proj_dropout")) {
            b.featProjDropout(o.get("feat_proj_dropout").getAsFloat());
        }
        if (o.has("final_dropout")) {
            b.finalDropout(o.get("final_dropout").getAsFloat());
        }
        if (o.has("vocab_size") && !o.get("vocab_size").isJsonNull()) {
            b.vocabSize(o.get("vocab_size").getAsInt());
        }
        return b.build();
    }

    private static void requireAbsentOrFalse(JsonObject o, String field) {
        if (o.has(field) && o.get(field).getAsBoolean()) {
            throw new IllegalArgumentException(field + "=true is not supported");
        }
    }

    private static int[] ints(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonArray()) {
            throw new IllegalArgumentException("field " + field + " must be a list of integers");
        }
        JsonArray a = e.getAsJsonArray();
        int[] values = new int[a.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = a.get(i).getAsInt();
        }
        return values;
    }

    /** @return {@code wav2vec2} or {@code hubert} */
    public String modelType() {
        return modelType;
    }

    /** @return the output channels of each feature-extractor convolution */
    public int[] convDim() {
        return convDim.clone();
    }

    /** @return the kernel size of each feature-extractor convolution */
    public int[] convKernel() {
        return convKernel.clone();
    }

    /** @return the stride of each feature-extractor convolution */
    public int[] convStride() {
        return convStride.clone();
    }

    /** @return how the feature extractor normalizes */
    public FeatureNorm featExtractNorm() {
        return featExtractNorm;
    }

    /** @return whether the feature-extractor convolutions have biases */
    public boolean convBias() {
        return convBias;
    }

    /** @return the transformer width */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** @return the number of transformer layers */
    public int numHiddenLayers() {
        return numHiddenLayers;
    }

    /** @return the number of attention heads */
    public int numAttentionHeads() {
        return numAttentionHeads;
    }

    /** @return the width of the feed-forward layers */
    public int intermediateSize() {
        return intermediateSize;
    }

    /** @return the kernel size of the convolutional positional embedding */
    public int numConvPosEmbeddings() {
        return numConvPosEmbeddings;
    }

    /** @return the groups of the convolutional positional embedding */
    public int numConvPosEmbeddingGroups() {
        return numConvPosEmbeddingGroups;
    }

    /** @return true for pre-LN layers (large models), false for post-LN (base models) */
    public boolean doStableLayerNorm() {
        return doStableLayerNorm;
    }

    /** @return the epsilon of every layer norm */
    public float layerNormEps() {
        return layerNormEps;
    }

    /** @return dropout after attention, feed-forward and positional embedding */
    public float hiddenDropout() {
        return hiddenDropout;
    }

    /** @return dropout on the attention probabilities */
    public float attentionDropout() {
        return attentionDropout;
    }

    /** @return dropout inside the feed-forward layers */
    public float activationDropout() {
        return activationDropout;
    }

    /** @return dropout after the feature projection */
    public float featProjDropout() {
        return featProjDropout;
    }

    /** @return dropout before a CTC head */
    public float finalDropout() {
        return finalDropout;
    }

    /** @return the CTC vocabulary size of a {@code Wav2Vec2ForCTC} checkpoint */
    public int vocabSize() {
        return vocabSize;
    }

    /** @return the channels the feature extractor outputs */
    public int extractorChannels() {
        return convDim[convDim.length - 1];
    }

    /**
     * @param samples the number of input samples
     * @return the number of frames the feature extractor makes of them (0 when too short)
     */
    public long frames(long samples) {
        long length = samples;
        for (int i = 0; i < convKernel.length; i++) {
            length = Math.max(0, Math.floorDiv(length - convKernel[i], convStride[i]) + 1);
        }
        return length;
    }

    /** @return the fewest input samples that make one frame (400 for the published models) */
    public long receptiveField() {
        long samples = 1;
        for (int i = convKernel.length - 1; i >= 0; i--) {
            samples = (samples - 1) * convStride[i] + convKernel[i];
        }
        return samples;
    }

    /**
     * @return this configuration as Hugging Face {@code config.json} text (the fields this class
     *     reads)
     */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("model_type", modelType);
        o.add("conv_dim", array(convDim));
        o.add("conv_kernel", array(convKernel));
        o.add("conv_stride", array(convStride));
        o.addProperty("feat_extract_norm", featExtractNorm.name().toLowerCase(Locale.ROOT));
        o.addProperty("conv_bias", convBias);
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("num_hidden_layers", numHiddenLayers);
        o.addProperty("num_attention_heads", numAttentionHeads);
        o.addProperty("intermediate_size", intermediateSize);
        o.addProperty("num_conv_pos_embeddings", numConvPosEmbeddings);
        o.addProperty("num_conv_pos_embedding_groups", numConvPosEmbeddingGroups);
        o.addProperty("do_stable_layer_norm", doStableLayerNorm);
        o.addProperty("layer_norm_eps", layerNormEps);
        o.addProperty("hidden_dropout", hiddenDropout);
        o.addProperty("attention_dropout", attentionDropout);
        o.addProperty("activation_dropout", activationDropout);
        o.addProperty("feat_proj_dropout", featProjDropout);
        o.addProperty("final_dropout", finalDropout);
        o.addProperty("vocab_size", vocabSize);
        return o.toString();
    }

    private static JsonArray array(int[] values) {
        JsonArray a = new JsonArray();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Wav2Vec2Config c && c.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "Wav2Vec2Config" + toJson();
    }

    /** Builds a {@link Wav2Vec2Config}; every field starts at Hugging Face's default. */
    public static final class Builder {
        private String modelType = "wav2vec2";
        private int[] convDim = {512, 512, 512, 512, 512, 512, 512};
        private int[] convKernel = {10, 3, 3, 3, 3, 2, 2};
        private int[] convStride = {5, 2, 2, 2, 2, 2, 2};
        private FeatureNorm featExtractNorm = FeatureNorm.GROUP;
        private boolean convBias;
        private int hiddenSize = 768;
        private int numHiddenLayers = 12;
        private int numAttentionHeads = 12;
        private int intermediateSize = 3072;
        private int numConvPosEmbeddings = 128;
        private int numConvPosEmbeddingGroups = 16;
        private boolean doStableLayerNorm;
        private float layerNormEps = 1e-5f;
        private float hiddenDropout = 0.1f;
        private float attentionDropout = 0.1f;
        private float activationDropout = 0.1f;
        private float featProjDropout;
        private float finalDropout = 0.1f;
        private int vocabSize = 32;

        private Builder() {}

        /**
         * @param modelType {@code wav2vec2} or {@code hubert} (same network, recorded for provenance)
         * @return this builder
         */
        public Builder modelType(String modelType) {
            this.modelType = modelType;
            return this;
        }

        /**
         * @param dims output channels per convolution
         * @param kernels kernel size per convolution
         * @param strides stride per convolution
         * @return this builder
         */
        public Builder conv(int[] dims, int[] kernels, int[] strides) {
            this.convDim = dims.clone();
            this.convKernel = kernels.clone();
            this.convStride = strides.clone();
            return this;
        }

        /**
         * @param norm the feature extractor's normalization
         * @return this builder
         */
        public Builder featExtractNorm(FeatureNorm norm) {
            this.featExtractNorm = norm;
            return this;
        }

        /**
         * @param convBias whether the feature-extractor convolutions have biases
         * @return this builder
         */
        public Builder convBias(boolean convBias) {
            this.convBias = convBias;
            return this;
        }

        /**
         * @param hiddenSize the transformer width
         * @return this builder
         */
        public Builder hiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        /**
         * @param layers the number of transformer layers
         * @return this builder
         */
        public Builder numHiddenLayers(int layers) {
            this.numHiddenLayers = layers;
            return this;
        }

        /**
         * @param heads the number of attention heads
         * @return this builder
         */
        public Builder numAttentionHeads(int heads) {
            this.numAttentionHeads = heads;
            return this;
        }

        /**
         * @param size the feed-forward width
         * @return this builder
         */
        public Builder intermediateSize(int size) {
            this.intermediateSize = size;
            return this;
        }

        /**
         * @param kernel the positional convolution's kernel size
         * @return this builder
         */
        public Builder numConvPosEmbeddings(int kernel) {
            this.numConvPosEmbeddings = kernel;
            return this;
        }

        /**
         * @param groups the positional convolution's groups
         * @return this builder
         */
        public Builder numConvPosEmbeddingGroups(int groups) {
            this.numConvPosEmbeddingGroups = groups;
            return this;
        }

        /**
         * @param stable true for pre-LN layers
         * @return this builder
         */
        public Builder doStableLayerNorm(boolean stable) {
            this.doStableLayerNorm = stable;
            return this;
        }

        /**
         * @param eps the layer norms' epsilon
         * @return this builder
         */
        public Builder layerNormEps(float eps) {
            this.layerNormEps = eps;
            return this;
        }

        /**
         * @param p dropout after attention, feed-forward and positional embedding
         * @return this builder
         */
        public Builder hiddenDropout(float p) {
            this.hiddenDropout = p;
            return this;
        }

        /**
         * @param p dropout on attention probabilities
         * @return this builder
         */
        public Builder attentionDropout(float p) {
            this.attentionDropout = p;
            return this;
        }

        /**
         * @param p dropout inside the feed-forward layers
         * @return this builder
         */
        public Builder activationDropout(float p) {
            this.activationDropout = p;
            return this;
        }

        /**
         * @param p dropout after the feature projection
         * @return this builder
         */
        public Builder featProjDropout(float p) {
            this.featProjDropout = p;
            return this;
        }

        /**
         * @param p dropout before a CTC head
         * @return this builder
         */
        public Builder finalDropout(float p) {
            this.finalDropout = p;
            return this;
        }

        /**
         * @param vocabSize the CTC vocabulary size
         * @return this builder
         */
        public Builder vocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /**
         * Sets every dropout probability at once (0 for deterministic training in tests).
         *
         * @param p the probability
         * @return this builder
         */
        public Builder allDropouts(float p) {
            return hiddenDropout(p).attentionDropout(p).activationDropout(p).featProjDropout(p).finalDropout(p);
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException when sizes are inconsistent
         */
        public Wav2Vec2Config build() {
            return new Wav2Vec2Config(this);
        }
    }
}
