package io.tl4j.nlp.bert;

import io.tl4j.nlp.weights.BertTensors;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sizes of a BERT encoder read off its tensors' shapes (Hugging Face names). */
final class ShapeInference {

    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    private ShapeInference() {}

    /**
     * Infers the configuration from tensor shapes and the settings they do not show.
     *
     * @param tensors the tensors under Hugging Face names
     * @param heads the number of attention heads (not visible in the shapes)
     * @param activation the feed-forward activation
     * @param eps the layer-norm epsilon
     * @param source the file, for error messages
     * @return the configuration
     */
    static BertConfig config(
            BertTensors tensors, int heads, BertConfig.HiddenActivation activation, float eps, Object source) {
        long[] words = tensors.shape("embeddings.word_embeddings.weight", source);
        long[] positions = tensors.shape("embeddings.position_embeddings.weight", source);
        long[] types = tensors.shape("embeddings.token_type_embeddings.weight", source);
        long[] intermediate = tensors.shape("encoder.layer.0.intermediate.dense.bias", source);
        return new BertConfig(
                (int) words[0],
                (int) words[1],
                layers(tensors.shapes()),
                heads,
                (int) intermediate[0],
                activation,
                eps,
                (int) positions[0],
                (int) types[0],
                0.1f,
                0.1f);
    }

    /** Counts the layers: one more than the highest {@code encoder.layer.N} index. */
    static int layers(Map<String, long[]> shapes) {
        int layers = 0;
        for (String name : shapes.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        return layers;
    }
}
