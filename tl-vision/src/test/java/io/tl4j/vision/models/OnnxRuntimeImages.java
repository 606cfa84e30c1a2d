package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tl4j.core.InputPipeline;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs an exported image classifier on ONNX Runtime: images in, {@code logits} out. */
final class OnnxRuntimeImages implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OnnxRuntimeImages(Path model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            session = env.createSession(model.toString(), options);
        }
    }

    /**
     * Runs one batch of images as a model's pipeline makes them (normalized, say).
     *
     * @param pipeline the model's input pipeline
     * @param images the raw images
     * @return the logits per image
     */
    float[][] logits(InputPipeline<float[]> pipeline, List<float[]> images) throws OrtException {
        float[] flat;
        long[] shape;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = pipeline.batch(manager, images, false, null).singletonOrThrow();
            flat = batch.toFloatArray();
            shape = batch.getShape().getShape();
        }
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), shape);
                OrtSession.Result result = session.run(Map.of(VisionOnnx.PIXEL_VALUES, input))) {
            return (float[][]) result.get("logits").orElseThrow().getValue();
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
