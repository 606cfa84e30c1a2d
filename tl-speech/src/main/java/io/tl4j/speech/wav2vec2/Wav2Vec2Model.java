package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.weights.ParameterNames;
import io.tl4j.core.weights.StateDict;
import io.tl4j.core.weights.WeightMismatchException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A wav2vec 2.0 / HuBERT encoder as a DJL block whose parameter names are Hugging Face's: what
 * {@link StateDict#export} returns is keyed like the bare {@code Wav2Vec2Model}'s state dict
 * ({@code feature_extractor.conv_layers.0.conv.weight}, ..., {@code encoder.layers.11.final_layer_norm.bias}).
 *
 * <p>The block is a {@link LayeredBlock} whose stages are the names freezing accepts: {@code
 * feature_extractor}, {@code feature_projection}, {@code encoder.pos_conv_embed}, then for base
 * (post-LN) models {@code encoder.layer_norm} and {@code encoder.layers.0} ... {@code
 * encoder.layers.N-1}, for large (pre-LN) models the layers and then {@code encoder.layer_norm}. It takes {@code (batch,
 * samples)} waveforms, or {@code (batch, 2, samples)} with a second row marking real samples (1)
 * and padding (0), and returns packed frames; {@link #forward} unpacks them.
 *
 * <pre>{@code
 * try (NDManager manager = NDManager.newBaseManager();
 *      Wav2Vec2Model model = Wav2Vec2Model.load(Path.of("wav2vec2-base"), manager)) {
 *     Wav2Vec2Model.Output out = model.forward(waveforms, lengths);   // (B, T, 768), (B)
 * }
 * }</pre>
 */
public final class Wav2Vec2Model implements AutoCloseable {

    /** The first stage: the convolutional feature encoder. */
    public static final String FEATURE_EXTRACTOR = "feature_extractor";
    /** The projection from extractor channels to the transformer width. */
    public static final String FEATURE_PROJECTION = "feature_projection";
    /** The convolutional positional embedding, the transformer's first stage. */
    public static final String POS_CONV_EMBED = "encoder.pos_conv_embed";
    /** The transformer's layer norm: after the positional embedding (post-LN) or after the last layer (pre-LN). */
    public static final String LAYER_NORM = "encoder.layer_norm";

    private final Wav2Vec2Config config;
    private final NDManager manager;
    private final LayeredBlock block;

    private Wav2Vec2Model(Wav2Vec2Config config, NDManager parent) {
        this.config = config;
        this.manager = parent.newSubManager();
        this.block = newBlock(config);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 400));
    }

    /**
     * Builds an uninitialized encoder block.
     *
     * @param config the architecture
     * @return a {@link LayeredBlock} with the stages listed above
     */
    public static LayeredBlock newBlock(Wav2Vec2Config config) {
        LayeredBlock block = new LayeredBlock()
                .add(FEATURE_EXTRACTOR, new FeatureExtractor(config))
                .add(FEATURE_PROJECTION, new FeatureProjection(config))
                .add(POS_CONV_EMBED, new PositionalConvEmbedding(config));
        if (!config.doStableLayerNorm()) {
            block.add(LAYER_NORM, new EncoderLayerNorm(config));
        }
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            block.add(layer(i), new EncoderLayer(config));
        }
        if (config.doStableLayerNorm()) {
            block.add(LAYER_NORM, new EncoderLayerNorm(config));
        }
        return block;
    }

    /**
     * Returns a transformer layer's stage name, {@code encoder.layers.<index>}.
     *
     * @param index a transformer layer's index
     * @return its stage name, {@code encoder.layers.<index>}
     */
    public static String layer(int index) {
        return "encoder.layers." + index;
    }

    /**
     * The parameter names and shapes of an encoder, computed without allocating any weights.
     *
     * @param config the architecture
     * @return the shapes by Hugging Face name, in {@link ParameterNames} order
     */
    public static Map<String, Shape> parameterShapes(Wav2Vec2Config config) {
        return shapes(newBlock(config));
    }

    static Map<String, Shape> shapes(Block block) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : ParameterNames.of(block).entrySet()) {
            shapes.put(e.getKey(), e.getValue().getShape());
        }
        return shapes;
    }

    /**
     * Creates a randomly initialized encoder.
     *
     * @param config the architecture
     * @param manager the parent of the manager that will own its weights
     * @return the model
     */
    public static Wav2Vec2Model create(Wav2Vec2Config config, NDManager manager) {
        return new Wav2Vec2Model(config, manager);
    }

    /**
     * Loads a Hugging Face model directory ({@code config.json} + {@code model.safetensors}) of a
     * {@code Wav2Vec2Model}, {@code HubertModel}, {@code Wav2Vec2ForCTC} or similar; heads are set
     * aside (see {@link Wav2Vec2Checkpoint}).
     *
     * @param directory the model directory
     * @param manager the parent of the manager that will own its weights
     * @return the model
     * @throws io.tl4j.core.weights.WeightMismatchException listing every missing, unexpected or
     *     mis-shaped tensor
     */
    public static Wav2Vec2Model load(Path directory, NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            Wav2Vec2Checkpoint checkpoint = Wav2Vec2Checkpoint.read(directory, scratch);
            Wav2Vec2Model model = create(checkpoint.config(), manager);
            try {
                model.loadWeights(checkpoint.encoderWeights());
            } catch (WeightMismatchException e) {
                model.close();
                throw e.inFile(checkpoint.source());
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            return model;
        }
    }

    /**
     * Copies weights in, strictly (see {@link StateDict#load(Block, Map)}).
     *
     * @param weights tensors by Hugging Face name of the bare model
     * @throws io.tl4j.core.weights.WeightMismatchException listing every mismatch
     */
    public void loadWeights(Map<String, NDArray> weights) {
        StateDict.load(block, weights);
    }

    /** Returns the architecture. */
    public Wav2Vec2Config config() {
        return config;
    }

    /** Returns the initialized encoder block. */
    public LayeredBlock block() {
        return block;
    }

    /**
     * Encodes a batch in inference mode.
     *
     * @param waveforms {@code (batch, samples)}, padded at the end with zeros
     * @param lengths the real samples per example {@code (batch)}, or {@code null} when none is
     *     padded
     * @return the hidden states of the last layer and the real frames per example
     */
    public Output forward(NDArray waveforms, NDArray lengths) {
        NDArray packed = block.forward(
                        new ParameterStore(waveforms.getManager(), false),
                        new NDList(packInput(waveforms, lengths)),
                        false)
                .head();
        return new Output(Frames.features(packed), Frames.lengths(packed));
    }

    /**
     * Builds the {@code (batch, 2, samples)} input of the encoder block.
     *
     * @param waveforms {@code (batch, samples)}
     * @param lengths the real samples per example, or {@code null} when all are real
     * @return waveforms and validity rows stacked on axis 1
     */
    public static NDArray packInput(NDArray waveforms, NDArray lengths) {
        if (waveforms.getShape().dimension() != 2) {
            throw new IllegalArgumentException("waveforms must be (batch, samples), got " + waveforms.getShape());
        }
        long batch = waveforms.getShape().get(0);
        long samples = waveforms.getShape().get(1);
        NDArray valid;
        if (lengths == null) {
            valid = waveforms.onesLike();
        } else {
            if (!lengths.getShape().equals(new Shape(batch))) {
                throw new IllegalArgumentException("lengths must be (" + batch + "), got " + lengths.getShape());
            }
            NDArray positions = waveforms
                    .getManager()
                    .arange(0f, samples, 1f, DataType.FLOAT32)
                    .expandDims(0);
            valid = positions
                    .lt(lengths.toType(DataType.FLOAT32, false).expandDims(1))
                    .toType(waveforms.getDataType(), false);
        }
        return waveforms.expandDims(1).concat(valid.expandDims(1), 1);
    }

    /** Frees the weights. */
    @Override
    public void close() {
        manager.close();
    }

    /**
     * The encoder's output.
     *
     * @param hiddenStates {@code (batch, frames, hidden)}; padded frames carry values too
     * @param frameLengths the real frames per example, int64 {@code (batch)}
     */
    public record Output(NDArray hiddenStates, NDArray frameLengths) {}
}
