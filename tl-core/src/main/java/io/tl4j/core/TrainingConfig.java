package io.tl4j.core;

import io.tl4j.core.train.EarlyStopping;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.OptimizerSpec;
import java.util.List;
import java.util.Objects;

/**
 * The settings of one training run, immutable and complete: what {@link TransferLearner} builds,
 * what {@code model.json} keeps under {@code training} as the model's provenance, and what the resume
 * guard compares whole, so no setting can be left out of either.
 *
 * <p>What is not here is not a setting of the computation: the backbone and the data (fingerprinted
 * separately), where checkpoints go, and who listens.
 *
 * @param freezing how the frozen layers were chosen, e.g. {@code "until block3"}
 * @param frozenLayers the backbone layers frozen at the start, resolved against the backbone
 * @param head the new classifier
 * @param adapterUnits the widths of the dense layers added between backbone and head
 * @param epochs passes over the training data
 * @param batchSize examples per optimizer step
 * @param seed seeds initialization, shuffling, dropout and augmentation
 * @param optimizer the optimizer and the head's peak learning rate
 * @param schedule how the learning rate changes over the run
 * @param backboneLearningRate the backbone's learning rate as a fraction of the head's
 * @param layerwiseDecay discriminative learning rates per layer, or 0 for one backbone rate
 * @param clipGradientNorm the largest global gradient norm, or 0 for no clipping
 * @param gradualUnfreezing epochs between thawing steps, or 0 for none
 * @param validationSplit the fraction held out for validation, or 0
 * @param earlyStopping when to stop early, or null
 * @param featureCache whether the frozen prefix's features may be computed once
 * @param featuresOnOnnxRuntime whether a wholly frozen backbone's cached features are computed on ONNX Runtime
 *     rather than the engine
 * @param classWeights whether each class's loss is weighted by its inverse frequency
 * @param rehearsalRatio replay examples per new example, or 0 without rehearsal
 * @param divergenceFactor how far the loss may rise before training stops, or 0 for NaN checks only
 */
public record TrainingConfig(
        String freezing,
        List<String> frozenLayers,
        Head head,
        List<Integer> adapterUnits,
        int epochs,
        int batchSize,
        long seed,
        OptimizerSpec optimizer,
        LearningRateSchedule schedule,
        float backboneLearningRate,
        float layerwiseDecay,
        double clipGradientNorm,
        int gradualUnfreezing,
        double validationSplit,
        EarlyStopping earlyStopping,
        boolean featureCache,
        boolean featuresOnOnnxRuntime,
        boolean classWeights,
        double rehearsalRatio,
        double divergenceFactor) {

    /**
     * Copies the lists and checks every setting, so that a configuration read from a {@code model.json} is held
     * to the same ranges as one a {@link TransferLearner} built.
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public TrainingConfig {
        Objects.requireNonNull(freezing, "freezing");
        frozenLayers = List.copyOf(frozenLayers);
        Objects.requireNonNull(head, "head");
        adapterUnits = List.copyOf(adapterUnits);
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        for (int units : adapterUnits) {
            check(units > 0, "Layer widths must be positive: " + units);
        }
        check(epochs > 0, "epochs must be positive, got " + epochs);
        check(batchSize > 0, "batchSize must be positive, got " + batchSize);
        check(backboneLearningRate > 0, "backboneLearningRate must be > 0, got " + backboneLearningRate);
        check(
                layerwiseDecay >= 0 && layerwiseDecay <= 1,
                "layerwiseDecay must be in (0, 1], or 0 for none, got " + layerwiseDecay);
        check(clipGradientNorm >= 0, "clipGradientNorm must be > 0, or 0 for none, got " + clipGradientNorm);
        check(gradualUnfreezing >= 0, "gradualUnfreezing must be positive, or 0 for none, got " + gradualUnfreezing);
        check(
                validationSplit >= 0 && validationSplit < 1,
                "validationSplit must be in (0, 1), or 0 for none, got " + validationSplit);
        check(rehearsalRatio >= 0, "rehearsalRatio must be > 0, or 0 without rehearsal, got " + rehearsalRatio);
        check(
                divergenceFactor == 0 || divergenceFactor > 1,
                "divergenceFactor must be 0 (off) or above 1, got " + divergenceFactor);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Returns the defaults for a backbone with these layers: feature extraction (every layer frozen,
     * features cached), a linear head, Adam at 1e-3, 10 epochs of batch 32, seed 42, a backbone rate of
     * a tenth of the head's.
     *
     * @param layers the backbone's layer names
     * @return the default configuration
     */
    static TrainingConfig defaults(List<String> layers) {
        return new TrainingConfig(
                Freezing.all().toString(),
                layers,
                Head.linear(),
                List.of(),
                10,
                32,
                42,
                OptimizerSpec.adam(1e-3f),
                LearningRateSchedule.constant(),
                0.1f,
                0f,
                0,
                0,
                0,
                null,
                true,
                false,
                false,
                0,
                io.tl4j.core.train.DivergenceGuard.DEFAULT_FACTOR);
    }

    /**
     * Returns the adapter widths as an array.
     *
     * @return a new array of {@link #adapterUnits}
     */
    int[] adapterArray() {
        return adapterUnits.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Returns a copy with some settings changed.
     *
     * @param change edits a builder that starts with this configuration's values
     * @return the changed configuration
     */
    TrainingConfig with(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** A mutable copy of the settings, used only while {@link TransferLearner} derives a new configuration. */
    static final class Builder {
        String freezing;
        List<String> frozenLayers;
        Head head;
        List<Integer> adapterUnits;
        int epochs;
        int batchSize;
        long seed;
        OptimizerSpec optimizer;
        LearningRateSchedule schedule;
        float backboneLearningRate;
        float layerwiseDecay;
        double clipGradientNorm;
        int gradualUnfreezing;
        double validationSplit;
        EarlyStopping earlyStopping;
        boolean featureCache;
        boolean featuresOnOnnxRuntime;
        boolean classWeights;
        double rehearsalRatio;
        double divergenceFactor;

        private Builder(TrainingConfig c) {
            freezing = c.freezing;
            frozenLayers = c.frozenLayers;
            head = c.head;
            adapterUnits = c.adapterUnits;
            epochs = c.epochs;
            batchSize = c.batchSize;
            seed = c.seed;
            optimizer = c.optimizer;
            schedule = c.schedule;
            backboneLearningRate = c.backboneLearningRate;
            layerwiseDecay = c.layerwiseDecay;
            clipGradientNorm = c.clipGradientNorm;
            gradualUnfreezing = c.gradualUnfreezing;
            validationSplit = c.validationSplit;
            earlyStopping = c.earlyStopping;
            featureCache = c.featureCache;
            featuresOnOnnxRuntime = c.featuresOnOnnxRuntime;
            classWeights = c.classWeights;
            rehearsalRatio = c.rehearsalRatio;
            divergenceFactor = c.divergenceFactor;
        }

        private TrainingConfig build() {
            return new TrainingConfig(
                    freezing,
                    frozenLayers,
                    head,
                    adapterUnits,
                    epochs,
                    batchSize,
                    seed,
                    optimizer,
                    schedule,
                    backboneLearningRate,
                    layerwiseDecay,
                    clipGradientNorm,
                    gradualUnfreezing,
                    validationSplit,
                    earlyStopping,
                    featureCache,
                    featuresOnOnnxRuntime,
                    classWeights,
                    rehearsalRatio,
                    divergenceFactor);
        }
    }
}
