package io.tl4j.nlp.bert;

import com.google.gson.annotations.SerializedName;
import io.tl4j.core.nn.HfConfigJson;

/**
 * The keys of a Hugging Face BERT {@code config.json} that {@link BertConfig} reads and writes,
 * with BERT's defaults for the optional ones; the five sizes are required.
 */
final class BertConfigJson {

    @SerializedName("model_type")
    String modelType = "bert";

    @SerializedName("vocab_size")
    Integer vocabSize;

    @SerializedName("hidden_size")
    Integer hiddenSize;

    @SerializedName("num_hidden_layers")
    Integer numLayers;

    @SerializedName("num_attention_heads")
    Integer numHeads;

    @SerializedName("intermediate_size")
    Integer intermediateSize;

    @SerializedName("hidden_act")
    String activation = "gelu";

    @SerializedName("layer_norm_eps")
    float layerNormEps = 1e-12f;

    @SerializedName("max_position_embeddings")
    int maxPositions = 512;

    @SerializedName("type_vocab_size")
    int typeVocabSize = 2;

    @SerializedName("hidden_dropout_prob")
    float hiddenDropout = 0.1f;

    @SerializedName("attention_probs_dropout_prob")
    float attentionDropout = 0.1f;

    /** Returns the keys of a configuration. */
    static BertConfigJson of(BertConfig config) {
        BertConfigJson json = new BertConfigJson();
        json.vocabSize = config.vocabSize();
        json.hiddenSize = config.hiddenSize();
        json.numLayers = config.numLayers();
        json.numHeads = config.numHeads();
        json.intermediateSize = config.intermediateSize();
        json.activation = config.activation().hfName();
        json.layerNormEps = config.layerNormEps();
        json.maxPositions = config.maxPositions();
        json.typeVocabSize = config.typeVocabSize();
        json.hiddenDropout = config.hiddenDropout();
        json.attentionDropout = config.attentionDropout();
        return json;
    }

    /** Returns the configuration these keys describe, checked by {@link BertConfig}'s constructor. */
    BertConfig toConfig() {
        return new BertConfig(
                HfConfigJson.required(vocabSize, "vocab_size"),
                HfConfigJson.required(hiddenSize, "hidden_size"),
                HfConfigJson.required(numLayers, "num_hidden_layers"),
                HfConfigJson.required(numHeads, "num_attention_heads"),
                HfConfigJson.required(intermediateSize, "intermediate_size"),
                BertConfig.HiddenActivation.fromHfName(activation),
                layerNormEps,
                maxPositions,
                typeVocabSize,
                hiddenDropout,
                attentionDropout);
    }
}
