package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.metrics.History;
import io.tl4j.core.monitor.ReferenceProfile;
import io.tl4j.core.train.ConsoleProgress;
import io.tl4j.core.train.CrossEntropy;
import io.tl4j.core.train.DivergenceGuard;
import io.tl4j.core.train.EpochFreezing;
import io.tl4j.core.train.FreezePlan;
import io.tl4j.core.train.Objective;
import io.tl4j.core.train.TrainingListener;
import io.tl4j.core.train.TrainingLoop;
import io.tl4j.core.train.Updater;
import io.tl4j.core.weights.StateDict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of {@link TransferLearner#fit}: prepares the data, builds the network and its {@link
 * FreezePlan}, restores a checkpoint when resuming, runs the {@link TrainingLoop} with cross-entropy,
 * and between epochs validates, stops early and checkpoints.
 */
final class FitRun<I> implements TrainingLoop.Run {

    private static final Logger LOG = LoggerFactory.getLogger(TransferLearner.class);

    private final TrainingConfig config;
    private final RunInputs<I> inputs;
    private final FitData<I> data;
    private final EpochSchedule schedule;
    private Network net;
    private FreezePlan plan;
    private Map<String, List<Map.Entry<String, Parameter>>> groups;
    private Validator validator;
    private RunCheckpoint checkpoints;
    private Updater updater;
    private NDManager manager;
    private final RunCheckpoint.RunState state = new RunCheckpoint.RunState();
    private final Map<String, NDArray> best = new LinkedHashMap<>();
    private final FeatureCaches<I> caches;
    private final TargetDomain<I> target;
    private final JavaHeadChoice javaHead;
    private Path lastCheckpoint;

    FitRun(TrainingConfig config, RunInputs<I> inputs, LabeledData<I> data) {
        this(config, inputs, data, null);
    }

    /** Creates a run that also adapts to unlabelled target data, or not when {@code target} is null. */
    FitRun(TrainingConfig config, RunInputs<I> inputs, LabeledData<I> data, TargetDomain<I> target) {
        this.target = target;
        this.config = config;
        this.inputs = inputs;
        this.data = FitData.of(config, inputs, data);
        this.schedule = new EpochSchedule(
                this.data.trainSize(),
                this.data.pool().size(),
                config.rehearsalRatio(),
                config.batchSize(),
                config.seed());
        this.caches = new FeatureCaches<>(inputs.backbone(), this.data, config.featuresOnOnnxRuntime());
        this.javaHead = new JavaHeadChoice(config, this.data);
    }

