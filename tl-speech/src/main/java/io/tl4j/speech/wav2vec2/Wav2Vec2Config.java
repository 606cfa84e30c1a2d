package io.tl4j.speech.wav2vec2;

import com.google.gson.annotations.SerializedName;
import io.tl4j.core.nn.HfConfigJson;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The architecture of a wav2vec 2.0 or HuBERT encoder, as in a Hugging Face {@code config.json}
 * ({@code Wav2Vec2Config} / {@code HubertConfig}).
 *
 * <p>Read one with {@link #fromJson(Path)}, take {@link #wav2vec2Base()}, {@link #hubertBase()} or
 * {@link #wav2vec2Large()}, or build your own with {@link #builder()}. Unset fields take Hugging
 * Face's defaults (those of {@code facebook/wav2vec2-base}). The keys are declared in {@link
 * Wav2Vec2ConfigJson}; the variants tl4j does not build are refused by {@link Wav2Vec2Variant}.
 */
public final class Wav2Vec2Config {

    /** How the convolutional feature extractor normalizes. */
    public enum FeatureNorm {
        /** Per-channel group norm after the first convolution only (base models). */
        @SerializedName("group")
        GROUP,
        /** Layer norm over channels after every convolution (large models). */
        @SerializedName("layer")
        LAYER
    }

    private final Wav2Vec2ConfigJson values;

    /** Checks a copy of the given keys; the caller may go on changing its own. */
    Wav2Vec2Config(Wav2Vec2ConfigJson values) {
        this.values = HfConfigJson.copy(values);
        validate();
    }

    private void validate() {
        int[] convDim = values.convDim;
        int[] convKernel = values.convKernel;
        int[] convStride = values.convStride;
        if (convDim == null
                || convKernel == null
                || convStride == null
                || convDim.length == 0
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
        if (values.featExtractNorm == null) {
            throw new IllegalArgumentException("feat_extract_norm must be group or layer");
        }
        HfConfigJson.positive("hidden_size", values.hiddenSize);
        HfConfigJson.positive("num_hidden_layers", values.numHiddenLayers);
        HfConfigJson.positive("num_attention_heads", values.numAttentionHeads);
        HfConfigJson.positive("intermediate_size", values.intermediateSize);
        HfConfigJson.positive("num_conv_pos_embeddings", values.numConvPosEmbeddings);
        HfConfigJson.positive("num_conv_pos_embedding_groups", values.numConvPosEmbeddingGroups);
        HfConfigJson.positive("vocab_size", values.vocabSize);
        HfConfigJson.divisible("hidden_size", values.hiddenSize, "num_attention_heads", values.numAttentionHeads);
        HfConfigJson.divisible(
                "hidden_size", values.hiddenSize, "num_conv_pos_embedding_groups", values.numConvPosEmbeddingGroups);
    }

    /**
     * Returns a builder with Hugging Face's defaults ({@code facebook/wav2vec2-base}).
     *
     * @return the builder
     */
    public static Wav2Vec2ConfigBuilder builder() {
        return new Wav2Vec2ConfigBuilder();
    }

    /**
     * Returns {@code facebook/wav2vec2-base}: 7 convolutions, group norm, 12 post-LN layers of 768.
     *
     * @return the configuration
     */
    public static Wav2Vec2Config wav2vec2Base() {
        return builder().build();
    }

    /**
     * Returns {@code facebook/hubert-base-ls960}: the same network as wav2vec2-base.
     *
     * @return the configuration
     */
    public static Wav2Vec2Config hubertBase() {
        return builder().modelType("hubert").build();
    }

    /**
     * Returns {@code facebook/wav2vec2-large-lv60}: layer-norm feature extractor with biases, 24
     * pre-LN ("stable layer norm") layers of 1024.
     *
     * @return the configuration
     */
    public static Wav2Vec2Config wav2vec2Large() {
        return builder()
                .featExtractNorm(FeatureNorm.LAYER)
                .convBias(true)
                .hiddenSize(1024)
                .numHiddenLayers(24)
                .numAttentionHeads(16)
                .intermediateSize(4096)
                .doStableLayerNorm(true)
                .build();
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
        return HfConfigJson.read(file, "wav2vec 2.0 config", Wav2Vec2Config::fromJson);
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
        HfConfigJson.parse(json, Wav2Vec2Variant.class).requireSupported();
        return new Wav2Vec2Config(HfConfigJson.parse(json, Wav2Vec2ConfigJson.class));
    }

    /** Returns the model type, {@code wav2vec2} or {@code hubert}. */
    public String modelType() {
        return values.modelType;
    }

    /** Returns the output channels of each feature-extractor convolution. */
    public int[] convDim() {
        return values.convDim.clone();
    }

    /** Returns the kernel size of each feature-extractor convolution. */
    public int[] convKernel() {
        return values.convKernel.clone();
    }

    /** Returns the stride of each feature-extractor convolution. */
    public int[] convStride() {
        return values.convStride.clone();
    }

    /** Returns how the feature extractor normalizes. */
    public FeatureNorm featExtractNorm() {
        return values.featExtractNorm;
    }

    /** Returns whether the feature-extractor convolutions have biases. */
    public boolean convBias() {
        return values.convBias;
    }

    /** Returns the transformer width. */
    public int hiddenSize() {
        return values.hiddenSize;
    }

    /** Returns the number of transformer layers. */
    public int numHiddenLayers() {
        return values.numHiddenLayers;
    }

    /** Returns the number of attention heads. */
    public int numAttentionHeads() {
        return values.numAttentionHeads;
    }

    /** Returns the width of the feed-forward layers. */
    public int intermediateSize() {
        return values.intermediateSize;
    }

    /** Returns the kernel size of the convolutional positional embedding. */
    public int numConvPosEmbeddings() {
        return values.numConvPosEmbeddings;
    }

    /** Returns the groups of the convolutional positional embedding. */
    public int numConvPosEmbeddingGroups() {
        return values.numConvPosEmbeddingGroups;
    }

    /** Returns true for pre-LN layers (large models), false for post-LN (base models). */
    public boolean doStableLayerNorm() {
        return values.doStableLayerNorm;
    }

    /** Returns the epsilon of every layer norm. */
    public float layerNormEps() {
        return values.layerNormEps;
    }

    /** Returns the dropout after attention, feed-forward and positional embedding. */
    public float hiddenDropout() {
        return values.hiddenDropout;
    }

    /** Returns the dropout on the attention probabilities. */
    public float attentionDropout() {
        return values.attentionDropout;
    }

    /** Returns the dropout inside the feed-forward layers. */
    public float activationDropout() {
        return values.activationDropout;
    }

    /** Returns the dropout after the feature projection. */
    public float featProjDropout() {
        return values.featProjDropout;
    }

    /** Returns the dropout before a CTC head. */
    public float finalDropout() {
        return values.finalDropout;
    }

    /** Returns the CTC vocabulary size of a {@code Wav2Vec2ForCTC} checkpoint. */
    public int vocabSize() {
        return values.vocabSize;
    }

    /** Returns the channels the feature extractor outputs. */
    public int extractorChannels() {
        return values.convDim[values.convDim.length - 1];
    }

    /**
     * Returns the number of frames the feature extractor makes of {@code samples} input samples (0
     * when too short).
     *
     * @param samples the number of input samples
     * @return the number of frames
     */
    public long frames(long samples) {
        long length = samples;
        for (int i = 0; i < values.convKernel.length; i++) {
            length = Math.max(0, Math.floorDiv(length - values.convKernel[i], values.convStride[i]) + 1);
        }
        return length;
    }

    /** Returns the fewest input samples that make one frame (400 for the published models). */
    public long receptiveField() {
        long samples = 1;
        for (int i = values.convKernel.length - 1; i >= 0; i--) {
            samples = (samples - 1) * values.convStride[i] + values.convKernel[i];
        }
        return samples;
    }

    /** Returns this configuration as Hugging Face {@code config.json} text (the keys this class reads). */
    public String toJson() {
        return HfConfigJson.toJson(values);
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
}
