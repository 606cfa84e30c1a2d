package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tl4j.core.weights.WeightFileException;
import io.tl4j.speech.weights.Wav2Vec2Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face wav2vec2 / HuBERT model directory read into memory: its {@code config.json} and
 * the tensors of {@code model.safetensors}, sorted into the encoder's and the CTC head's by {@link
 * Wav2Vec2Weights} (prefixes removed, weight-norm parametrizations renamed, tensors of other heads
 * set aside). The encoder's must match it exactly when loaded (see {@link
 * Wav2Vec2Model#loadWeights}).
 */
public final class Wav2Vec2Checkpoint {

    private final Path directory;
    private final Wav2Vec2Config config;
    private final Wav2Vec2Weights weights;

    private Wav2Vec2Checkpoint(Path directory, Wav2Vec2Config config, Wav2Vec2Weights weights) {
        this.directory = directory;
        this.config = config;
        this.weights = weights;
    }

    /**
     * Reads {@code config.json} and {@code model.safetensors} from a model directory.
     *
     * @param directory the directory
     * @param manager owns the tensors
     * @return the checkpoint
     * @throws WeightFileException when a file is missing or malformed, naming it
     * @throws IllegalArgumentException when the configuration is not supported
     */
    public static Wav2Vec2Checkpoint read(Path directory, NDManager manager) {
        Path configFile = directory.resolve("config.json");
        Path weightsFile = directory.resolve("model.safetensors");
        if (!Files.isRegularFile(configFile)) {
            throw new WeightFileException(configFile, "no config.json in the model directory");
        }
        if (!Files.isRegularFile(weightsFile)) {
            String hint = Files.exists(directory.resolve("pytorch_model.bin"))
                    ? "; only pytorch_model.bin is there: convert it to safetensors first"
                    : "";
            throw new WeightFileException(weightsFile, "no model.safetensors in the model directory" + hint);
        }
        Wav2Vec2Config config = Wav2Vec2Config.fromJson(configFile);
        return new Wav2Vec2Checkpoint(directory, config, Wav2Vec2Weights.read(weightsFile, manager));
    }

    /**
     * Sorts tensors named as in a Hugging Face checkpoint.
     *
     * @param source where they came from, for messages
     * @param config the architecture
     * @param tensors the tensors by checkpoint name
     * @return the checkpoint
     */
    public static Wav2Vec2Checkpoint of(Path source, Wav2Vec2Config config, Map<String, NDArray> tensors) {
        return new Wav2Vec2Checkpoint(source, config, Wav2Vec2Weights.sort(source, tensors));
    }

    /** Returns the model directory (or other source) the tensors came from. */
    public Path source() {
        return directory;
    }

    /** Returns the architecture from {@code config.json}. */
    public Wav2Vec2Config config() {
        return config;
    }

    /** Returns the encoder's tensors under the bare model's Hugging Face names. */
    public Map<String, NDArray> encoderWeights() {
        return weights.encoder();
    }

    /** Returns the CTC head's tensors ({@code weight}, {@code bias}); empty when the checkpoint has none. */
    public Map<String, NDArray> ctcHeadWeights() {
        return weights.ctcHead();
    }

    /** Returns the checkpoint names of the tensors set aside (not used by tl4j's network). */
    public List<String> setAside() {
        return weights.setAside();
    }
}
