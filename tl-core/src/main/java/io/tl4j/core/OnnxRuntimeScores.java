package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A model's network exported to ONNX and run by ONNX Runtime ({@link OnnxRuntimeSession}): batches from
 * the input pipeline in, class scores out.
 */
final class OnnxRuntimeScores implements AutoCloseable {

    private final OnnxRuntimeSession session;
    private final int classes;

    private OnnxRuntimeScores(OnnxRuntimeSession session, int classes) {
        this.session = session;
        this.classes = classes;
    }

    /**
     * Exports the network to a temporary file, opens it in ONNX Runtime and deletes the file.
     *
     * @param manager the model's manager
     * @param net the trained network
     * @param architecture the backbone's architecture, an {@link io.tl4j.core.onnx.OnnxExportable}
     * @param classes the number of classes
     * @return the session's scorer
     * @throws UnsupportedOperationException when the network cannot be exported
     * @throws IllegalStateException when ONNX Runtime refuses the exported file
     */
    static OnnxRuntimeScores open(NDManager manager, Network net, Architecture architecture, int classes) {
        return new OnnxRuntimeScores(
                OnnxRuntimeSession.open(
                        architecture, file -> OnnxExport.write(manager, net, architecture, classes, file)),
                classes);
    }

    /**
     * Runs one batch.
     *
     * @param manager holds the returned array
     * @param batch the input pipeline's batch
     * @return the scores before softmax (batch, classes)
     */
    NDArray logits(NDManager manager, NDList batch) {
        float[] flat = session.run(batch);
        return manager.create(flat, new Shape(flat.length / classes, classes));
    }

    @Override
    public void close() {
        session.close();
    }
}
