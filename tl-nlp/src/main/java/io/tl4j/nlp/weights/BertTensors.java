package io.tl4j.nlp.weights;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The float tensors of a BERT encoder under Hugging Face's names, each with its shape, as converted
 * from an ONNX export ({@link OnnxBertWeights}) or a TensorFlow checkpoint ({@link
 * #fromTfCheckpoint}).
 *
 * @param shapes the shape of each tensor, by name
 * @param values the values of each tensor, row-major, by name
 */
public record BertTensors(Map<String, long[]> shapes, Map<String, float[]> values) {

    /**
     * Renames the variables of a Google BERT checkpoint to Hugging Face's names ({@link
     * TfBertNames}), transposes its kernels to (out, in) and drops optimizer slots, the step counter
     * and the next-sentence head.
     *
     * @param checkpoint the checkpoint
     * @param prefix its path, for messages
     * @return the tensors
     * @throws IllegalArgumentException naming the checkpoint when two variables map to one name or a
     *     kernel is not 2-D
     */
    public static BertTensors fromTfCheckpoint(TfCheckpoint checkpoint, Path prefix) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        checkpoint.tensors().forEach((tf, tensor) -> {
            if (TfBertNames.isIgnored(tf)) {
                return;
            }
            String name = TfBertNames.hfName(tf);
            if (shapes.containsKey(name)) {
                throw new IllegalArgumentException("Checkpoint " + prefix + ": two variables map to " + name);
            }
            long[] shape = tensor.shape();
            float[] v = tensor.values();
            if (TfBertNames.isKernel(tf)) {
                if (shape.length != 2) {
                    throw new IllegalArgumentException("Checkpoint " + prefix + ": kernel " + tf + " has shape "
                            + java.util.Arrays.toString(shape) + ", expected 2-D");
                }
                v = transpose(v, (int) shape[0], (int) shape[1]);
                shape = new long[] {shape[1], shape[0]};
            }
            shapes.put(name, shape);
            values.put(name, v);
        });
        return new BertTensors(shapes, values);
    }

    /**
     * Returns the shape of a tensor the encoder cannot do without.
     *
     * @param name its Hugging Face name
     * @param source the file, for the message
     * @return its shape
     * @throws IllegalArgumentException naming the file and tensor when it is missing
     */
    public long[] shape(String name, Object source) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException(source + " has no tensor " + name + "; is it a BERT encoder?");
        }
        return shape;
    }

    /** Returns a row-major (rows, cols) matrix transposed to (cols, rows). */
    static float[] transpose(float[] values, int rows, int cols) {
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = values[r * cols + c];
            }
        }
        return out;
    }
}