    /** Trains; on failure frees everything the run allocated. */
    TransferModel<I> run() {
        EngineCheck.requireCorrectGradients();
        manager = NDManager.newBaseManager(inputs.device());
        try (Updater u = new Updater(config.optimizer(), manager)) {
            updater = u;
            return train();
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /** The fit, top-down: network, freezing plan, resume, the loop, the best weights, the model. */
    private TransferModel<I> train() {
        List<String> classes = data.classNames();
        net = Network.build(
                inputs.backbone(), config.adapterArray(), config.head(), classes.size(), manager, config.seed());
        plan = FreezePlan.of(
                net.layers,
                net.staged(),
                net.frozenLayers(config.frozenLayers()),
                config.gradualUnfreezing(),
                config.featureCache() && !inputs.backbone().pipeline().isRandomInTraining());
        if (config.featuresOnOnnxRuntime()) {
            OnnxRuntimeFeatures.requireUsable(config, net, inputs.backbone());
        }
        if (target != null) {
            target.beforeTraining(
                    net,
                    config.frozenLayers().size() == net.layers.size(),
                    config.adapterArray().length,
                    inputs.backbone().architecture().id(),
                    manager,
                    config.seed());
        }
        groups = net.trainableByGroup();
        validator = data.validation() == null
                ? null
                : new Validator(data.validation(), classes, Math.max(config.batchSize(), 64));
        checkpoints =
                inputs.checkpoints() == null ? null : new RunCheckpoint(inputs.checkpoints(), fingerprint(), classes);
        if (inputs.resume() && checkpoints != null) {
            Map<String, NDArray> auxiliary = new LinkedHashMap<>();
            checkpoints.restore(net, updater, state, best, auxiliary, manager);
            if (target != null) {
                target.restore(auxiliary);
            }
            auxiliary.values().forEach(NDArray::close);
        }
        lastCheckpoint = checkpoints == null ? null : checkpoints.latestFile();
        History history = state.history == null ? History.empty() : History.fromJson(state.history);
        DivergenceGuard guard = new DivergenceGuard(
                config.divergenceFactor(),
                classes.size(),
                history.epochs().isEmpty()
                        ? Double.NaN
                        : history.epochs().get(0).trainLoss());
        CrossEntropy crossEntropy = new CrossEntropy(
                classes.size(), config.classWeights() ? data.train().classWeights() : null);
        Objective objective = target == null ? crossEntropy : target.objective(crossEntropy);
        TrainingLoop loop = new TrainingLoop(loopSettings(), objective, updater, guard, listeners());
        history = loop.run(this, manager, state.stopped ? config.epochs() + 1 : state.epochsDone + 1, history);
        caches.close();
        if (target != null) {
            target.close();
        }
        if (config.earlyStopping() != null && config.earlyStopping().restoreBest() && !best.isEmpty()) {
            StateDict.load(net.root, best);
        }
        best.values().forEach(NDArray::close);
        if (!history.epochs().isEmpty()) {
            LOG.info("trained {} epochs: {}", history.size(), history.last());
        }
        return new TransferModel<>(
                manager,
                net,
                inputs.backbone(),
                config.head(),
                config.adapterArray(),
                classes,
                history,
                config,
                referenceProfile());
    }

    /**
     * Profiles the trained network on the validation data for drift monitoring, when there is
     * enough of it; null otherwise.
     */
    private ReferenceProfile referenceProfile() {
        int size = data.validation() == null ? 0 : data.validation().size();
        if (size < ReferenceProfile.MIN_EXAMPLES) {
            if (size > 0) {
                LOG.info(
                        "No reference profile for drift monitoring: it needs {} validation examples, the run had {}",
                        ReferenceProfile.MIN_EXAMPLES,
                        size);
            }
            return null;
        }
        net.freezeAll();
        return new ModelScoring<>(
                        manager,
                        net,
                        inputs.backbone().pipeline(),
                        data.classNames().size())
                .profile(data.validation().inputs());
    }

    /** Computes, once and only when asked, what a resumed run must share: settings, data, starting weights. */
    private Supplier<String> fingerprint() {
        String[] memo = new String[1];
        return () -> {
            if (memo[0] == null) {
                memo[0] = RunCheckpoint.fingerprint(
                        config,
                        inputs.backbone(),
                        data.pool(),
                        data.validation(),
                        target == null ? null : target.describe());
            }
            return memo[0];
        };
    }

    private TrainingLoop.Settings loopSettings() {
        return new TrainingLoop.Settings(
                config.epochs(),
                config.batchSize(),
                config.seed(),
                config.optimizer(),
                config.schedule(),
                schedule.stepsPerEpoch(),
                config.clipGradientNorm());
    }

    private List<TrainingListener> listeners() {
        List<TrainingListener> listeners = new ArrayList<>();
        if (inputs.progress()) {
            listeners.add(new ConsoleProgress(System.out));
        }
        listeners.addAll(inputs.listeners());
        return listeners;
    }

    @Override
    public TrainingLoop.Epoch beginEpoch(int epoch) {
        EpochFreezing freezing = plan.at(epoch);
        freezing.applyTo(groups);
        caches.prepare(net, freezing, manager);
        Random augment = new Random(config.seed() * 31 + epoch);
        List<TrainingLoop.Trainable> trainable = trainable(freezing);
        List<int[]> batches = schedule.batches(epoch);
        TrainingLoop.Epoch work = new TrainingLoop.Epoch(
                batches,
                trainable,
                (sm, idx) -> new TrainingLoop.Batch(
                        caches.training().batch(sm, data.pool(), idx, true, augment),
                        new NDList(sm.create(CrossEntropy.labelsOf(data.pool(), idx)))),
                (sm, x) -> net.forward(new ParameterStore(sm, false), x, freezing.prefix(), freezing));
        return target != null && target.aligns()
                ? target.align(
                        work, net, freezing, manager, config.seed() * 31 + epoch + 17, epoch / (double) config.epochs())
                : target == null ? javaHead.apply(work, freezing, caches.training()) : work;
    }

    /** The epoch's unfrozen parameters with their learning-rate factors (layer-wise decay or one backbone rate). */
    private List<TrainingLoop.Trainable> trainable(EpochFreezing freezing) {
        List<String> layers = net.layers;
        List<TrainingLoop.Trainable> trainable = new ArrayList<>();
        groups.forEach((group, parameters) -> {
            if (freezing.frozen().contains(group)) {
                return;
            }
            int layer = layers.indexOf(group);
            float multiplier = layer < 0
                    ? 1f
                    : config.layerwiseDecay() > 0
                            ? (float) Math.pow(config.layerwiseDecay(), layers.size() - layer)
                            : config.backboneLearningRate();
            parameters.forEach(p -> trainable.add(new TrainingLoop.Trainable(p.getKey(), p.getValue(), multiplier)));
        });
        return trainable;
    }

    @Override
    public Map<String, Double> measure(int epoch) {
        return validator == null ? Map.of() : validator.validate(net, caches.validation(), manager);
    }

    @Override
    public boolean endEpoch(EpochRecord record, History history) {
        LOG.debug("epoch {}/{}: {}", record.epoch(), config.epochs(), record);
        if (config.earlyStopping() != null) {
            double value = record.metrics().get(config.earlyStopping().metric());
            if (config.earlyStopping().improves(value, state.bestValue)) {
                state.bestValue = value;
                state.bestEpoch = record.epoch();
                state.badEpochs = 0;
                snapshot();
            } else if (++state.badEpochs >= config.earlyStopping().patience()) {
                state.stopped = true;
                LOG.info(
                        "early stopping after epoch {}: best {} = {} at epoch {}",
                        record.epoch(),
                        config.earlyStopping().metric(),
                        state.bestValue,
                        state.bestEpoch);
            }
        }
        state.epochsDone = record.epoch();
        state.updaterSteps = updater.steps();
        state.history = history.toJson();
        if (checkpoints != null) {
            lastCheckpoint =
                    checkpoints.write(net, updater, best, target == null ? Map.of() : target.auxiliary(), state);
        }
        return state.stopped;
    }

    @Override
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }

    /** Keeps a copy of the network's weights as the best epoch's, for early stopping. */
    private void snapshot() {
        best.values().forEach(NDArray::close);
        best.clear();
        for (Map.Entry<String, NDArray> e : StateDict.export(net.root).entrySet()) {
            NDArray copy = e.getValue().duplicate();
            copy.attach(manager);
            best.put(e.getKey(), copy);
        }
    }
}
