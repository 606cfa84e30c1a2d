package io.tl4j.core.onnx;

import ai.djl.ndarray.NDArray;

/**
 * Writes PyTorch's layers into an ONNX graph as plain opset-{@value OnnxGraphBuilder#OPSET}
 * operators: linear, LayerNorm, GELU, 2-D convolution (BatchNorm folded in by {@link ConvWeights})
 * and max pooling. Weights are read out of their arrays when the graph is written ({@link
 * OnnxGraphBuilder#write}), one at a time, so the arrays must stay open until then; they are left as
 * they are.
 */
public final class OnnxLayers {

    private OnnxLayers() {}

    /**
     * Writes {@code nn.Linear} over the last axis, {@code x weightᵀ + bias}, for inputs of any rank:
     * a {@code MatMul} with the weight stored transposed (in, out) and an {@code Add} of the bias.
     *
     * @param graph the graph
     * @param x the input (..., in)
     * @param name the layer's name; its weights become {@code name.weight} and {@code name.bias}
     * @param weight the weight (out, in)
     * @param bias the bias (out)
     * @return the output (..., out)
     */
    public static String linear(OnnxGraphBuilder graph, String x, String name, NDArray weight, NDArray bias) {
        long[] shape = weight.getShape().getShape();
        if (shape.length != 2) {
            throw new IllegalArgumentException(
                    "Linear weight " + name + ".weight must be (out, in), got " + weight.getShape());
        }
        int out = (int) shape[0];
        int in = (int) shape[1];
        String product = graph.op("MatMul", x, graph.initializer(name + ".weight", () -> transposed(weight), in, out));
        return graph.op("Add", product, graph.initializer(name + ".bias", bias::toFloatArray, out));
    }

    /** A linear weight (out, in) as the (in, out) matrix {@code MatMul} multiplies by. */
    private static float[] transposed(NDArray weight) {
        int out = (int) weight.getShape().get(0);
        int in = (int) weight.getShape().get(1);
        float[] w = weight.toFloatArray();
        float[] transposed = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                transposed[i * out + o] = w[o * in + i];
            }
        }
        return transposed;
    }

    /**
     * Writes PyTorch's {@code LayerNorm} over the last axis: {@code (x - mean) / sqrt(var + eps) *
     * weight + bias}, with the biased variance.
     *
     * @param graph the graph
     * @param x the input (..., size)
     * @param name the layer's name; its weights become {@code name.weight} and {@code name.bias}
     * @param weight the scale (size)
     * @param bias the shift (size)
     * @param eps the epsilon added to the variance
     * @return the normalized output
     */
    public static String layerNorm(
            OnnxGraphBuilder graph, String x, String name, NDArray weight, NDArray bias, float eps) {
        OnnxAttributes lastAxis = OnnxAttributes.of().integers("axes", -1).integer("keepdims", 1);
        String centered = graph.op("Sub", x, graph.op("ReduceMean", lastAxis, x));
        // Pow, as torch.onnx writes it: ONNX Runtime fuses this pattern into one LayerNormalization
        String variance = graph.op("ReduceMean", lastAxis, graph.op("Pow", centered, graph.scalar(2f)));
        String deviation = graph.op("Sqrt", graph.op("Add", variance, graph.scalar(eps)));
        long size = weight.getShape().size();
        String scaled = graph.op(
                "Mul",
                graph.op("Div", centered, deviation),
                graph.initializer(name + ".weight", weight::toFloatArray, size));
        return graph.op("Add", scaled, graph.initializer(name + ".bias", bias::toFloatArray, size));
    }

    /**
     * Writes the exact GELU, {@code 0.5 x (1 + erf(x / sqrt(2)))}, as PyTorch's default {@code gelu}.
     *
     * @param graph the graph
     * @param x the input
     * @return the output
     */
    public static String gelu(OnnxGraphBuilder graph, String x) {
        String erf = graph.op("Erf", graph.op("Div", x, graph.scalar((float) Math.sqrt(2))));
        String half = graph.op("Mul", x, graph.scalar(0.5f));
        return graph.op("Mul", half, graph.op("Add", erf, graph.scalar(1f)));
    }

    /**
     * Writes a 2-D convolution ({@code nn.Conv2d}, square kernel, stride and zero padding) as one
     * {@code Conv} operator.
     *
     * @param graph the graph
     * @param x the input (batch, in, H, W)
     * @param name the layer's name; its weights become {@code name.weight} and {@code name.bias}
     *     (after {@link ConvWeights#foldBatchNorm} they hold the folded values)
     * @param conv the weights
     * @param stride the stride along both axes
     * @param padding the zero padding on every side
     * @param groups the number of groups the channels are split into (1 for a plain convolution)
     * @return the output (batch, out, H', W')
     */
    public static String conv2d(
            OnnxGraphBuilder graph, String x, String name, ConvWeights conv, int stride, int padding, int groups) {
        long[] shape = conv.shape();
        String weight = graph.initializer(name + ".weight", conv::weight, shape);
        String bias = graph.initializer(name + ".bias", conv::bias, shape[0]);
        OnnxAttributes attributes = OnnxAttributes.of()
                .integers("kernel_shape", shape[2], shape[3])
                .integers("strides", stride, stride)
                .integers("pads", padding, padding, padding, padding)
                .integers("dilations", 1, 1)
                .integer("group", groups);
        return graph.op("Conv", attributes, x, weight, bias);
    }

    /**
     * Writes 2-D max pooling ({@code nn.MaxPool2d}, square window, floor mode); padded positions
     * never win, as in PyTorch.
     *
     * @param graph the graph
     * @param x the input (batch, channels, H, W)
     * @param kernel the window's side
     * @param stride the stride along both axes
     * @param padding the padding on every side
     * @return the output
     */
    public static String maxPool2d(OnnxGraphBuilder graph, String x, int kernel, int stride, int padding) {
        OnnxAttributes attributes = OnnxAttributes.of()
                .integers("kernel_shape", kernel, kernel)
                .integers("strides", stride, stride)
                .integers("pads", padding, padding, padding, padding);
        return graph.op("MaxPool", attributes, x);
    }
}
