package io.tl4j.nlp.bert;

import io.tl4j.nlp.bert.OnnxGraph.Node;
import io.tl4j.nlp.bert.OnnxGraph.Tensor;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the initializers of an ONNX export of a BERT encoder (Hugging Face's {@code
 * torch.onnx.export} / Optimum layout) into Hugging Face named float tensors and infers the
 * configuration from the graph.
 *
 * <p>Embedding, LayerNorm and bias initializers keep their Hugging Face names. Linear weights are
 * anonymous ({@code onnx::MatMul_787}) and stored transposed, (in, out): each takes the name of the
 * bias that an {@code Add} node adds to its {@code MatMul}'s output ({@code
 * encoder.layer.0.attention.self.query.bias} gives {@code ...query.weight}) and is transposed to
 * (out, in). The {@code embeddings.position_ids} buffer is dropped.
 *
 * <p>The configuration comes from the shapes (vocabulary, hidden size, positions, token types,
 * feed-forward size, layer count), the heads from the constants of the attention {@code Reshape}
 * (heads x head size = hidden size), the activation from the operators ({@code Erf}: GELU; a cube
 * {@code Pow} with {@code Tanh}: its tanh approximation) and the LayerNorm epsilon from the constant
 * added before its {@code Sqrt} (or a {@code LayerNormalization}'s attribute).
 */
final class OnnxBertWeights {

    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    private OnnxBertWeights() {}

    /** The converted tensors (name to shape and values) and the inferred configuration. */
    record Converted(BertConfig config, Map<String, long[]> shapes, Map<String, float[]> values) {}

    static Converted convert(OnnxGraph graph) {
        Map<String, Tensor> init = graph.initializers();
        Map<String, Node> consumerAdd = new HashMap<>();
        Map<String, Tensor> constants = new HashMap<>();
        for (Node node : graph.nodes()) {
            if (node.opType().equals("Add")) {
                node.inputs().forEach(input -> consumerAdd.put(input, node));
            } else if (node.opType().equals("Constant") && node.tensorAttributes().containsKey("value")) {
                constants.put(node.outputs().get(0), node.tensorAttributes().get("value"));
            }
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, String> renamed = new HashMap<>();
        for (Node node : graph.nodes()) {
            if (!node.opType().equals("MatMul") || node.inputs().size() != 2) {
                continue;
            }
            Tensor weight = init.get(node.inputs().get(1));
            if (weight == null || weight.floats() == null) {
                continue;
            }
            Node add = consumerAdd.get(node.outputs().get(0));
            String bias = add == null ? null : add.inputs().stream()
                    .filter(i -> i.endsWith(".bias") && init.containsKey(i)).findFirst().orElse(null);
            if (bias == null) {
                throw new IllegalArgumentException("ONNX file " + graph.source() + ": the MatMul weight "
                        + weight.name() + " (node " + node.name() + ") is not followed by an Add of a named "
                        + "bias, so its Hugging Face name cannot be found");
            }
            String name = strip(bias.substring(0, bias.length() - ".bias".length()) + ".weight");
            if (renamed.put(weight.name(), name) != null || shapes.containsKey(name)) {
                throw new IllegalArgumentException("ONNX file " + graph.source() + ": two MatMul weights map to "
                        + name);
            }
            if (weight.dims().length != 2) {
                throw new IllegalArgumentException("ONNX file " + graph.source() + ": MatMul weight " + weight.name()
                        + " (" + name + ") has shape " + java.util.Arrays.toString(weight.dims()) + ", expected 2-D");
            }
            int in = (int) weight.dims()[0];
            int out = (int) weight.dims()[1];
            float[] transposed = new float[in * out];
            float[] src = weight.floats();
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    transposed[o * in + i] = src[i * out + o];
                }
            }
            shapes.put(name, new long[] {out, in});
            values.put(name, transposed);
        }
        for (Tensor t : init.values()) {
            if (t.floats() == null || renamed.containsKey(t.name()) || t.dims().length == 0) {
                continue; // integer buffers (position_ids), scalars of the graph, and the weights handled above
            }
            String name = strip(t.name());
            shapes.put(name, t.dims());
            values.put(name, t.floats());
        }
        return new Converted(inferConfig(graph, shapes, constants), shapes, values);
    }

    private static String strip(String name) {
        return name.startsWith("bert.") ? name.substring("bert.".length()) : name;
    }

    private static BertConfig inferConfig(OnnxGraph graph, Map<String, long[]> shapes, Map<String, Tensor> constants) {
        long[] words = require(graph, shapes, "embeddings.word_embeddings.weight");
        long[] positions = require(graph, shapes, "embeddings.position_embeddings.weight");
        long[] types = require(graph, shapes, "embeddings.token_type_embeddings.weight");
        long[] intermediate = require(graph, shapes, "encoder.layer.0.intermediate.dense.bias");
        int layers = 0;
        for (String name : shapes.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        int hidden = (int) words[1];
        Map<Integer, Integer> votes = new TreeMap<>();
        Map<String, Node> producers = new HashMap<>();
        graph.nodes().forEach(n -> n.outputs().forEach(o -> producers.put(o, n)));
        for (Node node : graph.nodes()) {
            if (!node.opType().equals("Reshape") || node.inputs().size() < 2) {
                continue;
            }
            long[] target = constantValues(node.inputs().get(1), producers, constants);
            if (target != null && target.length >= 2) {
                long heads = target[target.length - 2];
                long size = target[target.length - 1];
                if (heads > 0 && size > 0 && heads * size == hidden) {
                    votes.merge((int) heads, 1, Integer::sum);
                }
            }
        }
        if (votes.isEmpty()) {
            throw new IllegalArgumentException("ONNX file " + graph.source() + ": cannot find the number of "
                    + "attention heads in the graph's Reshape constants; pass a BertConfig explicitly");
        }
        int heads = votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        return new BertConfig((int) words[0], hidden, layers, heads, (int) intermediate[0],
                activation(graph), epsilon(graph, producers, constants), (int) positions[0], (int) types[0],
                0.1f, 0.1f);
    }

    /** The values of a Concat of integer constants (or one constant), else null. */
    private static long[] constantValues(String name, Map<String, Node> producers, Map<String, Tensor> constants) {
        Tensor constant = constants.get(name);
        if (constant != null) {
            return constant.longs();
        }
        Node producer = producers.get(name);
        if (producer == null || !producer.opType().equals("Concat")) {
            return null;
        }
        List<String> inputs = producer.inputs();
        long[] values = new long[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            Tensor part = constants.get(inputs.get(i));
            values[i] = part != null && part.longs() != null && part.longs().length == 1 ? part.longs()[0] : -1;
        }
        return values;
    }

    private static BertConfig.HiddenActivation activation(OnnxGraph graph) {
        boolean tanh = false;
        boolean relu = false;
        for (Node node : graph.nodes()) {
            switch (node.opType()) {
                case "Erf", "Gelu" -> {
                    return BertConfig.HiddenActivation.GELU;
                }
                case "FastGelu", "Tanh" -> tanh = true;
                case "Relu" -> relu = true;
                default -> { }
            }
        }
        if (tanh) {
            return BertConfig.HiddenActivation.GELU_TANH;
        }
        if (relu) {
            return BertConfig.HiddenActivation.RELU;
        }
        throw new IllegalArgumentException("ONNX file " + graph.source()
                + ": no Erf, Gelu, Tanh or Relu operator, so the feed-forward activation is unknown");
    }

    private static float epsilon(OnnxGraph graph, Map<String, Node> producers, Map<String, Tensor> constants) {
        for (Node node : graph.nodes()) {
            if (node.opType().equals("LayerNormalization") && node.floatAttributes().containsKey("epsilon")) {
                return node.floatAttributes().get("epsilon");
            }
            if (node.opType().equals("Sqrt")) {
                Node add = producers.get(node.inputs().get(0));
                if (add != null && add.opType().equals("Add")) {
                    for (String input : add.inputs()) {
                        Tensor c = constants.get(input);
                        if (c != null && c.floats() != null && c.floats().length == 1) {
                            return c.floats()[0];
                        }
                    }
                }
            }
        }
        throw new IllegalArgumentException("ONNX file " + graph.source()
                + ": cannot find the LayerNorm epsilon (no LayerNormalization node, no Add before a Sqrt)");
    }

    private static long[] require(OnnxGraph graph, Map<String, long[]> shapes, String name) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("ONNX file " + graph.source() + " has no tensor " + name
                    + "; is it a BERT encoder?");
        }
        return shape;
    }
}
