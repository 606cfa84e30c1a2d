package io.tl4j.core;

import ai.djl.Device;
import io.tl4j.core.adapt.DomainAdaptation;
import io.tl4j.core.adapt.Unlabelled;
import io.tl4j.core.data.CrossValidation;
import io.tl4j.core.data.CrossValidationResult;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.train.EarlyStopping;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.core.train.TrainingListener;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The fluent entry point: take a pretrained {@link Backbone}, choose what stays frozen, put a new
 * {@link Head} on it and {@link #fit} it to labelled data.
 *
 * <pre>{@code
 * TransferModel<float[]> model = TransferLearner.from(backbone)
 *         .freezeUntil("block3")
 *         .head(Head.mlp(64).dropout(0.2f))
 *         .epochs(10)
 *         .fit(data);
 * }</pre>
 *
 * <p>Every method returns a new learner; a learner never changes, so one can be the base of several
 * experiments. The defaults are what a newcomer wants: feature extraction (whole backbone frozen,
 * features cached), a linear head, Adam at 1e-3, 10 epochs of batch 32, seed 42, a backbone learning
 * rate of a tenth of the head's once layers are unfrozen, and a console progress bar.
 *
 * @param <I> the raw input type
 */
public final class TransferLearner<I> {

    private final TrainingConfig config;
    private final RunInputs<I> inputs;

    private TransferLearner(TrainingConfig config, RunInputs<I> inputs) {
        this.config = config;
        this.inputs = inputs;
    }

    /**
     * Creates a learner with the defaults for a pretrained backbone.
     *
     * @param backbone the pretrained network (it is not modified: training works on a copy)
     * @param <I> the raw input type
     * @return a learner with the defaults
     */
    public static <I> TransferLearner<I> from(Backbone<I> backbone) {
        Objects.requireNonNull(backbone, "backbone");
        return new TransferLearner<>(TrainingConfig.defaults(backbone.layers()), RunInputs.of(backbone));
    }

    /**
     * Returns the training configuration this learner's {@link #fit} would run: every setting, with
     * the frozen layers resolved against the backbone.
     *
     * @return the configuration
     */
    public TrainingConfig config() {
        return config;
    }

    TransferLearner<I> with(Consumer<TrainingConfig.Builder> change) {
        return new TransferLearner<>(config.with(change), inputs);
    }

    private TransferLearner<I> withInputs(RunInputs<I> changed) {
        return new TransferLearner<>(config, changed);
    }

    private TransferLearner<I> freezing(Freezing freezing) {
        List<String> frozen = List.copyOf(freezing.resolve(inputs.backbone().layers()));
        return with(s -> {
            s.freezing = freezing.toString();
            s.frozenLayers = frozen;
        });
    }

    /**
     * Returns a learner that freezes every backbone layer before {@code layer}.
     *
     * @param layer the first backbone layer that trains; every layer before it is frozen
     * @throws IllegalArgumentException for an unknown name, listing the valid ones (see {@link
     *     Backbone#layers()}) and the nearest
     */
    public TransferLearner<I> freezeUntil(String layer) {
        return freezing(Freezing.until(layer));
    }

    /** Returns a learner with the whole backbone frozen (feature extraction). */
    public TransferLearner<I> freezeAll() {
        return freezing(Freezing.all());
    }

    /** Returns a learner that trains every backbone layer (full fine-tuning). */
    public TransferLearner<I> unfreezeAll() {
        return freezing(Freezing.none());
    }

    /** Returns a learner freezing the backbone layers whose names the predicate {@code frozen} picks. */
    public TransferLearner<I> freezeWhere(Predicate<String> frozen) {
        return freezing(Freezing.where(frozen));
    }

    /** Returns a learner with another classifier {@code head}; its class count comes from the data. */
    public TransferLearner<I> head(Head head) {
        return with(s -> s.head = Objects.requireNonNull(head, "head"));
    }

    /**
     * Model adaptation: adds trainable dense layers (Linear + ReLU each) between the backbone and the
     * head.
     *
     * @param units the width of each added layer
     * @return a learner with those layers
     */
    public TransferLearner<I> addLayers(int... units) {
        List<Integer> widths = Arrays.stream(units).boxed().toList();
        return with(s -> s.adapterUnits = widths);
    }

    /** Returns a learner that makes {@code epochs} passes over the training data. */
    public TransferLearner<I> epochs(int epochs) {
        return with(s -> s.epochs = epochs);
    }

    /** Returns a learner with {@code batchSize} examples per optimizer step. */
    public TransferLearner<I> batchSize(int batchSize) {
        return with(s -> s.batchSize = batchSize);
    }

    /** Returns a learner whose {@code seed} seeds initialization, shuffling, dropout and augmentation. */
    public TransferLearner<I> seed(long seed) {
        return with(s -> s.seed = seed);
    }

    /** Returns a learner with another {@code optimizer} and its peak learning rate. */
    public TransferLearner<I> optimizer(OptimizerSpec optimizer) {
        return with(s -> s.optimizer = Objects.requireNonNull(optimizer, "optimizer"));
    }

    /** Returns a learner with another peak {@code learningRate} for the head, keeping the optimizer. */
    public TransferLearner<I> learningRate(float learningRate) {
        return with(s -> s.optimizer = s.optimizer.withLearningRate(learningRate));
    }

    /** Returns a learner with another {@code schedule}: how the learning rate changes over the run. */
    public TransferLearner<I> schedule(LearningRateSchedule schedule) {
        return with(s -> s.schedule = Objects.requireNonNull(schedule, "schedule"));
    }

    /**
     * Returns a learner whose backbone learns at a fraction of the head's rate (replacing any layer-wise decay).
     *
     * @param multiplier the backbone's learning rate as a fraction of the head's, e.g. 0.1
     */
    public TransferLearner<I> backboneLearningRate(float multiplier) {
        return with(s -> {
            s.backboneLearningRate = multiplier;
            s.layerwiseDecay = 0;
        });
    }

    /**
     * Discriminative learning rates: the last backbone layer gets {@code decay} times the head's
     * rate, the one before {@code decay²}, and so on down to the stem.
     *
     * @param decay the factor per layer, in (0, 1]
     * @return a learner with it
     */
    public TransferLearner<I> layerwiseLearningRateDecay(float decay) {
        require(decay > 0 && decay <= 1, "decay must be in (0, 1], got " + decay);
        return with(s -> s.layerwiseDecay = decay);
    }

    /** Returns a learner that scales gradients whose global L2 norm exceeds {@code maxNorm} down to it. */
    public TransferLearner<I> clipGradientNorm(double maxNorm) {
        require(maxNorm > 0, "maxNorm must be > 0, got " + maxNorm);
        return with(s -> s.clipGradientNorm = maxNorm);
    }

    /**
     * Gradual unfreezing: every {@code everyEpochs} epochs the last still-frozen backbone layer is
     * unfrozen. Switches the feature cache off.
     *
     * @param everyEpochs epochs between unfreezing steps
     * @return a learner with gradual unfreezing
     */
    public TransferLearner<I> gradualUnfreezing(int everyEpochs) {
        require(everyEpochs > 0, "everyEpochs must be positive, got " + everyEpochs);
        return with(s -> s.gradualUnfreezing = everyEpochs);
    }

    /** Returns a learner validating on a stratified hold-out of {@code fraction} of each class. */
    public TransferLearner<I> validationSplit(double fraction) {
        require(fraction > 0 && fraction < 1, "fraction must be in (0, 1), got " + fraction);
        return new TransferLearner<>(config.with(s -> s.validationSplit = fraction), inputs.withValidation(null));
    }

    /** Returns a learner validating on the labelled {@code validation} data after every epoch. */
    public TransferLearner<I> validationData(LabeledData<I> validation) {
        Objects.requireNonNull(validation, "validation");
        return new TransferLearner<>(config.with(s -> s.validationSplit = 0), inputs.withValidation(validation));
    }

    /** Returns a learner with {@code earlyStopping}: when to stop and which weights to keep (needs validation). */
    public TransferLearner<I> earlyStopping(EarlyStopping earlyStopping) {
        return with(s -> s.earlyStopping = Objects.requireNonNull(earlyStopping));
    }

    /** Returns a learner that writes a checkpoint into {@code directory} atomically after every epoch. */
    public TransferLearner<I> checkpoints(Path directory) {
        return withInputs(inputs.withCheckpoints(Objects.requireNonNull(directory), false));
    }

    /**
     * Continues the run whose checkpoints are in {@code directory} (and keeps checkpointing there).
     * The result equals that of a run never interrupted, given the same settings and data; with no
     * checkpoint there, it starts from the beginning.
     *
     * @param directory the checkpoint directory
     * @return a learner that resumes
     */
    public TransferLearner<I> resume(Path directory) {
        return withInputs(inputs.withCheckpoints(Objects.requireNonNull(directory), true));
    }

    /**
     * Returns a learner that computes the frozen prefix's features once and trains on them, or not.
     *
     * @param enabled whether to compute the frozen prefix's features once and train on them (the
     *     default; applies only when no random augmentation runs before the first trainable layer)
     */
    public TransferLearner<I> featureCache(boolean enabled) {
        return with(s -> s.featureCache = enabled);
    }

    /**
     * Returns a learner that computes the feature cache on ONNX Runtime (true), or on the engine (false, the
     * default): the whole frozen backbone is exported ({@link TransferModel#exportOnnx}) and run there once;
     * its features agree with the engine's within 1e-4. Needs every backbone layer frozen ({@link #freezeAll}),
     * the feature cache, an architecture that implements {@link io.tl4j.core.onnx.OnnxExportable} and {@code
     * com.microsoft.onnxruntime:onnxruntime} on the class path; {@link #fit} refuses otherwise, saying which.
     *
     * @param enabled whether the features come from ONNX Runtime
     */
    public TransferLearner<I> featuresOnOnnxRuntime(boolean enabled) {
        return with(s -> s.featuresOnOnnxRuntime = enabled);
    }

    /** Returns a learner that draws the console progress bar when {@code enabled} (the default), or not. */
    public TransferLearner<I> progressBar(boolean enabled) {
        return withInputs(inputs.withProgress(enabled));
    }

    /** Returns a learner that also tells {@code listener} about every epoch and step. */
    public TransferLearner<I> listener(TrainingListener listener) {
        return withInputs(inputs.withListener(Objects.requireNonNull(listener)));
    }

    /** Returns a learner that weights each class's loss by its inverse frequency when {@code enabled}. */
    public TransferLearner<I> classWeights(boolean enabled) {
        return with(s -> s.classWeights = enabled);
    }

    /**
     * Sets how far the loss may rise before training stops with a {@link
     * io.tl4j.core.train.TrainingDivergedException}: a step's loss above {@code factor} times the larger
     * of the first epoch's mean loss and chance level ({@code ln(classes)}). NaN and infinite losses
     * always stop training.
     *
     * @param factor above 1, default {@value io.tl4j.core.train.DivergenceGuard#DEFAULT_FACTOR}; 0 checks
     *     only for NaN and infinity
     * @return a learner with that limit
     */
    public TransferLearner<I> divergenceFactor(double factor) {
        return with(s -> s.divergenceFactor = factor);
    }

    /**
     * Rehearsal against forgetting: every epoch mixes in {@code ratio} replay examples per new
     * example, drawn from the old task's data. The model's classes become the new task's followed by
     * the old task's.
     *
     * @param replay labelled data of the old task
     * @param ratio replay examples per new example, e.g. 0.5
     * @return a learner with rehearsal
     */
    public TransferLearner<I> rehearsal(LabeledData<I> replay, double ratio) {
        require(ratio > 0, "ratio must be > 0, got " + ratio);
        Objects.requireNonNull(replay, "replay");
        return new TransferLearner<>(config.with(s -> s.rehearsalRatio = ratio), inputs.withReplay(replay));
    }

    /**
     * Returns a learner that trains on a device, e.g. {@code Device.gpu()}; the model it returns predicts there. By
     * default training runs on the engine's default device (the first GPU when the CUDA natives find one, else the
     * CPU).
     *
     * @param device the device
     * @throws IllegalArgumentException naming the device and what the engine found, when the engine has no such GPU
     */
    public TransferLearner<I> device(Device device) {
        return withInputs(inputs.withDevice(Devices.require(device)));
    }

    /**
     * Trains a new head (and whatever is unfrozen) on the data.
     *
     * @param data the labelled training data
     * @return the trained model; close it when done
     */
    public TransferModel<I> fit(LabeledData<I> data) {
        return new FitRun<>(config, inputs, data).run();
    }

    /**
     * Trains on the labelled data after re-estimating the backbone's BatchNorm statistics on unlabelled
     * target inputs (AdaBN): {@code fit(data, target, DomainAdaptation.batchNorm())}.
     *
     * @param data the labelled training data
     * @param target unlabelled inputs of the target domain, of the backbone pipeline's input type
     * @return the trained model; close it when done
     * @throws IllegalArgumentException when a target input does not fit the pipeline, or the backbone
     *     has no BatchNorm layer (naming it)
     */
    public TransferModel<I> fit(LabeledData<I> data, Unlabelled<I> target) {
        return fit(data, target, DomainAdaptation.batchNorm());
    }

    /**
     * Trains on the labelled data while adapting to unlabelled target data as {@code adaptation} says (see {@link
     * DomainAdaptation}); labelled and target batches run through the network as one, so that BatchNorm
     * normalises both alike.
     *
     * @param data the labelled training data
     * @param target unlabelled inputs of the target domain, of the backbone pipeline's input type
     * @param adaptation what to do with them
     * @return the trained model; close it when done
     * @throws IllegalArgumentException when a target input does not fit the pipeline, AdaBN is asked of a
     *     backbone without BatchNorm, or alignment of a network with nothing trainable before the head
     */
    public TransferModel<I> fit(LabeledData<I> data, Unlabelled<I> target, DomainAdaptation adaptation) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(adaptation, "adaptation");
        TargetDomain<I> domain =
                new TargetDomain<>(target, adaptation, inputs.backbone().pipeline());
        return new FitRun<>(config, inputs, data, domain).run();
    }

    /**
     * The learning-rate range test: {@value LearningRateFinder#STEPS} steps of a copy of this learner's network with
     * the head's rate rising exponentially from 1e-7 to 10 (see {@link LearningRateFinder}).
     *
     * @param data the training data
     * @return the loss curve and the suggested rate (steepest descent), empty when the sweep diverged at once
     */
    public LearningRateCurve findLearningRate(LabeledData<I> data) {
        return LearningRateFinder.find(this, data);
    }

    /**
     * Stratified k-fold cross-validation: trains k models, each validated on the fold held out.
     *
     * @param data the labelled data
     * @param k the number of folds
     * @return the accuracy of each fold, with mean and standard deviation
     */
    public CrossValidationResult crossValidate(LabeledData<I> data, int k) {
        TransferLearner<I> quiet =
                new TransferLearner<>(config, inputs.withProgress(false).withValidation(null));
        return CrossValidation.crossValidate(data, k, config.seed(), split -> {
            try (TransferModel<I> model = quiet.fit(split.train())) {
                return model.evaluate(split.validation()).accuracy();
            }
        });
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String toString() {
        return "TransferLearner[freeze " + config.freezing() + ", " + config.head() + ", epochs " + config.epochs()
                + ", batch " + config.batchSize() + ", " + config.optimizer() + ", "
                + config.schedule().describe()
                + "]";
    }
}
