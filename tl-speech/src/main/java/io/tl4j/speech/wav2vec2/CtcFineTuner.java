package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDManager;
import io.tl4j.core.EngineCheck;
import io.tl4j.core.metrics.History;
import io.tl4j.core.train.DivergenceGuard;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.core.train.TrainingDivergedException;
import io.tl4j.core.train.TrainingListener;
import io.tl4j.core.train.TrainingLoop;
import io.tl4j.core.train.Updater;
import io.tl4j.core.weights.ParameterNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Fine-tunes a {@link Wav2Vec2ForCtc} for speech recognition on transcribed clips, with the CTC loss
 * ({@link CtcObjective}, mean over target lengths) on tl-core's {@link TrainingLoop}: AdamW, a
 * learning-rate schedule, gradient clipping, and a stop with {@link TrainingDivergedException} when
 * a step's loss or gradient norm is not finite. As in Hugging Face's recipe, the convolutional
 * feature encoder is frozen by default; every other parameter that is not frozen trains.
 *
 * <pre>{@code
 * CtcVocabulary vocabulary = CtcVocabulary.ofCharacters("abcdefghijklmnopqrstuvwxyz' ");
 * try (Wav2Vec2ForCtc ctc = Wav2Vec2ForCtc.fromPretrained(Path.of("wav2vec2-base"), vocabulary, manager)) {
 *     History history = CtcFineTuner.from(ctc, vocabulary).epochs(30).learningRate(1e-4f).fit(clips);
 *     List<String> texts = ctc.transcribe(waveforms, lengths, vocabulary);
 * }
 * }</pre>
 *
 * <p>The model is trained in place. The history holds each epoch's mean loss and, as {@code
 * train_accuracy}, the fraction of the epoch's clips whose greedy transcript was exactly right
 * before the step that used them. Every setting returns a new tuner; the tuner itself holds no state.
 */
public final class CtcFineTuner {

    private final Wav2Vec2ForCtc model;
    private final CtcVocabulary vocabulary;
    // set only on a fresh copy, before with(...) returns it: a tuner never changes once a caller has it
    private int epochs = 30;
    private int batchSize = 8;
    private OptimizerSpec optimizer = OptimizerSpec.adamW(1e-4f, 0.005f);
    private LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(0.1);
    private double clipGradientNorm = 1.0;
    private long seed = 42;
    private boolean freezeFeatureEncoder = true;
    private List<TrainingListener> listeners = List.of();

    private CtcFineTuner(Wav2Vec2ForCtc model, CtcVocabulary vocabulary) {
        this.model = model;
        this.vocabulary = vocabulary;
    }

    private CtcFineTuner with(Consumer<CtcFineTuner> change) {
        CtcFineTuner copy = new CtcFineTuner(model, vocabulary);
        copy.epochs = epochs;
        copy.batchSize = batchSize;
        copy.optimizer = optimizer;
        copy.schedule = schedule;
        copy.clipGradientNorm = clipGradientNorm;
        copy.seed = seed;
        copy.freezeFeatureEncoder = freezeFeatureEncoder;
        copy.listeners = listeners;
        change.accept(copy);
        return copy;
    }

