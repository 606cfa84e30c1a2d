package io.tl4j.nlp.weights;

import io.tl4j.nlp.weights.OnnxGraph.Node;
import io.tl4j.nlp.weights.OnnxGraph.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 *
 * @param tensors the weights under Hugging Face names, linear weights (out, in)
 * @param heads the number of attention heads
 * @param activation the feed-forward activation's Hugging Face name: {@code gelu}, {@code gelu_new}
 *     (tanh approximation) or {@code relu}
 * @param layerNormEps the LayerNorm epsilon
 */
public record OnnxBertWeights(BertTensors tensors, int heads, String activation, float layerNormEps) {

    /**
     * Converts the initializers of an ONNX export and reads the sizes the shapes do not show off the
     * graph.
     *
     * @param graph the export
     * @return the tensors and the graph's facts
     * @throws IllegalArgumentException naming the file when a weight cannot be named or a fact found
     */
    public static OnnxBertWeights convert(OnnxGraph graph) {
        Map<String, Tensor> init = graph.initializers();
        Map<String, Node> consumerAdd = new HashMap<>();
        Map<String, Tensor> constants = new HashMap<>();
        for (Node node : graph.nodes()) {
            if (node.opType().equals("Add")) {
                node.inputs().forEach(input -> consumerAdd.put(input, node));
            } else if (node.opType().equals("Constant")
                    && node.tensorAttributes().containsKey("value")) {
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
            String bias = add == null
                    ? null
                    : add.inputs().stream()
                            .filter(i -> i.endsWith(".bias") && init.containsKey(i))
                            .findFirst()
                            .orElse(null);
            if (bias == null) {
                throw new IllegalArgumentException("ONNX file " + graph.source() + ": the MatMul weight "
                        + weight.name() + " (node " + node.name() + ") is not followed by an Add of a named "
                        + "bias, so its Hugging Face name cannot be found");
            }
            String name = strip(bias.substring(0, bias.length() - ".bias".length()) + ".weight");
            if (renamed.put(weight.name(), name) != null || shapes.containsKey(name)) {
                throw new IllegalArgumentException(
                        "ONNX file " + graph.source() + ": two MatMul weights map to " + name);
            }
            if (weight.dims().length != 2) {
                throw new IllegalArgumentException("ONNX file " + graph.source() + ": MatMul weight " + weight.name()
                        + " (" + name + ") has shape " + java.util.Arrays.toString(weight.dims()) + ", expected 2-D");
            }
            int in = (int) weight.dims()[0];
            int out = (int) weight.dims()[1];
            float[] transposed = BertTensors.transpose(weight.floats(), in, out);
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
        return facts(graph, new BertTensors(shapes, values), constants);
    }

    private static String strip(String name) {
        return name.startsWith("bert.") ? name.substring("bert.".length()) : name;
    }

    private static OnnxBertWeights facts(OnnxGraph graph, BertTensors tensors, Map<String, Tensor> constants) {
        String source = "ONNX file " + graph.source();
        int hidden = (int) tensors.shape("embeddings.word_embeddings.weight", source)[1];
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
        int heads = votes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        return new OnnxBertWeights(tensors, heads, activation(graph), epsilon(graph, producers, constants));
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

    private static String activation(OnnxGraph graph) {
        boolean tanh = false;
        boolean relu = false;
        for (Node node : graph.nodes()) {
            switch (node.opType()) {
                case "Erf", "Gelu" -> {
                    return "gelu";
                }
                case "FastGelu", "Tanh" -> tanh = true;
                case "Relu" -> relu = true;
                default -> {}
            }
        }
        if (tanh) {
            return "gelu_new";
        }
        if (relu) {
            return "relu";
        }
        throw new IllegalArgumentException("ONNX file " + graph.source()
                + ": no Erf, Gelu, Tanh or Relu operator, so the feed-forward activation is unknown");
    }

    private static float epsilon(OnnxGraph graph, Map<String, Node> producers, Map<String, Tensor> constants) {
        for (Node node : graph.nodes()) {
            if (node.opType().equals("LayerNormalization")
                    && node.floatAttributes().containsKey("epsilon")) {
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
}
