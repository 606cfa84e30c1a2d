package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import io.tl4j.core.adapt.AdversarialObjective;
import io.tl4j.core.adapt.BatchNormStatistics;
import io.tl4j.core.adapt.CoralObjective;
import io.tl4j.core.adapt.DomainAdaptation;
import io.tl4j.core.adapt.DomainDiscriminator;
import io.tl4j.core.adapt.GradientReversal;
import io.tl4j.core.adapt.Unlabelled;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.train.EpochFreezing;
import io.tl4j.core.train.Objective;
import io.tl4j.core.train.TrainingLoop;
import io.tl4j.core.weights.StateDict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The unlabelled target data of a fit and what the fit does with it ({@link DomainAdaptation}): AdaBN
 * before training, and alignment between each labelled batch's features and a batch of target
 * features drawn at random, run through the same frozen prefix (cached with it when the labelled
 * data is cached): the CORAL loss, a domain discriminator behind a gradient reversal (DANN), or both.
 *
 * @param <I> the raw input type
 */
final class TargetDomain<I> implements AutoCloseable {

    private static final int BATCH = 64;

    private final Unlabelled<I> target;
    private final LabeledData<I> placeholder;
    private final DomainAdaptation adaptation;
    private final InputPipeline<I> pipeline;
    private FeatureCache cache;
    private java.util.Set<String> cachedFor;
    private DomainDiscriminator discriminator;

    TargetDomain(Unlabelled<I> target, DomainAdaptation adaptation, InputPipeline<I> pipeline) {
        this.target = target;
        this.placeholder = target.withPlaceholderLabels();
        this.adaptation = adaptation;
        this.pipeline = pipeline;
        checkFirstInput(target, pipeline);
    }

    /**
     * Returns a copy of a model whose BatchNorm statistics are re-estimated on the target inputs;
     * see {@link TransferModel#adaptBatchNorm}.
     *
     * @param model the model, unchanged
     * @param target the target inputs
     * @param <I> the raw input type
     * @return the adapted copy
     */
    static <I> TransferModel<I> adaptedCopy(TransferModel<I> model, Unlabelled<I> target) {
        Objects.requireNonNull(target, "unlabelled");
        String name = model.architecture().id();
        BatchNormStatistics.of(model.network().backbone, "Backbone '" + name + "'");
        NDManager copyManager = NDManager.newBaseManager(model.device());
        try (Backbone<I> spec = Backbone.<I>builder()
                .setArchitecture(TrainedBackbone.architecture(model.network(), model.architecture()))
                .setPipeline(model.pipeline())
                .optProvenance(model.provenance())
                .build()) {
            Network copy = Network.build(
                    spec, model.adapterUnits(), model.head(), model.classNames().size(), copyManager, 0);
            StateDict.load(copy.root, StateDict.export(model.network().root));
            reestimateBatchNorm(copy, model.pipeline(), target, name, copyManager);
            return new TransferModel<>(
                    copyManager,
                    copy,
                    spec,
                    model.head(),
                    model.adapterUnits(),
                    model.classNames(),
                    model.history(),
                    model.trainingConfig().orElse(null),
                    null);
        } catch (RuntimeException | Error e) {
            copyManager.close();
            throw e;
        }
    }

    /**
     * Re-estimates the backbone's BatchNorm statistics on the target inputs (AdaBN), in place.
     *
     * @param net the network
     * @param pipeline turns raw inputs into arrays, without augmentation
     * @param target the target inputs
     * @param name names the backbone in errors
     * @param manager the network's manager
     * @param <I> the raw input type
     */
    static <I> void reestimateBatchNorm(
            Network net, InputPipeline<I> pipeline, Unlabelled<I> target, String name, NDManager manager) {
        BatchNormStatistics statistics = BatchNormStatistics.of(net.backbone, "Backbone '" + name + "'");
        checkFirstInput(target, pipeline);
        List<int[]> batches = EpochSchedule.batches(target.size(), BATCH);
        statistics.reestimate(batches.size(), b -> {
            int[] idx = batches.get(b);
            try (NDManager sm = manager.newSubManager();
                    NDScope scope = new NDScope()) {
                NDList x = preprocess(sm, pipeline, target.withPlaceholderLabels(), idx);
                net.backbone.forward(new ParameterStore(sm, false), x, true);
            }
            return idx.length;
        });
    }