    /**
     * Returns a tuner for a model whose head predicts a vocabulary's tokens, with Hugging Face's
     * fine-tuning settings: 30 epochs, batches of 8 clips, AdamW at 1e-4 with weight decay 0.005,
     * warm-up over the first 10% of the steps then cosine decay, gradient norm clipped to 1, the
     * feature encoder frozen, seed 42.
     *
     * @param model the model to train in place
     * @param vocabulary the tokens its head predicts, which encode the transcripts
     * @return the tuner
     * @throws IllegalArgumentException when the head's size is not the vocabulary's
     */
    public static CtcFineTuner from(Wav2Vec2ForCtc model, CtcVocabulary vocabulary) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(vocabulary, "vocabulary");
        if (model.vocabSize() != vocabulary.size()) {
            throw new IllegalArgumentException("The model's CTC head predicts " + model.vocabSize()
                    + " tokens but the vocabulary has " + vocabulary.size());
        }
        return new CtcFineTuner(model, vocabulary);
    }

    /**
     * Returns a tuner with another number of epochs.
     *
     * @param epochs passes over the training clips
     * @return a tuner with that many epochs
     */
    public CtcFineTuner epochs(int epochs) {
        positive(epochs, "epochs");
        return with(t -> t.epochs = epochs);
    }

    /**
     * Returns a tuner with another batch size.
     *
     * @param batchSize clips per optimizer step
     * @return a tuner with that batch size
     */
    public CtcFineTuner batchSize(int batchSize) {
        positive(batchSize, "batchSize");
        return with(t -> t.batchSize = batchSize);
    }

    /**
     * Returns a tuner whose optimizer has another peak learning rate.
     *
     * @param learningRate the peak learning rate
     * @return a tuner with it
     */
    public CtcFineTuner learningRate(float learningRate) {
        return optimizer(optimizer.withLearningRate(learningRate));
    }

    /**
     * Returns a tuner with another optimizer, e.g. {@code OptimizerSpec.adam(3e-4f)}.
     *
     * @param optimizer the optimizer and its settings
     * @return a tuner with it
     */
    public CtcFineTuner optimizer(OptimizerSpec optimizer) {
        Objects.requireNonNull(optimizer, "optimizer");
        return with(t -> t.optimizer = optimizer);
    }

    /**
     * Returns a tuner with another learning-rate schedule, e.g. {@code LearningRateSchedule.constant()}.
     *
     * @param schedule how the learning rate changes over the run
     * @return a tuner with it
     */
    public CtcFineTuner schedule(LearningRateSchedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        return with(t -> t.schedule = schedule);
    }

    /**
     * Returns a tuner that clips the global gradient norm to another value.
     *
     * @param maxNorm the largest global gradient norm, or 0 for no clipping
     * @return a tuner with it
     */
    public CtcFineTuner clipGradientNorm(double maxNorm) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clipGradientNorm must be finite and >= 0 (0: off), got " + maxNorm);
        }
        return with(t -> t.clipGradientNorm = maxNorm);
    }

    /**
     * Returns a tuner with another seed for the batch order and dropout.
     *
     * @param seed seeds the batch order and dropout
     * @return a tuner with it
     */
    public CtcFineTuner seed(long seed) {
        return with(t -> t.seed = seed);
    }

    /**
     * Returns a tuner that freezes the convolutional feature encoder before training (true, the
     * default, as {@link Wav2Vec2ForCtc#freezeFeatureEncoder()}) or leaves every parameter's frozen
     * state as the model has it (false).
     *
     * @param freeze whether to freeze the feature encoder
     * @return a tuner with it
     */
    public CtcFineTuner freezeFeatureEncoder(boolean freeze) {
        return with(t -> t.freezeFeatureEncoder = freeze);
    }

    /**
     * Returns a tuner that also tells a listener about every step and epoch.
     *
     * @param listener the listener, e.g. {@code new ConsoleProgress(System.out)}
     * @return a tuner with it added
     */
    public CtcFineTuner listener(TrainingListener listener) {
        List<TrainingListener> more = new ArrayList<>(listeners);
        more.add(Objects.requireNonNull(listener, "listener"));
        return with(t -> t.listeners = List.copyOf(more));
    }

    /**
     * Trains the model on transcribed clips.
     *
     * @param clips the training clips
     * @return each epoch's mean loss and fraction of exact transcripts
     * @throws IllegalArgumentException naming the clip when there are none, a sample is not finite, a
     *     transcript has a character outside the vocabulary, or a clip is too short for its transcript
     * @throws IllegalStateException when every parameter is frozen
     * @throws TrainingDivergedException when a step's loss or gradient norm is not finite
     */
    public History fit(List<TranscribedClip> clips) {
        CtcTrainingData data = CtcTrainingData.of(clips, vocabulary, model.config());
        EngineCheck.requireCorrectGradients();
        if (freezeFeatureEncoder) {
            model.freezeFeatureEncoder();
        }
        List<TrainingLoop.Trainable> trainable = new ArrayList<>();
        ParameterNames.of(model.block()).forEach((name, parameter) -> {
            if (parameter.requiresGradient()) {
                trainable.add(new TrainingLoop.Trainable(name, parameter, 1f));
            }
        });
        if (trainable.isEmpty()) {
            throw new IllegalStateException("Every parameter of the model is frozen; nothing would train");
        }
        TrainingLoop.Settings settings = new TrainingLoop.Settings(
                epochs,
                batchSize,
                seed,
                optimizer,
                schedule,
                CtcEpochs.stepsPerEpoch(data.size(), batchSize),
                clipGradientNorm);
        CtcObjective objective = new CtcObjective(new CtcLoss(vocabulary.blank(), CtcLoss.Reduction.MEAN, false));
        try (NDManager manager = NDManager.newBaseManager();
                Updater updater = new Updater(optimizer, manager)) {
            // CTC's loss scale follows each batch's ratio of frames to characters, so no multiple of the
            // first loss marks divergence reliably: the guard checks only that losses and norms are finite.
            DivergenceGuard guard = new DivergenceGuard(0, vocabulary.size(), Double.NaN);
            TrainingLoop loop = new TrainingLoop(settings, objective, updater, guard, listeners);
            return loop.run(
                    new CtcEpochs(model.block(), data, trainable, batchSize, epochs, seed),
                    manager,
                    1,
                    History.empty());
        }
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
