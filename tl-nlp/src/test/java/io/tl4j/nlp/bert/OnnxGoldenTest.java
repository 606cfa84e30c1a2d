package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tl4j.nlp.text.TextEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java encoder's {@code last_hidden_state} for all-MiniLM-L6-v2 equals ONNX Runtime's on the same
 * ONNX file, for texts of mixed length in one padded batch. Only real tokens are compared: at padded
 * positions Hugging Face computes vectors nobody uses, while the Java encoder stops at the longest text
 * of the batch and leaves zeros.
 */
class OnnxGoldenTest {

    @Test
    void lastHiddenStateEqualsOnnxRuntimeWithin1e4() throws Exception {
        BertEncoder minilm = MiniLm.encoder();
        assertThat(minilm.config())
                .isEqualTo(new BertConfig(
                        30522, 384, 6, 12, 1536, BertConfig.HiddenActivation.GELU, 1e-12f, 512, 2, 0.1f, 0.1f));
        List<String> texts = MiniLm.TEXTS;
        float[][][] reference = onnxRuntime(minilm, texts, Bert.MINILM_ONNX);
        float[][][] ours = minilm.lastHiddenState(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(ours[i].length).as("tokens of text %d", i).isEqualTo(reference[i].length);
            for (int t = 0; t < ours[i].length; t++) {
                for (int h = 0; h < ours[i][t].length; h++) {
                    assertThat(ours[i][t][h])
                            .as("text %d token %d dim %d", i, t, h)
                            .isCloseTo(reference[i][t][h], org.assertj.core.data.Offset.offset(1e-4f));
                }
            }
        }
        assertThat(reference[5].length)
                .as("the long text is longer than the tokenizer file's 128")
                .isGreaterThan(128);
    }

    @Test
    void embeddingsAreNormalisedMeansOfOnnxRuntimesTokenVectors() throws Exception {
        BertEncoder minilm = MiniLm.encoder();
        List<String> texts = MiniLm.TEXTS.subList(2, 5);
        float[][][] reference = onnxRuntime(minilm, texts, Bert.MINILM_ONNX);
        float[][] ours = minilm.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] mean = new float[384];
            for (float[] token : reference[i]) {
                for (int h = 0; h < 384; h++) {
                    mean[h] += token[h] / reference[i].length;
                }
            }
            double norm = 0;
            for (float v : mean) {
                norm += v * v;
            }
            for (int h = 0; h < 384; h++) {
                assertThat(ours[i][h])
                        .isCloseTo((float) (mean[h] / Math.sqrt(norm)), org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        // cat/kitten are closer than cat/stock market
        assertThat(dot(ours[0], ours[1])).isGreaterThan(dot(ours[0], ours[2]) + 0.2f);
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Runs the ONNX file in ONNX Runtime on one batch padded to its longest text; returns real tokens only. */
    static float[][][] onnxRuntime(BertEncoder encoder, List<String> texts, String resource)
            throws IOException, OrtException {
        TextEncoder tokens = new TextEncoder(encoder.tokenizer(), 512);
        List<TextEncoder.Encoded> encoded = new ArrayList<>();
        int longest = 0;
        for (String text : texts) {
            TextEncoder.Encoded e = tokens.encode(text);
            encoded.add(e);
            longest = Math.max(longest, e.length());
        }
        long[][] ids = new long[texts.size()][longest];
        long[][] mask = new long[texts.size()][longest];
        long[][] types = new long[texts.size()][longest];
        for (int i = 0; i < texts.size(); i++) {
            for (int t = 0; t < encoded.get(i).length(); t++) {
                ids[i][t] = encoded.get(i).ids()[t];
                mask[i][t] = 1;
            }
        }
        byte[] model;
        try (InputStream in = OnnxGoldenTest.class.getClassLoader().getResourceAsStream(resource)) {
            model = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(model, options);
                    OnnxTensor idsTensor = OnnxTensor.createTensor(env, ids);
                    OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask);
                    OnnxTensor typesTensor = OnnxTensor.createTensor(env, types);
                    OrtSession.Result result = session.run(Map.of(
                            "input_ids", idsTensor, "attention_mask", maskTensor, "token_type_ids", typesTensor))) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                float[][][] real = new float[texts.size()][][];
                for (int i = 0; i < texts.size(); i++) {
                    real[i] = java.util.Arrays.copyOf(hidden[i], encoded.get(i).length());
                }
                return real;
            }
        }
    }
}
