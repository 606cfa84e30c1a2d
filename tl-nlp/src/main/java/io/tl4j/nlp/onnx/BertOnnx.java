package io.tl4j.nlp.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.onnx.OnnxAttributes;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import io.tl4j.core.onnx.OnnxGraphBuilder.Dim;
import io.tl4j.core.onnx.OnnxLayers;
import io.tl4j.nlp.bert.BertConfig;
import io.tl4j.nlp.bert.HiddenStates;
import io.tl4j.nlp.bert.Pooling;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a tl4j BERT encoder and its pooling into an ONNX graph, operator for operator what {@code
 * BertEmbeddings}, {@code BertLayer} and {@link Pooling} compute in inference. Inputs are Hugging
 * Face's, as its ONNX exports name them: {@code input_ids}, {@code attention_mask} and {@code
 * token_type_ids}, int64 (batch, sequence), both sizes free. Weights keep their Hugging Face names;
 * linear weights are stored transposed, (in, out), so that tl-nlp's {@code OnnxBertWeights} reads the
 * file back. Padded positions are computed (tl4j skips those past the longest text) but, masked out
 * of attention and pooling, change no output.
 */
public final class BertOnnx {

    /** The graph input holding the token ids. */
    public static final String INPUT_IDS = "input_ids";

    /** The graph input holding the attention mask: 1 for a real token, 0 for padding. */
    public static final String ATTENTION_MASK = "attention_mask";

    /** The graph input holding the token type (segment) ids. */
    public static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OnnxGraphBuilder graph;
    private final BertConfig config;
    private final Map<String, NDArray> weights;

    private BertOnnx(OnnxGraphBuilder graph, BertConfig config, Map<String, NDArray> weights) {
        this.graph = graph;
        this.config = config;
        this.weights = weights;
    }

    /**
     * Writes the encoder and its pooling.
     *
     * @param graph the graph, still without inputs
     * @param config the encoder's sizes
     * @param pooling how token vectors become one feature vector; not {@link Pooling#NONE}
     * @param weights the encoder's parameters under their Hugging Face names
     * @return the features (batch, hidden)
     * @throws UnsupportedOperationException for {@link Pooling#NONE}, whose token-level output has no
     *     fixed width for a head
     * @throws IllegalArgumentException naming a weight the encoder needs and {@code weights} lacks
     */
    public static String write(
            OnnxGraphBuilder graph, BertConfig config, Pooling pooling, Map<String, NDArray> weights) {
        if (pooling == Pooling.NONE) {
            throw new UnsupportedOperationException("A BERT backbone with Pooling.NONE cannot be exported to ONNX: "
                    + "its output is one vector per token; use MEAN, CLS or POOLER");
        }
        return new BertOnnx(graph, config, weights).encoder(pooling);
    }

    /**
     * Splits a batch of a {@code TextPipeline}, token arrays (batch, 3, length), into the three
     * int64 graph inputs, cut after the last position that holds a real token in some text (as the
     * tl4j encoder computes only up to there).
     *
     * @param batch the pipeline's batch
     * @return {@value #INPUT_IDS}, {@value #ATTENTION_MASK} and {@value #TOKEN_TYPE_IDS}, (batch, length)
     * @throws IllegalArgumentException when the batch is not (batch, 3, length)
     */
    public static Map<String, NDArray> inputs(NDList batch) {
        NDArray tokens = batch.singletonOrThrow();
        Shape shape = tokens.getShape();
        if (shape.dimension() != 3 || shape.get(1) != 3) {
            throw new IllegalArgumentException(
                    "BERT input must be (batch, 3, length): input ids, attention mask, token type ids; got " + shape);
        }
        NDArray longs = tokens.toType(DataType.INT64, false);
        long active = HiddenStates.activeLength(longs.get(new NDIndex(":, 1, :")));
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        inputs.put(INPUT_IDS, longs.get(new NDIndex(":, 0, :{}", active)));
        inputs.put(ATTENTION_MASK, longs.get(new NDIndex(":, 1, :{}", active)));
        inputs.put(TOKEN_TYPE_IDS, longs.get(new NDIndex(":, 2, :{}", active)));
        return inputs;
    }

    private String encoder(Pooling pooling) {
        Dim batch = Dim.named("batch");
        Dim sequence = Dim.named("sequence");
        String ids = graph.input(INPUT_IDS, OnnxGraphBuilder.INT64, batch, sequence);
        String mask = graph.input(ATTENTION_MASK, OnnxGraphBuilder.INT64, batch, sequence);
        String types = graph.input(TOKEN_TYPE_IDS, OnnxGraphBuilder.INT64, batch, sequence);
        String hidden = embeddings(ids, types);
        String realTokens = graph.op("Cast", OnnxAttributes.of().integer("to", OnnxGraphBuilder.FLOAT), mask);
        // (1 - mask) * float32 min on every padded key, (batch, 1, 1, sequence), as BertLayer adds it
        String padding = graph.op("Mul", graph.op("Sub", graph.scalar(1f), realTokens), graph.scalar(-Float.MAX_VALUE));
        String additive = graph.op("Unsqueeze", padding, graph.longs(1, 2));
        for (int i = 0; i < config.numLayers(); i++) {
            hidden = layer("encoder.layer." + i + ".", hidden, additive);
        }
        return pool(pooling, hidden, realTokens);
    }

