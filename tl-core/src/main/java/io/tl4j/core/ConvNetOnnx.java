package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.tl4j.core.onnx.ConvWeights;
import io.tl4j.core.onnx.OnnxAttributes;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import io.tl4j.core.onnx.OnnxGraphBuilder.Dim;
import io.tl4j.core.onnx.OnnxLayers;
import java.util.Map;

/**
 * Writes {@link Architectures#convNet} (tl-speech's keyword encoder among others) into an ONNX graph as
 * it computes in inference: per block a 3x3 convolution with its BatchNorm folded in ({@link
 * ConvWeights#foldBatchNorm}), ReLU and 2x2 max pooling; then global average pooling, flattened. The
 * input is {@value #INPUT}, float32 (batch, channels, height, width) as the backbone's pipeline makes
 * it (a log-mel spectrogram for the keyword encoder), batch, height and width free.
 */
final class ConvNetOnnx {

    /** The graph input: the pipeline's batch. */
    static final String INPUT = "input";

    /** DJL's default BatchNorm epsilon, which {@link Architectures#convNet} uses. */
    private static final float BATCH_NORM_EPSILON = 1e-5f;

    private ConvNetOnnx() {}

    /**
     * Writes the network.
     *
     * @param graph the graph, still without inputs
     * @param blocks the number of convolution blocks
     * @param weights the parameters by name ({@code block1.0.weight}, {@code block1.1.runningMean})
     * @return the features (batch, last width)
     * @throws IllegalArgumentException naming a weight the network needs and {@code weights} lacks
     */
    static String write(OnnxGraphBuilder graph, int blocks, Map<String, NDArray> weights) {
        String x = graph.input(
                INPUT,
                OnnxGraphBuilder.FLOAT,
                Dim.named("batch"),
                Dim.fixed(array(weights, "block1.0.weight").getShape().get(1)),
                Dim.named("height"),
                Dim.named("width"));
        for (int i = 1; i <= blocks; i++) {
            String conv = "block" + i + ".0";
            String norm = "block" + i + ".1";
            ConvWeights folded = ConvWeights.of(conv, array(weights, conv + ".weight"), array(weights, conv + ".bias"))
                    .foldBatchNorm(
                            norm,
                            array(weights, norm + ".gamma"),
                            array(weights, norm + ".beta"),
                            array(weights, norm + ".runningMean"),
                            array(weights, norm + ".runningVar"),
                            BATCH_NORM_EPSILON);
            x = graph.op("Relu", OnnxLayers.conv2d(graph, x, conv, folded, 1, 1, 1));
            x = OnnxLayers.maxPool2d(graph, x, 2, 2, 0);
        }
        return graph.op("Flatten", OnnxAttributes.of().integer("axis", 1), graph.op("GlobalAveragePool", x));
    }

    /**
     * Makes the graph input out of a batch of the backbone's pipeline.
     *
     * @param batch one array (batch, channels, height, width)
     * @return {@value #INPUT}, float32
     * @throws IllegalArgumentException when the batch is not one 4-D array
     */
    static Map<String, NDArray> inputs(NDList batch) {
        NDArray x = batch.singletonOrThrow();
        if (x.getShape().dimension() != 4) {
            throw new IllegalArgumentException(
                    "A convNet's input must be (batch, channels, height, width), got " + x.getShape());
        }
        return Map.of(INPUT, x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false));
    }

    private static NDArray array(Map<String, NDArray> weights, String name) {
        NDArray array = weights.get(name);
        if (array == null) {
            throw new IllegalArgumentException("Cannot export the convNet to ONNX: it has no weight " + name);
        }
        return array;
    }
}
