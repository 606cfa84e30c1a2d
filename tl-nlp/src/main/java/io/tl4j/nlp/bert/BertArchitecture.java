package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Architecture;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.onnx.OnnxExportable;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import io.tl4j.nlp.onnx.BertOnnx;
import java.util.Map;
import java.util.Objects;

/**
 * A BERT encoder as a {@link LayeredBlock} with Hugging Face's parameter names: layers {@code
 * embeddings}, {@code encoder.layer.0} ... {@code encoder.layer.N-1} and, by {@link Pooling}, {@code
 * pooling} or {@code pooler}. Its input is the token arrays of a {@code TextPipeline} (batch, 3,
 * length); its output one feature vector per text (batch, hidden), or {@link HiddenStates} for
 * {@link Pooling#NONE}. With {@link Pooling#MEAN}, {@link Pooling#CLS} or {@link Pooling#POOLER} it
 * exports to ONNX ({@link BertOnnx}).
 */
public final class BertArchitecture implements Architecture, OnnxExportable {

    /** The id under which saved models find this architecture again. */
    public static final String ID = "tl4j.bert";

    private final BertConfig config;
    private final Pooling pooling;

    private BertArchitecture(BertConfig config, Pooling pooling) {
        this.config = Objects.requireNonNull(config, "config");
        this.pooling = Objects.requireNonNull(pooling, "pooling");
    }

    /**
     * Returns the architecture of a BERT encoder of those sizes with that pooling.
     *
     * @param config the encoder's sizes
     * @param pooling how token vectors become one feature vector
     * @return the architecture
     */
    public static BertArchitecture of(BertConfig config, Pooling pooling) {
        return new BertArchitecture(config, pooling);
    }

    /**
     * The configuration of a {@link BertArchitecture}, as saved models store it.
     *
     * @param huggingFaceConfig the encoder's shape as its Hugging Face {@code config.json} holds it
     * @param pooling how token vectors become one feature vector
     */
    public record Config(JsonObject huggingFaceConfig, Pooling pooling) {}

    /**
     * Rebuilds an architecture from {@link #config()}.
     *
     * @param config the configuration
     * @return the architecture
     */
    public static BertArchitecture fromConfig(Config config) {
        JsonObject encoder = Objects.requireNonNull(
                config.huggingFaceConfig(), "BertArchitecture config has no 'huggingFaceConfig'");
        return new BertArchitecture(BertConfig.fromJson(encoder.toString()), config.pooling());
    }

    /** Returns the encoder's sizes. */
    public BertConfig bertConfig() {
        return config;
    }

    /** Returns how token vectors become one feature vector. */
    public Pooling pooling() {
        return pooling;
    }

    /**
     * Returns the same encoder with another pooling.
     *
     * @param other another pooling
     * @return the same encoder with it
     */
    public BertArchitecture withPooling(Pooling other) {
        return new BertArchitecture(config, other);
    }

    @Override
    public LayeredBlock newBlock(NDManager manager) {
        LayeredBlock block = new LayeredBlock();
        block.add("embeddings", new BertEmbeddings(config));
        for (int i = 0; i < config.numLayers(); i++) {
            block.add("encoder.layer." + i, new BertLayer(config));
        }
        if (pooling != Pooling.NONE) {
            block.add(pooling.layerName(), pooling.newBlock(config));
        }
        return block;
    }

    @Override
    public String writeOnnx(OnnxGraphBuilder graph, Map<String, NDArray> weights) {
        return BertOnnx.write(graph, config, pooling, weights);
    }

    @Override
    public Map<String, NDArray> onnxInputs(NDList batch) {
        return BertOnnx.inputs(batch);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Config config() {
        return new Config(JsonParser.parseString(config.toJson()).getAsJsonObject(), pooling);
    }

    @Override
    public String toString() {
        return "BERT[" + config.numLayers() + " layers, hidden " + config.hiddenSize() + ", " + config.numHeads()
                + " heads, pooling " + pooling + "]";
    }
}
