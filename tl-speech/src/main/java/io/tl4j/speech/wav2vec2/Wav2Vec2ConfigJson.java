package io.tl4j.speech.wav2vec2;

import com.google.gson.annotations.SerializedName;

/**
 * The keys of a Hugging Face wav2vec2 / HuBERT {@code config.json} that shape the network tl4j
 * builds, starting at Hugging Face's defaults (those of {@code facebook/wav2vec2-base}). The
 * state of a {@link Wav2Vec2ConfigBuilder} and of a {@link Wav2Vec2Config}; written, in this order,
 * by {@link Wav2Vec2Config#toJson()}.
 */
final class Wav2Vec2ConfigJson {

    @SerializedName("model_type")
    String modelType = "wav2vec2";

    @SerializedName("conv_dim")
    int[] convDim = {512, 512, 512, 512, 512, 512, 512};

    @SerializedName("conv_kernel")
    int[] convKernel = {10, 3, 3, 3, 3, 2, 2};

    @SerializedName("conv_stride")
    int[] convStride = {5, 2, 2, 2, 2, 2, 2};

    @SerializedName("feat_extract_norm")
    Wav2Vec2Config.FeatureNorm featExtractNorm = Wav2Vec2Config.FeatureNorm.GROUP;

    @SerializedName("conv_bias")
    boolean convBias;

    @SerializedName("hidden_size")
    int hiddenSize = 768;

    @SerializedName("num_hidden_layers")
    int numHiddenLayers = 12;

    @SerializedName("num_attention_heads")
    int numAttentionHeads = 12;

    @SerializedName("intermediate_size")
    int intermediateSize = 3072;

    @SerializedName("num_conv_pos_embeddings")
    int numConvPosEmbeddings = 128;

    @SerializedName("num_conv_pos_embedding_groups")
    int numConvPosEmbeddingGroups = 16;

    @SerializedName("do_stable_layer_norm")
    boolean doStableLayerNorm;

    @SerializedName("layer_norm_eps")
    float layerNormEps = 1e-5f;

    @SerializedName("hidden_dropout")
    float hiddenDropout = 0.1f;

    @SerializedName("attention_dropout")
    float attentionDropout = 0.1f;

    @SerializedName("activation_dropout")
    float activationDropout = 0.1f;

    @SerializedName("feat_proj_dropout")
    float featProjDropout;

    @SerializedName("final_dropout")
    float finalDropout = 0.1f;

    @SerializedName("vocab_size")
    int vocabSize = 32;
}
