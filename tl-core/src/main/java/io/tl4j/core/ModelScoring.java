package io.tl4j.core;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import io.tl4j.core.data.FiniteValues;
import io.tl4j.core.monitor.DriftMonitor;
import io.tl4j.core.monitor.ReferenceProfile;
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
    /** The widest head input a reference profile keeps per-dimension statistics of. */
    static final int MAX_PROFILED_FEATURES = 4096;

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
        if (!OnnxRuntimeAvailability.onClassPath()) {
            reason = "ONNX Runtime is not on the class path (add " + OnnxRuntimeAvailability.ARTIFACT + ")";
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
        return run(inputs, softmax, null);
    }

    /**
     * Returns each input's class probabilities and records each prediction in a drift monitor, with
     * the features the head read when the monitor's reference has features (those come from the
     * engine, so such batches do not use ONNX Runtime).
     *
     * @param inputs raw inputs, none null
     * @param monitor the monitor
     * @return per input, one probability per class
     */
    float[][] probabilities(List<I> inputs, DriftMonitor monitor) {
        float[][] features = monitor.watchesFeatures() ? new float[inputs.size()][] : null;
        float[][] probabilities = run(inputs, true, features);
        for (int i = 0; i < probabilities.length; i++) {
            monitor.observe(probabilities[i], features == null ? null : features[i]);
        }
        return probabilities;
    }

    /**
     * Profiles the model on held-out inputs: probabilities and the features its head reads, in one
     * pass on the engine. Features wider than {@value #MAX_PROFILED_FEATURES} values are left out.
     *
     * @param inputs held-out inputs, at least {@value ReferenceProfile#MIN_EXAMPLES}
     * @return the profile
     */
    ReferenceProfile profile(List<I> inputs) {
        if (inputs != null && inputs.size() < ReferenceProfile.MIN_EXAMPLES) {
            throw new IllegalArgumentException("A reference profile needs at least " + ReferenceProfile.MIN_EXAMPLES
                    + " held-out examples, got " + inputs.size());
        }
        float[][] features = new float[inputs == null ? 0 : inputs.size()][];
        float[][] probabilities = run(inputs, true, features);
        if (features[0].length > MAX_PROFILED_FEATURES) {
            LOG.info(
                    "The reference profile leaves out the head's {} input features (more than {})",
                    features[0].length,
                    MAX_PROFILED_FEATURES);
            return ReferenceProfile.of(probabilities, null);
        }
        return ReferenceProfile.of(probabilities, features);
    }

    private float[][] run(List<I> inputs, boolean softmax, float[][] featuresOut) {
        if (inputs == null) {
            throw new IllegalArgumentException("The list of inputs is null");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == null) {
                throw new IllegalArgumentException(
                        "Input " + i + " is null; pipeline '" + pipeline.id() + "' needs a value for every input");
            }
        }
        OnnxRuntimeScores runtime = featuresOut == null ? onnxRuntime : null;
        float[][] out = new float[inputs.size()][];
        for (int start = 0; start < inputs.size(); start += BATCH) {
            List<I> chunk = inputs.subList(start, Math.min(inputs.size(), start + BATCH));
            try (NDManager sm = manager.newSubManager();
                    NDScope scope = new NDScope()) {
                NDList x = pipeline.batch(sm, chunk, false, null);
                int[] examples = FiniteValues.range(start, chunk.size());
                FiniteValues.requireFiniteInputs(x, examples, pipeline.id(), "Input");
                NDArray logits;
                if (runtime != null) {
                    logits = runtime.logits(sm, x);
                } else {
                    ParameterStore ps = new ParameterStore(sm, false);
                    NDList features = net.features(ps, x, 0, net.inference());
                    logits = net.classify(ps, features, false).head();
                    if (featuresOut != null) {
                        copyRows(features.head(), featuresOut, start);
                    }
                }
                FiniteValues.requireFiniteScores(logits, examples);
                copyRows(softmax ? logits.softmax(1) : logits, out, start);
            }
        }
        return out;
    }

    /** Copies a batch's rows, each flattened, into {@code rows} from index {@code start}. */
    private static void copyRows(NDArray batch, float[][] rows, int start) {
        int n = (int) batch.getShape().get(0);
        float[] flat = batch.toFloatArray();
        int width = flat.length / n;
        for (int i = 0; i < n; i++) {
            rows[start + i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
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
