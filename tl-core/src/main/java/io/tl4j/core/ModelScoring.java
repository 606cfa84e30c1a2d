package io.tl4j.core;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import io.tl4j.core.data.FiniteValues;
import io.tl4j.core.onnx.OnnxExportable;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes a {@link TransferModel}'s class scores, in batches of 64 inputs: through the network on
 * its engine, or, once {@link #useOnnxRuntime} succeeded, through its ONNX export on ONNX Runtime.
 * Non-finite inputs and scores are refused either way.
 *
 * @param <I> the raw input type
 */
final class ModelScoring<I> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelScoring.class);
    private static final int BATCH = 64;

    private final NDManager manager;
    private final Network net;
    private final InputPipeline<I> pipeline;
    private final int classes;
    private volatile OnnxRuntimeScores onnxRuntime;

    ModelScoring(NDManager manager, Network net, InputPipeline<I> pipeline, int classes) {
        this.manager = manager;
        this.net = net;
        this.pipeline = pipeline;
        this.classes = classes;
    }

    /**
     * Serves later scores through ONNX Runtime when it is on the class path, the model is on the CPU
     * and its architecture exports; says at INFO why not otherwise.
     *
     * @param architecture the backbone's architecture
     * @return whether scores now come from ONNX Runtime
     */
    synchronized boolean useOnnxRuntime(Architecture architecture) {
        if (onnxRuntime != null) {
            return true;
        }
        String reason = null;
        if (!OnnxRuntimeScores.available()) {
            reason = "ONNX Runtime is not on the class path (add com.microsoft.onnxruntime:onnxruntime)";
        } else if (!manager.getDevice().equals(Device.cpu())) {
            reason = "the model runs on " + manager.getDevice() + "; ONNX Runtime serving is for the CPU";
        } else if (!(architecture instanceof OnnxExportable)) {
            reason = "architecture '" + architecture.id() + "' does not export to ONNX";
        }
        if (reason == null) {
            try {
                onnxRuntime = OnnxRuntimeScores.open(manager, net, architecture, classes);
                LOG.info("{}: predictions now run on ONNX Runtime", architecture.id());
                return true;
            } catch (UnsupportedOperationException e) {
                reason = e.getMessage();
            }
        }
        LOG.info(
                "{}: predictions stay on {}: {}",
                architecture.id(),
                manager.getEngine().getEngineName(),
                reason);
        return false;
    }

    /**
     * Returns each input's class scores.
     *
     * @param inputs raw inputs, none null
     * @param softmax probabilities when true, scores before softmax when false
     * @return per input, one value per class
     */
    float[][] scores(List<I> inputs, boolean softmax) {
        if (inputs == null) {
            throw new IllegalArgumentException("The list of inputs is null");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == null) {
                throw new IllegalArgumentException(
                        "Input " + i + " is null; pipeline '" + pipeline.id() + "' needs a value for every input");
            }
        }
        OnnxRuntimeScores runtime = onnxRuntime;
        float[][] out = new float[inputs.size()][];
        for (int start = 0; start < inputs.size(); start += BATCH) {
            List<I> chunk = inputs.subList(start, Math.min(inputs.size(), start + BATCH));
            try (NDManager sm = manager.newSubManager();
                    NDScope scope = new NDScope()) {
                NDList x = pipeline.batch(sm, chunk, false, null);
                int[] examples = FiniteValues.range(start, chunk.size());
                FiniteValues.requireFiniteInputs(x, examples, pipeline.id(), "Input");
                NDArray logits = runtime != null
                        ? runtime.logits(sm, x)
                        : net.forward(new ParameterStore(sm, false), x, 0, net.inference())
                                .head();
                FiniteValues.requireFiniteScores(logits, examples);
                float[] flat = (softmax ? logits.softmax(1) : logits).toFloatArray();
                for (int i = 0; i < chunk.size(); i++) {
                    out[start + i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
                }
            }
        }
        return out;
    }

    /** Closes the ONNX Runtime session, if one was opened. */
    @Override
    public synchronized void close() {
        if (onnxRuntime != null) {
            onnxRuntime.close();
            onnxRuntime = null;
        }
    }
}