    /**
     * Prepares the network before training: AdaBN when asked; refuses alignment with nothing trainable
     * before the head.
     *
     * @param net the network
     * @param allFrozen whether every backbone layer is frozen from the first epoch
     * @param adapterLayers the number of added layers
     * @param name names the backbone in errors
     * @param manager the run's manager, which owns a domain discriminator
     * @param seed seeds a domain discriminator's initial weights
     */
    void beforeTraining(Network net, boolean allFrozen, int adapterLayers, String name, NDManager manager, long seed) {
        if (adaptation.aligns() && allFrozen && adapterLayers == 0) {
            throw new IllegalArgumentException("Feature alignment (" + (adaptation.adversarial() ? "DANN" : "CORAL")
                    + ") needs a trainable layer before the head, but every layer of backbone '" + name
                    + "' is frozen and no layer is added: unfreeze the last layers (freezeUntil) or add layers"
                    + " (addLayers)");
        }
        if (adaptation.reestimateBatchNorm()) {
            reestimateBatchNorm(net, pipeline, target, name, manager);
        }
        if (adaptation.adversarial()) {
            discriminator = DomainDiscriminator.create(net.featureSize, manager, seed);
        }
    }

    /**
     * Returns the objective of the fit: the task's alone, or with the CORAL loss and the domain
     * discriminator's loss.
     *
     * @param task the labelled batches' objective
     * @return the objective
     */
    Objective objective(Objective task) {
        Objective objective = adaptation.coralWeight() > 0 ? new CoralObjective(task, adaptation.coralWeight()) : task;
        return adaptation.adversarial() ? new AdversarialObjective(objective) : objective;
    }

    /** Returns the adaptation's description, for the run's fingerprint. */
    String describe() {
        return adaptation.toString();
    }

    /** Returns the weights that train beside the network (the domain discriminator's), by name; possibly empty. */
    Map<String, NDArray> auxiliary() {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        if (discriminator != null) {
            discriminator.parameters().forEach((name, p) -> weights.put(name, p.getArray()));
        }
        return weights;
    }

    /**
     * Restores the weights that train beside the network from a checkpoint.
     *
     * @param saved the checkpoint's auxiliary weights by name
     */
    void restore(Map<String, NDArray> saved) {
        if (discriminator != null) {
            discriminator.load(saved);
        }
    }

    /** Returns whether training batches carry target batches for alignment. */
    boolean aligns() {
        return adaptation.aligns();
    }

