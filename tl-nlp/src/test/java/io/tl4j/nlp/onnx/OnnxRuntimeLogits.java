package io.tl4j.nlp.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tl4j.nlp.bert.BertInputs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Runs an exported classifier on ONNX Runtime: token arrays in, {@code logits} out. */
final class OnnxRuntimeLogits implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OnnxRuntimeLogits(Path model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            session = env.createSession(model.toString(), options);
        }
    }

    /**
     * Runs the model with every row padded by {@code extraPadding} more [PAD] positions (mask 0).
     *
     * @param inputs the tokenized batch
     * @param pad the [PAD] id
     * @param extraPadding how many positions to add beyond the longest text
     * @return the logits per text
     */
    float[][] logits(BertInputs inputs, long pad, int extraPadding) throws OrtException {
        long[][] ids = padded(inputs.inputIds(), extraPadding, pad);
        long[][] mask = padded(inputs.attentionMask(), extraPadding, 0);
        long[][] types = padded(inputs.tokenTypeIds(), extraPadding, 0);
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, ids);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask);
                OnnxTensor typesTensor = OnnxTensor.createTensor(env, types);
                OrtSession.Result result = session.run(Map.of(
                        BertOnnx.INPUT_IDS,
                        idsTensor,
                        BertOnnx.ATTENTION_MASK,
                        maskTensor,
                        BertOnnx.TOKEN_TYPE_IDS,
                        typesTensor))) {
            return (float[][]) result.get("logits").orElseThrow().getValue();
        }
    }

    private static long[][] padded(long[][] rows, int extra, long value) {
        long[][] out = new long[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = Arrays.copyOf(rows[i], rows[i].length + extra);
            Arrays.fill(out[i], rows[i].length, out[i].length, value);
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
