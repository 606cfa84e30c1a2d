package io.tl4j.speech.wav2vec2;

import com.google.gson.annotations.SerializedName;

/**
 * The keys of a Hugging Face wav2vec2 / HuBERT {@code config.json} that choose a variant of the
 * network, at the values of the variant tl4j builds; {@link #requireSupported()} refuses the others
 * by key.
 */
final class Wav2Vec2Variant {

    @SerializedName("model_type")
    String modelType = "wav2vec2";

    @SerializedName("hidden_act")
    String hiddenAct = "gelu";

    @SerializedName("feat_extract_activation")
    String featExtractActivation = "gelu";

    @SerializedName("feat_extract_norm")
    String featExtractNorm = "group";

    @SerializedName("conv_pos_batch_norm")
    boolean convPosBatchNorm;

    @SerializedName("add_adapter")
    boolean addAdapter;

    @SerializedName("use_weighted_layer_sum")
    boolean useWeightedLayerSum;

    @SerializedName("feat_proj_layer_norm")
    boolean featProjLayerNorm = true;

    /**
     * Checks that tl4j builds this variant.
     *
     * @throws IllegalArgumentException naming the key and value of the first unsupported choice
     */
    void requireSupported() {
        if (!modelType.equals("wav2vec2") && !modelType.equals("hubert")) {
            throw new IllegalArgumentException(
                    "model_type '" + modelType + "' is not supported; expected wav2vec2 or hubert");
        }
        if (!hiddenAct.equals("gelu") || !featExtractActivation.equals("gelu")) {
            throw new IllegalArgumentException("hidden_act '" + hiddenAct + "' / feat_extract_activation '"
                    + featExtractActivation + "' is not supported; only gelu");
        }
        if (!featExtractNorm.equals("group") && !featExtractNorm.equals("layer")) {
            throw new IllegalArgumentException(
                    "feat_extract_norm '" + featExtractNorm + "' is not supported; expected group or layer");
        }
        requireFalse("conv_pos_batch_norm", convPosBatchNorm);
        requireFalse("add_adapter", addAdapter);
        requireFalse("use_weighted_layer_sum", useWeightedLayerSum);
        if (!featProjLayerNorm) {
            throw new IllegalArgumentException("feat_proj_layer_norm=false is not supported");
        }
    }

    private static void requireFalse(String key, boolean value) {
        if (value) {
            throw new IllegalArgumentException(key + "=true is not supported");
        }
    }
}
