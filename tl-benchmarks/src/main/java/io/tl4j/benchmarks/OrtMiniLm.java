package io.tl4j.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tl4j.core.persist.ModelDescriptor;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.BertInputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The alternative most Java embedding users run: ONNX Runtime on the all-MiniLM-L6-v2 ONNX file that
 * langchain4j ships, here with mean pooling and the linear head of tl4j's trained classifier applied
 * in plain Java, so it computes the same probabilities as {@link BertInference.Tl4j}'s model
 * (checked to 1e-4 at setup). Tokenisation is tl4j's (the same HF tokenizer), part of each call.
 */
@State(Scope.Benchmark)
public class OrtMiniLm {
    private OrtEnvironment environment;
    private OrtSession session;
    private BertEncoder tokenizer;
    private float[][] headWeight;
    private float[] headBias;
    private int length;
    List<String> texts;

    /**
     * Opens the ONNX file with all graph optimisations and as many intra-op threads as cores, reads
     * the head from the saved tl4j model, and checks that both give the same probabilities.
     *
     * @param d the workload, whose {@code length} caps the tokens per text as tl4j's pipeline does
     * @param t the tl4j side, whose saved model supplies the head
     * @throws OrtException if ONNX Runtime cannot load the file
     */
    @Setup
    public void setup(BertTraining.Data d, BertInference.Tl4j t) throws OrtException {
        texts = t.texts;
        length = d.length;
        tokenizer = Bert.allMiniLmL6V2();
        environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream in = Bert.class.getClassLoader().getResourceAsStream(Bert.MINILM_ONNX)) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            session = environment.createSession(in.readAllBytes(), options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        readHead(t.directory);
        Workloads.requireSameProbabilities("ONNX Runtime", t.model.probabilities(texts), predict());
    }

    private void readHead(Path directory) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = SafeTensors.read(directory.resolve(ModelDescriptor.WEIGHTS), manager);
            NDArray weight = only(weights, ".weight");
            NDArray bias = only(weights, ".bias");
            int classes = (int) weight.getShape().get(0);
            int features = (int) weight.getShape().get(1);
            float[] w = weight.toFloatArray();
            headWeight = new float[classes][features];
            for (int c = 0; c < classes; c++) {
                System.arraycopy(w, c * features, headWeight[c], 0, features);
            }
            headBias = bias.toFloatArray();
        }
    }

    private static NDArray only(Map<String, NDArray> weights, String suffix) {
        List<String> names = weights.keySet().stream()
                .filter(name -> name.startsWith("head.") && name.endsWith(suffix))
                .toList();
        if (names.size() != 1) {
            throw new IllegalStateException("Expected one linear head " + suffix + " among " + weights.keySet());
        }
        return weights.get(names.get(0));
    }

    /**
     * Tokenises the texts, runs the encoder on ONNX Runtime, mean-pools and applies the head.
     *
     * @return the probabilities per text
     * @throws OrtException if ONNX Runtime fails
     */
    float[][] predict() throws OrtException {
        BertInputs inputs = truncate(tokenizer.tokenize(texts), length);
        try (OnnxTensor ids = OnnxTensor.createTensor(environment, inputs.inputIds());
                OnnxTensor mask = OnnxTensor.createTensor(environment, inputs.attentionMask());
                OnnxTensor types = OnnxTensor.createTensor(environment, inputs.tokenTypeIds());
                OrtSession.Result result =
                        session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
            float[][][] hidden = (float[][][]) result.get(0).getValue();
            float[][] probabilities = new float[hidden.length][];
            for (int i = 0; i < hidden.length; i++) {
                probabilities[i] = classify(meanPool(hidden[i], inputs.attentionMask()[i]));
            }
            return probabilities;
        }
    }

    /** Cuts each text to {@code max} tokens, its last one {@code [SEP]}, as tl4j's pipeline does. */
    private static BertInputs truncate(BertInputs inputs, int max) {
        int rows = inputs.inputIds().length;
        int longest = 0;
        for (int i = 0; i < rows; i++) {
            longest = Math.max(longest, Math.min(max, inputs.length(i)));
        }
        long[][] ids = new long[rows][longest];
        long[][] mask = new long[rows][longest];
        long[][] types = new long[rows][longest];
        for (int i = 0; i < rows; i++) {
            int real = inputs.length(i);
            int kept = Math.min(max, real);
            long pad = inputs.inputIds()[i].length > real ? inputs.inputIds()[i][real] : 0;
            Arrays.fill(ids[i], pad);
            System.arraycopy(inputs.inputIds()[i], 0, ids[i], 0, kept);
            ids[i][kept - 1] = inputs.inputIds()[i][real - 1];
            Arrays.fill(mask[i], 0, kept, 1L);
            System.arraycopy(inputs.tokenTypeIds()[i], 0, types[i], 0, kept);
        }
        return new BertInputs(ids, mask, types);
    }

    private static float[] meanPool(float[][] tokens, long[] mask) {
        float[] sum = new float[tokens[0].length];
        int count = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] != 0) {
                count++;
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += tokens[t][k];
                }
            }
        }
        for (int k = 0; k < sum.length; k++) {
            sum[k] /= Math.max(count, 1);
        }
        return sum;
    }

    private float[] classify(float[] features) {
        float[] logits = new float[headBias.length];
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < logits.length; c++) {
            float z = headBias[c];
            for (int k = 0; k < features.length; k++) {
                z += headWeight[c][k] * features[k];
            }
            logits[c] = z;
            max = Math.max(max, z);
        }
        float total = 0;
        for (int c = 0; c < logits.length; c++) {
            logits[c] = (float) Math.exp(logits[c] - max);
            total += logits[c];
        }
        for (int c = 0; c < logits.length; c++) {
            logits[c] /= total;
        }
        return logits;
    }

    /**
     * Closes the session and the tokenizer's encoder.
     *
     * @throws OrtException if ONNX Runtime fails to close
     */
    @TearDown
    public void tearDown() throws OrtException {
        session.close();
        tokenizer.close();
    }
}
