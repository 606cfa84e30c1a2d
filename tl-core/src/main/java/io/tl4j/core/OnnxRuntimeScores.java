package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tl4j.core.onnx.OnnxExportable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's network exported to ONNX and run by ONNX Runtime (an optional dependency: {@code
 * com.microsoft.onnxruntime:onnxruntime}): batches from the input pipeline in, class scores out.
 * Nothing here is loaded unless {@link #available()} says ONNX Runtime is on the class path.
 */
final class OnnxRuntimeScores implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OnnxExportable exportable;
    private final int classes;

    private OnnxRuntimeScores(OrtEnvironment env, OrtSession session, OnnxExportable exportable, int classes) {
        this.env = env;
        this.session = session;
        this.exportable = exportable;
        this.classes = classes;
    }

    /** Tells whether ONNX Runtime's Java API is on the class path. */
    static boolean available() {
        try {
            Class.forName("ai.onnxruntime.OrtSession", false, OnnxRuntimeScores.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Exports the network to a temporary file, opens it in ONNX Runtime and deletes the file.
     *
     * @param manager the model's manager
     * @param net the trained network
     * @param architecture the backbone's architecture, an {@link OnnxExportable}
     * @param classes the number of classes
     * @return the session's scorer
     * @throws UnsupportedOperationException when the network cannot be exported
     * @throws IllegalStateException when ONNX Runtime refuses the exported file
     */
    static OnnxRuntimeScores open(NDManager manager, Network net, Architecture architecture, int classes) {
        Path file = null;
        try {
            file = Files.createTempFile("tl4j-", ".onnx");
            OnnxExport.write(manager, net, architecture, classes, file);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                // as libtorch does: one intra-op thread per available processor (ORT's default
                // counts physical cores by its own rules, and ran MiniLM 1.7x slower here)
                options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
                OrtSession session = env.createSession(file.toString(), options);
                return new OnnxRuntimeScores(env, session, (OnnxExportable) architecture, classes);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot open the exported " + architecture.id() + " model", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the ONNX export to a temporary file", e);
        } finally {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }

    /**
     * Runs one batch.
     *
     * @param manager holds the returned array
     * @param batch the input pipeline's batch
     * @return the scores before softmax (batch, classes)
     */
    NDArray logits(NDManager manager, NDList batch) {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, NDArray> input : exportable.onnxInputs(batch).entrySet()) {
                inputs.put(input.getKey(), tensor(input.getKey(), input.getValue()));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer scores = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] flat = new float[scores.remaining()];
                scores.get(flat);
                return manager.create(flat, new Shape(flat.length / classes, classes));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.getShapes()[0], e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(String name, NDArray array) throws OrtException {
        long[] shape = array.getShape().getShape();
        if (array.getDataType() == DataType.INT64) {
            return OnnxTensor.createTensor(env, LongBuffer.wrap(array.toLongArray()), shape);
        }
        if (array.getDataType() == DataType.FLOAT32) {
            return OnnxTensor.createTensor(env, FloatBuffer.wrap(array.toFloatArray()), shape);
        }
        throw new IllegalArgumentException(
                "ONNX input " + name + " must be int64 or float32, got " + array.getDataType());
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("Cannot close the ONNX Runtime session", e);
        }
    }
}
