package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tl4j.core.onnx.OnnxExportable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An ONNX Runtime session over a network tl4j exported (an optional dependency): batches of the backbone's
 * input pipeline in, the graph's first output out as float32 values. This class must not be loaded unless
 * {@link OnnxRuntimeAvailability#onClassPath()} says ONNX Runtime is there.
 */
final class OnnxRuntimeSession implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OnnxExportable exportable;

    private OnnxRuntimeSession(OrtEnvironment env, OrtSession session, OnnxExportable exportable) {
        this.env = env;
        this.session = session;
        this.exportable = exportable;
    }

    /**
     * Exports a network to a temporary file, opens it in ONNX Runtime and deletes the file.
     *
     * @param architecture the backbone's architecture, an {@link OnnxExportable}
     * @param export writes the network to the file it is given
     * @return the session
     * @throws UnsupportedOperationException when the network cannot be exported
     * @throws IllegalStateException when ONNX Runtime refuses the exported file
     */
    static OnnxRuntimeSession open(Architecture architecture, Consumer<Path> export) {
        Path file = null;
        try {
            file = Files.createTempFile("tl4j-", ".onnx");
            export.accept(file);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                // as libtorch does: one intra-op thread per available processor (ORT's default
                // counts physical cores by its own rules, and ran MiniLM 1.7x slower here)
                options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
                // no CPU arena: it keeps every block it ever grew to (a served ResNet-50 at batch 16 peaked at
                // 882 MiB with it, 773 without). The memory pattern (one allocation per run from a plan of the
                // previous runs' shapes) stays: MiniLM at batch 16 x 128 ran 175 ms per batch with it, 193
                // without (the same fork order and machine), and the served ResNet-50 peaked no higher (773
                // against 786 MiB)
                options.setCPUArenaAllocator(false);
                options.setMemoryPatternOptimization(true);
                OrtSession session = env.createSession(file.toString(), options);
                return new OnnxRuntimeSession(env, session, (OnnxExportable) architecture);
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
     * @param batch the input pipeline's batch
     * @return the first output's values, row after row
     * @throws IllegalStateException when ONNX Runtime fails on the batch
     */
    float[] run(NDList batch) {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, NDArray> input : exportable.onnxInputs(batch).entrySet()) {
                inputs.put(input.getKey(), tensor(input.getKey(), input.getValue()));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer values = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] flat = new float[values.remaining()];
                values.get(flat);
                return flat;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.getShapes()[0], e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * Wraps an input array's host memory for ONNX Runtime without copying it: no Java array and no
     * direct buffer per batch, which the collector would free only later (a ResNet-50 batch of 16 is
     * 9.6 MB; with this and the loaded weights no longer kept twice, the benchmark's serving JVM peaked
     * at 0.75 GB, 1.01 GB before). The array must stay open until the run ends.
     */
    private OnnxTensor tensor(String name, NDArray array) throws OrtException {
        OnnxJavaType type = switch (array.getDataType()) {
            case INT64 -> OnnxJavaType.INT64;
            case FLOAT32 -> OnnxJavaType.FLOAT;
            default ->
                throw new IllegalArgumentException(
                        "ONNX input " + name + " must be int64 or float32, got " + array.getDataType());
        };
        return OnnxTensor.createTensor(
                env, array.toByteBuffer(true), array.getShape().getShape(), type);
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
