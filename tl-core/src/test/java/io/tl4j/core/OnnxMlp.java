package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.onnx.OnnxAttributes;
import io.tl4j.core.onnx.OnnxExportable;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import io.tl4j.core.onnx.OnnxLayers;
import java.util.Map;

/**
 * A test architecture that exports to ONNX: the input flattened, then blocks {@code block1}, {@code
 * block2}, ... of Linear and ReLU (the weights are whatever the backbone's seed initializes).
 */
final class OnnxMlp implements Architecture, OnnxExportable {

    private final int[] units;

    OnnxMlp(int... units) {
        this.units = units.clone();
    }

    /** Returns a backbone of this architecture over {@link Fixtures}' inputs, randomly initialized. */
    static Backbone<float[]> backbone(int... units) {
        return Backbone.<float[]>builder()
                .setArchitecture(new OnnxMlp(units))
                .setPipeline(TensorPipeline.of(new ai.djl.ndarray.types.Shape(Fixtures.INPUT)))
                .build();
    }

    @Override
    public Block newBlock(NDManager manager) {
        LayeredBlock net = new LayeredBlock();
        for (int i = 0; i < units.length; i++) {
            SequentialBlock block = new SequentialBlock();
            if (i == 0) {
                block.add(Blocks.batchFlattenBlock());
            }
            net.add(
                    "block" + (i + 1),
                    block.add(Linear.builder().setUnits(units[i]).build()).add(Activation.reluBlock()));
        }
        return net;
    }

    @Override
    public String id() {
        return "test.onnx-mlp";
    }

    @Override
    public Record config() {
        return new Components.NoConfig();
    }

    @Override
    public String writeOnnx(OnnxGraphBuilder graph, Map<String, NDArray> weights) {
        String x = graph.input(
                "x",
                OnnxGraphBuilder.FLOAT,
                OnnxGraphBuilder.Dim.named("batch"),
                OnnxGraphBuilder.Dim.fixed(Fixtures.INPUT));
        x = graph.op("Flatten", OnnxAttributes.of().integer("axis", 1), x);
        for (int i = 1; i <= units.length; i++) {
            String block = "block" + i;
            x = graph.op(
                    "Relu",
                    OnnxLayers.linear(
                            graph, x, block, weight(weights, block, "weight"), weight(weights, block, "bias")));
        }
        return x;
    }

    private static NDArray weight(Map<String, NDArray> weights, String block, String kind) {
        return weights.entrySet().stream()
                .filter(e -> e.getKey().startsWith(block + ".") && e.getKey().endsWith("." + kind))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("no " + kind + " of " + block + " in " + weights.keySet()));
    }

    @Override
    public Map<String, NDArray> onnxInputs(NDList batch) {
        return Map.of("x", batch.head());
    }
}
