package io.tl4j.vision.models;

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
 * Writes tl4j's {@link ResNet} and {@link Vgg} into an ONNX graph, operator for operator what they
 * compute in inference: every BatchNorm folded into the convolution before it ({@link
 * ConvWeights#foldBatchNorm}), so the graph holds {@code Conv}, {@code Relu}, {@code MaxPool}, {@code
 * Add}, {@code GlobalAveragePool}, {@code Flatten} and, for linear layers, {@code MatMul} and {@code
 * Add}. VGG's adaptive average pooling to 7x7 is written exactly for any input size: PyTorch's
 * averaging bins are built in the graph from the feature map's size and applied as two matrix
 * products, as {@link AdaptiveAvgPool2d} computes them (an identity at 224x224). The input is
 * {@value #PIXEL_VALUES}, float32 (batch, channels, height, width), batch, height and width free.
 * Weights keep torchvision's names; a folded convolution's {@code name.weight} and {@code name.bias}
 * hold the folded values.
 */
public final class VisionOnnx {

    /** The graph input holding the images, as the vision pipelines make them. */
    public static final String PIXEL_VALUES = "pixel_values";

    private final OnnxGraphBuilder graph;
    private final Map<String, NDArray> weights;
    private final String network;

    private VisionOnnx(OnnxGraphBuilder graph, Map<String, NDArray> weights, String network) {
        this.graph = graph;
        this.weights = weights;
        this.network = network;
    }

    /**
     * Writes a ResNet: the stem, every residual block (basic or bottleneck, with its projection),
     * the global average pooling and, when the network keeps one, {@code fc}.
     *
     * @param graph the graph, still without inputs
     * @param resnet the architecture
     * @param weights its parameters under torchvision's names
     * @return the features (batch, features), or the {@code fc} scores (batch, classes)
     * @throws IllegalArgumentException naming a weight the network needs and {@code weights} lacks
     */
    public static String resNet(OnnxGraphBuilder graph, ResNet resnet, Map<String, NDArray> weights) {
        return new VisionOnnx(graph, weights, resnet.toString()).resNet(resnet);
    }

    /**
     * Writes a VGG: {@code features}, the adaptive average pooling to 7x7 and {@code classifier}
     * (dropout left out, as in inference).
     *
     * @param graph the graph, still without inputs
     * @param vgg the architecture
     * @param weights its parameters under torchvision's names
     * @return the features (batch, 4096), or the {@code classifier.6} scores (batch, classes)
     * @throws IllegalArgumentException naming a weight the network needs and {@code weights} lacks
     */
    public static String vgg(OnnxGraphBuilder graph, Vgg vgg, Map<String, NDArray> weights) {
        return new VisionOnnx(graph, weights, vgg.toString()).vgg(vgg);
    }

    /**
     * Makes the graph input out of a vision pipeline's batch.
     *
     * @param batch the pipeline's batch, one array (batch, channels, height, width)
     * @return {@value #PIXEL_VALUES}, float32
     * @throws IllegalArgumentException when the batch is not one 4-D array
     */
    public static Map<String, NDArray> inputs(NDList batch) {
        NDArray images = batch.singletonOrThrow();
        if (images.getShape().dimension() != 4) {
            throw new IllegalArgumentException(
                    "Image input must be (batch, channels, height, width), got " + images.getShape());
        }
        return Map.of(
                PIXEL_VALUES,
                images.getDataType() == DataType.FLOAT32 ? images : images.toType(DataType.FLOAT32, false));
    }

    private String resNet(ResNet resnet) {
        String x = input("conv1.weight");
        boolean small = resnet.config().smallImageStem();
        x = graph.op("Relu", conv("conv1", "bn1", x, small ? 1 : 2, small ? 1 : 3));
        if (!small) {
            x = OnnxLayers.maxPool2d(graph, x, 3, 2, 1);
        }
        int[] blocks = resnet.blocksPerStage();
        for (int stage = 0; stage < blocks.length; stage++) {
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                x = residual("layer" + (stage + 1) + "." + b + ".", x, resnet.blockType(), stride);
            }
        }
        x = flatten(graph.op("GlobalAveragePool", x));
        return resnet.numClasses() > 0 ? linear("fc", x) : x;
    }

    /** One residual block: its main path, the shortcut (projected when it has a downsample), Add, Relu. */
    private String residual(String prefix, String input, BlockType type, int stride) {
        String x = input;
        int convolutions = type == BlockType.BASIC ? 2 : 3;
        for (int i = 1; i <= convolutions; i++) {
            boolean strided = type == BlockType.BASIC ? i == 1 : i == 2;
            int kernel = type == BlockType.BASIC || i == 2 ? 3 : 1;
            x = conv(prefix + "conv" + i, prefix + "bn" + i, x, strided ? stride : 1, kernel / 2);
            if (i < convolutions) {
                x = graph.op("Relu", x);
            }
        }
        // ResidualBlock subsamples and then runs a stride-1 1x1 convolution: the same numbers as this
        String shortcut = weights.containsKey(prefix + "downsample.0.weight")
                ? conv(prefix + "downsample.0", prefix + "downsample.1", input, stride, 0)
                : input;
        return graph.op("Relu", graph.op("Add", x, shortcut));
    }

    private String vgg(Vgg vgg) {
        String x = input("features.0.weight");
        int position = 0;
        for (int channels : Vgg.layout(vgg.depth())) {
            if (channels == 0) {
                x = OnnxLayers.maxPool2d(graph, x, 2, 2, 0);
                position++;
                continue;
            }
            String name = "features." + position;
            ConvWeights conv = ConvWeights.of(name, array(name + ".weight"), array(name + ".bias"));
            if (vgg.batchNorm()) {
                conv = folded(conv, "features." + (position + 1));
            }
            x = graph.op("Relu", OnnxLayers.conv2d(graph, x, name, conv, 1, 1, 1));
            position += vgg.batchNorm() ? 3 : 2;
        }
        x = flatten(adaptiveAveragePool(graph, x, 7));
        x = graph.op("Relu", linear("classifier.0", x));
        x = graph.op("Relu", linear("classifier.3", x));
        return vgg.numClasses() > 0 ? linear("classifier.6", x) : x;
    }

    /** Declares the image input, its channels those of the first convolution. */
    private String input(String firstConvolution) {
        long channels = array(firstConvolution).getShape().get(1);
        return graph.input(
                PIXEL_VALUES,
                OnnxGraphBuilder.FLOAT,
                Dim.named("batch"),
                Dim.fixed(channels),
                Dim.named("height"),
                Dim.named("width"));
    }

    /** A bias-free convolution and the BatchNorm after it, folded into one {@code Conv}. */
    private String conv(String name, String norm, String x, int stride, int padding) {
        ConvWeights folded = folded(ConvWeights.of(name, array(name + ".weight"), null), norm);
        return OnnxLayers.conv2d(graph, x, name, folded, stride, padding, 1);
    }

    private ConvWeights folded(ConvWeights conv, String norm) {
        return conv.foldBatchNorm(
                norm,
                array(norm + ".weight"),
                array(norm + ".bias"),
                array(norm + ".running_mean"),
                array(norm + ".running_var"),
                BatchNorm2d.DEFAULT_EPSILON);
    }

    /**
     * PyTorch's adaptive average pooling to {@code out x out} for a feature map of any size: the
     * bins' averaging matrices (row i holds 1/len over positions floor(i*n/out) to ceil((i+1)*n/out),
     * exclusive) built from the map's height and width, then {@code rows x map x columnsᵀ}.
     */
    static String adaptiveAveragePool(OnnxGraphBuilder graph, String x, int out) {
        String dims = graph.op("Shape", x);
        String rows =
                binMatrix(graph, graph.op("Gather", dims, scalar(graph, "avgpool.height_axis", 2)), out, "height");
        String columns =
                binMatrix(graph, graph.op("Gather", dims, scalar(graph, "avgpool.width_axis", 3)), out, "width");
        String pooledRows = graph.op("MatMul", rows, x);
        String columnsTransposed = graph.op("Transpose", OnnxAttributes.of().integers("perm", 1, 0), columns);
        return graph.op("MatMul", pooledRows, columnsTransposed);
    }

    /** The (out, n) averaging matrix of the bins along an axis of size {@code n} (an int64 scalar). */
    private static String binMatrix(OnnxGraphBuilder graph, String n, int out, String axis) {
        long[] index = new long[out];
        long[] next = new long[out];
        for (int i = 0; i < out; i++) {
            index[i] = i;
            next[i] = i + 1L;
        }
        String bins = scalar(graph, "avgpool." + axis + "_bins", out);
        String i = graph.initializer("avgpool." + axis + "_index", index, out);
        String iNext = graph.initializer("avgpool." + axis + "_next", next, out);
        // integer division of non-negative values floors; ceil(a / b) = floor((a + b - 1) / b)
        String start = graph.op("Div", graph.op("Mul", i, n), bins);
        String end = graph.op(
                "Div",
                graph.op("Add", graph.op("Mul", iNext, n), scalar(graph, "avgpool." + axis + "_round", out - 1)),
                bins);
        String positions = graph.op(
                "Unsqueeze",
                graph.op(
                        "Range",
                        scalar(graph, "avgpool." + axis + "_zero", 0),
                        n,
                        scalar(graph, "avgpool." + axis + "_one", 1)),
                graph.longs(0));
        String startColumn = graph.op("Unsqueeze", start, graph.longs(1));
        String endColumn = graph.op("Unsqueeze", end, graph.longs(1));
        String inBin = graph.op(
                "And", graph.op("GreaterOrEqual", positions, startColumn), graph.op("Less", positions, endColumn));
        OnnxAttributes toFloat = OnnxAttributes.of().integer("to", OnnxGraphBuilder.FLOAT);
        String length = graph.op("Cast", toFloat, graph.op("Sub", endColumn, startColumn));
        return graph.op("Div", graph.op("Cast", toFloat, inBin), length);
    }

    private static String scalar(OnnxGraphBuilder graph, String name, long value) {
        return graph.initializer(name, new long[] {value});
    }

    private String flatten(String x) {
        return graph.op("Flatten", OnnxAttributes.of().integer("axis", 1), x);
    }

    private String linear(String name, String x) {
        return OnnxLayers.linear(graph, x, name, array(name + ".weight"), array(name + ".bias"));
    }

    private NDArray array(String name) {
        NDArray array = weights.get(name);
        if (array == null) {
            throw new IllegalArgumentException("Cannot export " + network + " to ONNX: it has no weight " + name);
        }
        return array;
    }
}