    private String embeddings(String ids, String types) {
        String words = graph.op("Gather", weight("embeddings.word_embeddings.weight"), ids);
        String length = graph.op("Gather", graph.op("Shape", ids), graph.longs(1));
        String positions = graph.op(
                "Slice", weight("embeddings.position_embeddings.weight"), graph.longs(0), length, graph.longs(0));
        String segments = graph.op("Gather", weight("embeddings.token_type_embeddings.weight"), types);
        String sum = graph.op("Add", graph.op("Add", words, positions), segments);
        return layerNorm("embeddings.LayerNorm", sum);
    }

    private String layer(String prefix, String hidden, String additiveMask) {
        String self = prefix + "attention.self.";
        String q = heads(linear(self + "query", hidden), 0, 2, 1, 3);
        String kTransposed = heads(linear(self + "key", hidden), 0, 2, 3, 1);
        String v = heads(linear(self + "value", hidden), 0, 2, 1, 3);
        // the queries are scaled, not the scores, as BertLayer does
        String scaled = graph.op("Div", q, graph.scalar((float) Math.sqrt(config.headSize())));
        String scores = graph.op("Add", graph.op("MatMul", scaled, kTransposed), additiveMask);
        String probabilities = graph.op("Softmax", OnnxAttributes.of().integer("axis", -1), scores);
        String context = graph.op(
                "Reshape",
                graph.op("Transpose", perm(0, 2, 1, 3), graph.op("MatMul", probabilities, v)),
                graph.longs(0, 0, config.hiddenSize()));
        String attended = layerNorm(
                prefix + "attention.output.LayerNorm",
                graph.op("Add", linear(prefix + "attention.output.dense", context), hidden));
        String inner = activate(linear(prefix + "intermediate.dense", attended));
        return layerNorm(
                prefix + "output.LayerNorm", graph.op("Add", linear(prefix + "output.dense", inner), attended));
    }

    /** Splits (batch, sequence, hidden) into heads and orders the axes by {@code order}. */
    private String heads(String x, long... order) {
        String split = graph.op("Reshape", x, graph.longs(0, 0, config.numHeads(), config.headSize()));
        return graph.op("Transpose", perm(order), split);
    }

    private static OnnxAttributes perm(long... order) {
        return OnnxAttributes.of().integers("perm", order);
    }

    private String activate(String x) {
        return switch (config.activation()) {
            case GELU -> OnnxLayers.gelu(graph, x);
            case RELU -> graph.op("Relu", x);
            case GELU_TANH -> {
                // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
                String cube = graph.op("Mul", graph.op("Mul", x, x), x);
                String inner = graph.op(
                        "Mul", graph.op("Add", graph.op("Mul", cube, graph.scalar(0.044715f)), x), graph.scalar((float)
                                Math.sqrt(2 / Math.PI)));
                String half = graph.op("Mul", x, graph.scalar(0.5f));
                yield graph.op("Mul", half, graph.op("Add", graph.op("Tanh", inner), graph.scalar(1f)));
            }
        };
    }

    private String pool(Pooling pooling, String hidden, String realTokens) {
        if (pooling == Pooling.MEAN) {
            String mask = graph.op("Unsqueeze", realTokens, graph.longs(2));
            OnnxAttributes keepNoAxis = OnnxAttributes.of().integer("keepdims", 0);
            String sum = graph.op("ReduceSum", keepNoAxis, graph.op("Mul", hidden, mask), graph.longs(1));
            String count = graph.op("ReduceSum", keepNoAxis, mask, graph.longs(1));
            return graph.op("Div", sum, graph.op("Max", count, graph.scalar(1e-9f)));
        }
        String cls = graph.op(
                "Gather", OnnxAttributes.of().integer("axis", 1), hidden, graph.initializer("cls_position", new long[] {
                    0
                }));
        if (pooling == Pooling.CLS) {
            return cls;
        }
        return graph.op("Tanh", linear("pooler.dense", cls));
    }

    private String linear(String name, String x) {
        return OnnxLayers.linear(graph, x, name, array(name + ".weight"), array(name + ".bias"));
    }

    private String layerNorm(String name, String x) {
        return OnnxLayers.layerNorm(
                graph, x, name, array(name + ".weight"), array(name + ".bias"), config.layerNormEps());
    }

    private String weight(String name) {
        NDArray array = array(name);
        return graph.initializer(name, array.toFloatArray(), array.getShape().getShape());
    }

    private NDArray array(String name) {
        NDArray array = weights.get(name);
        if (array == null) {
            throw new IllegalArgumentException("Cannot export the BERT encoder to ONNX: it has no weight " + name);
        }
        return array;
    }
}
