package io.tl4j.nlp.weights;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google BERT's TensorFlow variable names to Hugging Face's, as {@code
 * convert_bert_original_tf_checkpoint_to_pytorch} maps them: {@code bert/encoder/layer_3/attention/
 * self/query/kernel} is {@code encoder.layer.3.attention.self.query.weight} (a kernel is stored (in,
 * out) and must be transposed), {@code gamma}/{@code beta} are LayerNorm's {@code weight}/{@code
 * bias}, embedding tables gain {@code .weight}, {@code cls/predictions/output_bias} is {@code
 * cls.predictions.bias}.
 */
public final class TfBertNames {

    private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");

    private TfBertNames() {}

    /**
     * Tells whether a variable is not a weight of the model: optimizer slots, the step counter, the next-sentence head.
     *
     * @param tf a TensorFlow variable name
     * @return true for variables that are not weights of the model: optimizer slots, the step
     *     counter, the next-sentence head
     */
    public static boolean isIgnored(String tf) {
        return tf.endsWith("adam_m")
                || tf.endsWith("adam_v")
                || tf.equals("global_step")
                || tf.contains("cls/seq_relationship/");
    }

    /** Tells whether a variable is a kernel stored (in, out), which Hugging Face keeps (out, in). */
    public static boolean isKernel(String tf) {
        return tf.endsWith("/kernel");
    }

    /**
     * Maps a TensorFlow variable name to its Hugging Face name.
     *
     * @param tf a TensorFlow variable name
     * @return its Hugging Face name
     */
    public static String hfName(String tf) {
        String name = tf;
        if (name.startsWith("module/")) {
            name = name.substring("module/".length());
        }
        if (name.startsWith("bert/")) {
            name = name.substring("bert/".length());
        }
        if (name.equals("cls/predictions/output_bias")) {
            return "cls.predictions.bias";
        }
        Matcher m = LAYER.matcher(name);
        name = m.replaceAll("layer.$1").replace('/', '.');
        if (name.endsWith(".kernel") || name.endsWith(".gamma")) {
            name = name.substring(0, name.lastIndexOf('.')) + ".weight";
        } else if (name.endsWith(".beta")) {
            name = name.substring(0, name.lastIndexOf('.')) + ".bias";
        } else if (name.endsWith("_embeddings")) {
            name = name + ".weight";
        }
        return name;
    }
}
