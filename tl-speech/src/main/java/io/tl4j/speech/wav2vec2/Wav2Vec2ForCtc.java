package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.tl4j.core.engine.EngineSetup;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.weights.StateDict;
import io.tl4j.core.weights.WeightMismatchException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wav2vec2 / HuBERT encoder with a CTC head ({@code lm_head}) that predicts characters per
 * frame, as Hugging Face's {@code Wav2Vec2ForCTC}; its parameter names are that model's ({@code
 * wav2vec2.*}, {@code lm_head.*}).
 *
 * <p>To fine-tune to a new language, load a pretrained encoder with a fresh head sized to the
 * language's {@link CtcVocabulary} and train it on transcribed clips with {@link CtcFineTuner}
 * (which freezes the feature encoder by default); {@link #transcribe} decodes greedily:
 *
 * <pre>{@code
 * CtcVocabulary vocabulary = CtcVocabulary.ofCharacters("abcdefghijklmnopqrstuvwxyz' ");
 * Wav2Vec2ForCtc ctc = Wav2Vec2ForCtc.fromPretrained(Path.of("wav2vec2-base"), vocabulary, manager);
 * List<TranscribedClip> clips = ...; // new TranscribedClip(samples at 16 kHz, "the transcript")
 * History history = CtcFineTuner.from(ctc, vocabulary).epochs(30).batchSize(8).learningRate(1e-4f).fit(clips);
 * List<String> text = ctc.transcribe(waveforms, lengths, vocabulary);
 * }</pre>
 *
 * <p>{@link #block()} with {@link CtcLoss}, a DJL {@code Loss}, also trains with a DJL trainer.
 */
public final class Wav2Vec2ForCtc implements AutoCloseable {

    static {
        // before this class starts the engine: the process's engine settings (oneDNN cap, malloc)
        EngineSetup.configure();
    }

    private static final Logger LOG = LoggerFactory.getLogger(Wav2Vec2ForCtc.class);

    private final Wav2Vec2Config config;
    private final NDManager manager;
    private final CtcNetwork network;
    private final int vocabSize;

    private Wav2Vec2ForCtc(Wav2Vec2Config config, int vocabSize, NDManager parent) {
        this.config = config;
        this.vocabSize = vocabSize;
        this.manager = parent.newSubManager();
        this.network = new CtcNetwork(config, vocabSize);
        network.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 400));
    }

    /**
     * A randomly initialized model.
     *
     * @param config the encoder's architecture
     * @param vocabSize the number of CTC tokens, blank included
     * @param manager the parent of the manager that will own its weights
     * @return the model
     */
    public static Wav2Vec2ForCtc create(Wav2Vec2Config config, int vocabSize, NDManager manager) {
        return new Wav2Vec2ForCtc(config, vocabSize, manager);
    }

    /**
     * Loads a Hugging Face model directory. The encoder must match strictly. The checkpoint's
     * {@code lm_head} is used when it has {@code vocabulary.size()} outputs; otherwise (a bare
     * pretrained encoder, or a head for another alphabet) the head starts fresh.
     *
     * @param directory {@code config.json} + {@code model.safetensors}
     * @param vocabulary the tokens to predict
     * @param manager the parent of the manager that will own the weights
     * @return the model
     * @throws io.tl4j.core.weights.WeightMismatchException listing every encoder tensor that does
     *     not fit
     */
    public static Wav2Vec2ForCtc fromPretrained(Path directory, CtcVocabulary vocabulary, NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            Wav2Vec2Checkpoint checkpoint = Wav2Vec2Checkpoint.read(directory, scratch);
            Wav2Vec2ForCtc model = create(checkpoint.config(), vocabulary.size(), manager);
            try {
                StateDict.load(model.network.encoder(), checkpoint.encoderWeights());
            } catch (WeightMismatchException e) {
                model.close();
                throw e.inFile(checkpoint.source());
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            Map<String, NDArray> head = checkpoint.ctcHeadWeights();
            NDArray weight = head.get("weight");
            if (weight != null && weight.getShape().get(0) == vocabulary.size()) {
                StateDict.load(model.network.head(), head);
            } else {
                LOG.info(
                        "{}: lm_head {} does not predict the {} tokens of the vocabulary; it starts fresh",
                        directory,
                        weight == null ? "absent" : weight.getShape(),
                        vocabulary.size());
            }
            return model;
        }
    }

    /** Returns the encoder's architecture. */
    public Wav2Vec2Config config() {
        return config;
    }

    /** Returns the number of tokens the CTC head predicts, blank included. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Returns the whole network, initialized: parameters {@code wav2vec2.*} and {@code lm_head.*}. */
    public Block block() {
        return network;
    }

    /** Returns the encoder (stages as in {@link Wav2Vec2Model#newBlock}). */
    public LayeredBlock encoder() {
        return network.encoder();
    }

    /**
     * Stops training the convolutional feature encoder, as Hugging Face's {@code
     * freeze_feature_encoder()} (the usual setting for CTC fine-tuning).
     */
    public void freezeFeatureEncoder() {
        network.encoder().layer(0).freezeParameters(true);
    }

    /**
     * Scores every frame in inference mode.
     *
     * @param waveforms {@code (batch, samples)}, zero-padded at the end
     * @param lengths real samples per example, or {@code null}
     * @return logits {@code (batch, frames, vocab)} and real frames per example
     */
    public Output forward(NDArray waveforms, NDArray lengths) {
        NDList out = network.forward(
                new ParameterStore(waveforms.getManager(), false),
                new NDList(Wav2Vec2Model.packInput(waveforms, lengths)),
                false);
        return new Output(out.get(0), out.get(1));
    }

    /**
     * Transcribes a batch greedily.
     *
     * @param waveforms {@code (batch, samples)}, zero-padded at the end
     * @param lengths real samples per example, or {@code null}
     * @param vocabulary the head's tokens
     * @return one transcript per example
     */
    public List<String> transcribe(NDArray waveforms, NDArray lengths, CtcVocabulary vocabulary) {
        Output out = forward(waveforms, lengths);
        List<String> texts = new ArrayList<>();
        for (int[] ids : new CtcGreedyDecoder(vocabulary.blank()).decode(out.logits(), out.frameLengths())) {
            texts.add(vocabulary.decode(ids));
        }
        return texts;
    }

    /** Returns the weights under {@code Wav2Vec2ForCTC}'s names (the parameters' own arrays). */
    public Map<String, NDArray> stateDict() {
        return new LinkedHashMap<>(StateDict.export(network));
    }

    /** Frees the weights. */
    @Override
    public void close() {
        manager.close();
    }

    /**
     * Per-frame scores.
     *
     * @param logits {@code (batch, frames, vocab)}
     * @param frameLengths real frames per example, int64 {@code (batch)}
     */
    public record Output(NDArray logits, NDArray frameLengths) {}
}
