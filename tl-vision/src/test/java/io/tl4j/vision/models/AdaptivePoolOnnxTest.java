package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import io.tl4j.core.onnx.OnnxGraphBuilder.Dim;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VGG's adaptive average pooling to 7x7 as exported, one graph with free height and width, against
 * {@link AdaptiveAvgPool2d} on feature maps smaller than, equal to, larger than and not a multiple of
 * 7: the bins are PyTorch's at every size.
 */
class AdaptivePoolOnnxTest {

    @Test
    void theExportedPoolingAveragesPyTorchsBinsAtAnySize(@TempDir Path dir) throws Exception {
        OnnxGraphBuilder graph = new OnnxGraphBuilder("pool");
        String x = graph.input(
                "x", OnnxGraphBuilder.FLOAT, Dim.named("batch"), Dim.fixed(3), Dim.named("height"), Dim.named("width"));
        graph.output(
                "y",
                VisionOnnx.adaptiveAveragePool(graph, x, 7),
                OnnxGraphBuilder.FLOAT,
                Dim.named("batch"),
                Dim.fixed(3),
                Dim.fixed(7),
                Dim.fixed(7));
        Path file = dir.resolve("pool.onnx");
        graph.write(file, "test");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(7, 7);
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
                NDManager manager = NDManager.newBaseManager()) {
            for (int[] size : new int[][] {{1, 1}, {3, 5}, {7, 7}, {9, 13}, {14, 14}, {16, 10}}) {
                Shape shape = new Shape(2, 3, size[0], size[1]);
                NDArray input = manager.randomNormal(shape, DataType.FLOAT32);
                pool.initialize(manager, DataType.FLOAT32, shape);
                float[] expected = pool.forward(new ParameterStore(manager, false), new NDList(input), false)
                        .singletonOrThrow()
                        .toFloatArray();
                float[] actual;
                try (OnnxTensor tensor =
                                OnnxTensor.createTensor(env, FloatBuffer.wrap(input.toFloatArray()), shape.getShape());
                        OrtSession.Result result = session.run(Map.of("x", tensor))) {
                    FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                    actual = new float[out.remaining()];
                    out.get(actual);
                }
                assertThat(actual)
                        .as("%dx%d", size[0], size[1])
                        .hasSize(2 * 3 * 49)
                        .containsExactly(expected, within(1e-5f));
            }
        }
    }
}
