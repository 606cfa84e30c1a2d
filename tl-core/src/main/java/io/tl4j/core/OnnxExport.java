package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.util.Pair;
import io.tl4j.core.lora.Lora;
import io.tl4j.core.nn.LowRankUpdate;
import io.tl4j.core.onnx.OnnxAttributes;
import io.tl4j.core.onnx.OnnxExportable;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import io.tl4j.core.onnx.OnnxLayers;
import io.tl4j.core.weights.StateDict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a trained {@link Network} as an ONNX model for inference: the backbone by its architecture
 * ({@link OnnxExportable}), then the adapter layers and the head, whose output is {@value #LOGITS}
 * (batch, classes), the scores before softmax. Dropout is left out, as in inference, and LoRA updates are
 * folded into their layers' weights.
 */
final class OnnxExport {

    /** The name of the exported model's output. */
    static final String LOGITS = "logits";

    /** The name of an exported backbone's output. */
    static final String FEATURES = "features";

    private OnnxExport() {}

    /**
     * Exports a network.
     *
     * @param manager the model's manager, to refuse a closed model
     * @param net the trained network
     * @param architecture the backbone's architecture
     * @param classes the number of classes
     * @param file the {@code .onnx} file to write
     * @throws IllegalArgumentException when the file is null or its directory does not exist
     * @throws IllegalStateException when the model is closed
     * @throws UnsupportedOperationException naming the architecture or layer that cannot be exported
     */
    static void write(NDManager manager, Network net, Architecture architecture, int classes, Path file) {
        OnnxExportable exportable = exportable(manager, architecture, file);
        OnnxGraphBuilder graph = new OnnxGraphBuilder(architecture.id());
        try (NDManager folded = manager.newSubManager()) {
            String x = backbone(graph, net, exportable, folded);
            if (net.adapter() != null) {
                x = sequential(graph, Network.ADAPTER, net.adapter(), x);
            }
            x = sequential(graph, Network.HEAD, net.head(), x);
            graph.output(
                    LOGITS,
                    x,
                    OnnxGraphBuilder.FLOAT,
                    OnnxGraphBuilder.Dim.named("batch"),
                    OnnxGraphBuilder.Dim.fixed(classes));
            graph.write(file, "tl4j");
        }
    }

    /**
     * Exports a network's backbone alone, its output {@value #FEATURES} (batch, features): the frozen
     * features a feature cache holds, flattened.
     *
     * @param manager the network's manager, to refuse a closed one
     * @param net the network
     * @param architecture the backbone's architecture
     * @param file the {@code .onnx} file to write
     * @throws IllegalArgumentException when the file is null or its directory does not exist
     * @throws IllegalStateException when the manager is closed
     * @throws UnsupportedOperationException naming the architecture when it cannot be exported
     */
    static void writeBackbone(NDManager manager, Network net, Architecture architecture, Path file) {
        OnnxExportable exportable = exportable(manager, architecture, file);
        OnnxGraphBuilder graph = new OnnxGraphBuilder(architecture.id());
        try (NDManager folded = manager.newSubManager()) {
            String x = backbone(graph, net, exportable, folded);
            graph.output(
                    FEATURES,
                    x,
                    OnnxGraphBuilder.FLOAT,
                    OnnxGraphBuilder.Dim.named("batch"),
                    OnnxGraphBuilder.Dim.named("features"));
            graph.write(file, "tl4j");
        }
    }

    private static OnnxExportable exportable(NDManager manager, Architecture architecture, Path file) {
        if (file == null) {
            throw new IllegalArgumentException("exportOnnx(null): pass the path of the .onnx file to write");
        }
        if (!manager.isOpen()) {
            throw new IllegalStateException(
                    "Cannot export the model (" + architecture.id() + ") to " + file + ": the model is closed");
        }
        Path directory = file.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IllegalArgumentException(
                    "Cannot export to " + file + ": the directory " + directory + " does not exist");
        }
        if (!(architecture instanceof OnnxExportable exportable)) {
            throw new UnsupportedOperationException("Architecture '" + architecture.id() + "' (" + architecture
                    + ") cannot be exported to ONNX: exporting needs an architecture that implements "
                    + OnnxExportable.class.getName() + "; tl4j's BERT encoders (tl-nlp, tl4j.bert) with MEAN, CLS "
                    + "or POOLER pooling, ResNets and VGGs (tl-vision) and Architectures.convNet (the keyword "
                    + "encoder) do");
        }
        return exportable;
    }

    /** Writes the backbone's forward pass with its trained weights, LoRA updates folded in; returns its output. */
    private static String backbone(OnnxGraphBuilder graph, Network net, OnnxExportable exportable, NDManager folded) {
        Map<String, NDArray> backbone = new LinkedHashMap<>();
        String prefix = Network.BACKBONE + ".";
        StateDict.export(net.root).forEach((name, array) -> {
            if (name.startsWith(prefix)) {
                backbone.put(name.substring(prefix.length()), array);
            }
        });
        foldLowRankUpdates(net.backbone, backbone, folded);
        return exportable.writeOnnx(graph, backbone);
    }

    /**
     * Replaces, in a backbone's exported weights, the weight of each layer with a LoRA update by the
     * one it computes with in inference ({@link LowRankUpdate#inferenceWeight}: merged or not, the
     * same) and drops the updates' own parameters, so the graph holds plain linear layers that run at
     * the base network's speed.
     */
    private static void foldLowRankUpdates(Block backbone, Map<String, NDArray> weights, NDManager manager) {
        Lora.updates(backbone)
                .forEach((layer, update) -> weights.put(layer + ".weight", update.inferenceWeight(manager)));
        weights.keySet().removeIf(Lora::isLoraParameter);
    }

    /**
     * Writes the layers {@link Head} and the adapter are made of, child by child: flatten, linear,
     * ReLU, GELU, tanh; dropout is the identity in inference.
     */
    private static String sequential(OnnxGraphBuilder graph, String name, Block block, String input) {
        if (!(block instanceof SequentialBlock)) {
            throw new UnsupportedOperationException("The " + name + " is a custom block ("
                    + block.getClass().getName() + ") and cannot be exported to ONNX; heads made by Head.linear() "
                    + "and Head.mlp(...) can");
        }
        String x = input;
        int position = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            Block layer = child.getValue();
            String at = name + "." + position++;
            if (layer instanceof Linear) {
                x = OnnxLayers.linear(
                        graph,
                        x,
                        at,
                        layer.getParameters().get("weight").getArray(),
                        layer.getParameters().get("bias").getArray());
            } else if (layer instanceof LambdaBlock lambda) {
                x = switch (lambda.getName()) {
                    case "batchFlatten" ->
                        graph.op("Flatten", OnnxAttributes.of().integer("axis", 1), x);
                    case "ReLU" -> graph.op("Relu", x);
                    case "Tanh" -> graph.op("Tanh", x);
                    case "GELU" -> OnnxLayers.gelu(graph, x);
                    default ->
                        throw new UnsupportedOperationException(
                                "Layer " + at + " (" + lambda.getName() + ") cannot be exported to ONNX");
                };
            } else if (!(layer instanceof Dropout)) {
                throw new UnsupportedOperationException(
                        "Layer " + at + " (" + layer.getClass().getName() + ") cannot be exported to ONNX");
            }
        }
        return x;
    }
}