    /**
     * Returns an epoch that adds a random target batch to every labelled batch and runs both through
     * the network, returning scores, labelled features and target features.
     *
     * @param labelled the epoch as it would run without alignment
     * @param net the network
     * @param freezing the epoch's freezing
     * @param manager the run's manager, under which a target feature cache lives
     * @param seed seeds the draw of target batches
     * @param progress the fraction of training done at the end of this epoch, which ramps DANN's coefficient
     * @return the aligned epoch
     */
    TrainingLoop.Epoch align(
            TrainingLoop.Epoch labelled,
            Network net,
            EpochFreezing freezing,
            NDManager manager,
            long seed,
            double progress) {
        int prefix = freezing.prefix();
        if (freezing.cached() && (cache == null || !freezing.frozen().equals(cachedFor))) {
            close();
            cache = new FeatureCache(new RawBatchSource<>(net, prefix, pipeline, null), manager, placeholder);
            cachedFor = freezing.frozen();
        }
        BatchSource source = freezing.cached() ? cache : new RawBatchSource<>(net, prefix, pipeline, null);
        Random draw = new Random(seed);
        Random augment = new Random(seed ^ 0x5DEECE66DL);
        List<TrainingLoop.Trainable> trainable = new ArrayList<>(labelled.trainable());
        float lambda = GradientReversal.ramp(adaptation.adversarialWeight(), progress);
        if (discriminator != null) {
            discriminator.parameters().forEach((name, p) -> trainable.add(new TrainingLoop.Trainable(name, p, 1f)));
        }
        return new TrainingLoop.Epoch(
                labelled.batches(),
                trainable,
                (sm, idx) -> {
                    TrainingLoop.Batch batch = labelled.batch().make(sm, idx);
                    int[] targetIdx = new int[Math.max(2, idx.length)];
                    for (int i = 0; i < targetIdx.length; i++) {
                        targetIdx[i] = draw.nextInt(placeholder.size());
                    }
                    NDList inputs = new NDList(batch.inputs());
                    inputs.addAll(source.batch(sm, placeholder, targetIdx, true, augment));
                    return new TrainingLoop.Batch(inputs, batch.targets());
                },
                (sm, x) -> {
                    ParameterStore ps = new ParameterStore(sm, false);
                    int half = x.size() / 2;
                    NDList[] features = jointFeatures(
                            net, ps, new NDList(x.subList(0, half)), new NDList(x.subList(half, x.size())), freezing);
                    NDList labelledFeatures = features[0];
                    NDList targetFeatures = features[1];
                    NDList scores = net.classify(ps, labelledFeatures, freezing.training());
                    NDList out = new NDList(scores.head(), labelledFeatures.head(), targetFeatures.head());
                    if (discriminator != null) {
                        out.add(discriminator.logits(ps, labelledFeatures.head(), lambda));
                        out.add(discriminator.logits(ps, targetFeatures.head(), lambda));
                    }
                    return out;
                });
    }

    /**
     * Returns the features of a labelled and a target batch, computed as one batch when their inputs'
     * shapes allow it, so that BatchNorm layers normalise both with the same batch statistics, as
     * their running statistics (a mix of both domains) will at prediction; separately otherwise (inputs
     * padded to different lengths).
     */
    private static NDList[] jointFeatures(
            Network net, ParameterStore ps, NDList labelled, NDList target, EpochFreezing freezing) {
        int prefix = freezing.prefix();
        boolean joinable = true;
        for (int i = 0; i < labelled.size(); i++) {
            long[] a = labelled.get(i).getShape().getShape();
            long[] b = target.get(i).getShape().getShape();
            joinable &= a.length == b.length && java.util.Arrays.equals(a, 1, a.length, b, 1, b.length);
        }
        if (!joinable) {
            return new NDList[] {
                net.features(ps, labelled, prefix, freezing), net.features(ps, target, prefix, freezing)
            };
        }
        NDList joint = new NDList(labelled.size());
        for (int i = 0; i < labelled.size(); i++) {
            joint.add(labelled.get(i).concat(target.get(i), 0));
        }
        long rows = labelled.head().getShape().get(0);
        NDList parts = net.features(ps, joint, prefix, freezing).head().split(new long[] {rows}, 0);
        return new NDList[] {new NDList(parts.get(0)), new NDList(parts.get(1))};
    }

    /** Runs the pipeline on a batch of target inputs, naming them when they do not fit. */
    private static <I> NDList preprocess(NDManager sm, InputPipeline<I> pipeline, LabeledData<I> data, int[] idx) {
        List<I> inputs = new ArrayList<>(idx.length);
        for (int i : idx) {
            inputs.add(data.input(i));
        }
        try {
            return pipeline.batch(sm, inputs, false, null);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(
                    "Unlabelled target inputs " + idx[0] + ".." + idx[idx.length - 1] + " do not fit the backbone's"
                            + " pipeline '" + pipeline.id() + "' (samples of shape " + pipeline.sampleShape()
                            + "): " + e.getMessage(),
                    e);
        }
    }

    /** Runs the first target input through the pipeline, so that the wrong type or shape fails at once. */
    private static <I> void checkFirstInput(Unlabelled<I> target, InputPipeline<I> pipeline) {
        try (NDManager sm = NDManager.newBaseManager()) {
            preprocess(sm, pipeline, target.withPlaceholderLabels(), new int[] {0});
        }
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }
}
