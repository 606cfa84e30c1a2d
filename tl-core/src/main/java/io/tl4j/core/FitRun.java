package io.tl4j.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.MinimumData;
import io.tl4j.core.data.Shuffle;
import io.tl4j.core.data.Split;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.metrics.History;
import io.tl4j.core.train.ConsoleProgress;
import io.tl4j.core.train.DivergenceGuard;
import io.tl4j.core.train.RunFingerprint;
import io.tl4j.core.train.TrainingListener;
import io.tl4j.core.train.Updater;
import io.tl4j.core.weights.StateDict;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** One call of {@link TransferLearner#fit}: the training loop. */
final class FitRun<I> {

    private static final Logger LOG = LoggerFactory.getLogger(TransferLearner.class);

    private final TransferLearner.Settings<I> s;
    private final List<String> classNames;
    private final LabeledData<I> pool;
    private final int trainSize;
    private final LabeledData<I> validation;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final CrossEntropy objective;
    private final Validator validator;
    private String fingerprint;

    FitRun(TransferLearner.Settings<I> settings, LabeledData<I> data) {
        this.s = settings;
        if (data == null || data.size() == 0) {
            throw new IllegalArgumentException("The training data is empty: a classifier needs examples of at least"
                    + " two classes");
        }
        LabeledData<I> train = data;
        LabeledData<I> val = s.validation;
        if (s.holdout > 0) {
            MinimumData.requireSplittable(data, s.holdout);
            Split<I> split = data.stratifiedSplit(s.holdout, s.seed);
            train = split.train();
            val = split.validation();
        }
        List<String> names = new ArrayList<>(train.classNames());
        if (s.replay != null) {
            s.replay.classNames().stream().filter(n -> !names.contains(n)).forEach(names::add);
        }
        this.classNames = List.copyOf(names);
        LabeledData<I> trainMapped = relabel(train, classNames);
        this.trainSize = trainMapped.size();
        this.pool = s.replay == null ? trainMapped : LabeledData.concat(trainMapped, relabel(s.replay, classNames));
        this.validation = val == null ? null : relabel(val, classNames);
        MinimumData.requireTrainable(pool, classNames, "training data");
        if (validation != null) {
            MinimumData.requireEveryClass(validation, train.classNames());
        }
        if (s.earlyStopping != null && validation == null) {
            throw new IllegalArgumentException("Early stopping needs validation data: call validationSplit(...) or validationData(...)");
        }
        this.objective = new CrossEntropy(classNames.size(), s.classWeights ? trainMapped.classWeights() : null);
        this.validator = validation == null ? null : new Validator(validation, classNames, Math.max(s.batchSize, 64));
        if (s.progress) {
            listeners.add(new ConsoleProgress(System.out));
        }
        listeners.addAll(s.listeners);
    }

    /** Maps a data set's labels onto {@code names} by class name. */
    static <I> LabeledData<I> relabel(LabeledData<I> data, List<String> names) {
        if (data.classNames().equals(names)) {
            return data;
        }
        int[] map = new int[data.numClasses()];
        for (int c = 0; c < map.length; c++) {
            map[c] = names.indexOf(data.classNames().get(c));
            if (map[c] < 0) {
                throw new IllegalArgumentException("Class '" + data.classNames().get(c)
                        + "' is not one of the model's classes " + names);
            }
        }
        int[] labels = data.labels();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = map[labels[i]];
        }
        return LabeledData.of(data.inputs(), labels, names);
    }

    TransferModel<I> run() {
        EngineCheck.requireCorrectGradients();
        NDManager manager = NDManager.newBaseManager();
        try {
            return train(manager);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    private TransferModel<I> train(NDManager manager) {
        Backbone<I> backbone = s.backbone;
        Network net = Network.build(backbone, s.adapterUnits, s.head, classNames.size(), manager, s.seed);
        Map<String, List<Map.Entry<String, Parameter>>> groups = net.trainableByGroup();
        List<String> layers = net.layers;
        List<String> initiallyFrozen = new ArrayList<>(s.freezing.resolve(layers));
        Map<String, Float> multipliers = multipliers(layers);

        int stepsPerEpoch = batches(epochSize(), s.batchSize).size();
        long totalSteps = (long) stepsPerEpoch * s.epochs;
        RunCheckpoint checkpoints = s.checkpoints == null ? null
                : new RunCheckpoint(s.checkpoints, this::fingerprint, classNames);

        try (Updater updater = new Updater(s.optimizer, manager)) {
            RunCheckpoint.RunState state = new RunCheckpoint.RunState();
            Map<String, NDArray> best = new LinkedHashMap<>();
            if (s.resume && checkpoints != null) {
                checkpoints.restore(net, updater, state, best, manager);
            }
            History history = state.history == null ? History.empty() : History.fromJson(state.history);
            DivergenceGuard guard = new DivergenceGuard(s.divergenceFactor, classNames.size(),
                    history.epochs().isEmpty() ? Double.NaN : history.epochs().get(0).trainLoss());
            FeatureCache cache = null;
            FeatureCache validationCache = null;
            Set<String> cachedFor = null;
            Path lastCheckpoint = checkpoints == null ? null : checkpoints.latestFile();

            for (int epoch = state.epochsDone + 1; epoch <= s.epochs && !state.stopped; epoch++) {
                long started = System.nanoTime();
                Engine.getInstance().setRandomSeed((int) (s.seed * 7919 + epoch));
                EpochFreezing freezing = EpochFreezing.at(epoch, initiallyFrozen, s.unfreezeEvery, net);
                freezing.applyTo(groups);
                Set<String> frozen = freezing.frozen();
                boolean[] stageTraining = freezing.stageTraining();
                int prefix = freezing.prefix();
                if (useCache(prefix) && (cache == null || !frozen.equals(cachedFor))) {
                    closeAll(cache, validationCache);
                    cache = new FeatureCache(raw(net, prefix), manager, pool);
                    validationCache = validation == null ? null : new FeatureCache(raw(net, prefix), manager, validation);
                    cachedFor = frozen;
                }
                BatchSource source = cache != null ? cache : raw(net, prefix);
                BatchSource validationSource = validationCache != null ? validationCache : raw(net, prefix);

                List<int[]> batches = batches(epochIndices(epoch), s.batchSize);
                final int current = epoch;
                listeners.forEach(l -> l.onEpochStart(current, s.epochs, batches.size()));
                double lossSum = 0;
                int correct = 0;
                int seen = 0;
                double lastLr = 0;
                Random augment = new Random(s.seed * 31 + epoch);
                for (int b = 0; b < batches.size(); b++) {
                    int[] idx = batches.get(b);
                    long step = (long) (epoch - 1) * stepsPerEpoch + b;
                    double factor = s.schedule.factor(step, totalSteps);
                    lastLr = s.optimizer.learningRate() * factor;
                    try (NDManager sm = manager.newSubManager(); NDScope scope = new NDScope()) {
                        NDList x = source.batch(sm, pool, idx, true, augment);
                        NDArray labels = sm.create(CrossEntropy.labelsOf(pool, idx));
                        List<Updater.Target> targets = new ArrayList<>();
                        NDArray logits;
                        double lossValue;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            logits = forwardStep(net, sm, x, prefix, stageTraining, epoch, b + 1, idx);
                            NDArray loss = objective.loss(logits, labels, sm);
                            lossValue = loss.getFloat();
                            guard.checkStep(epoch, b + 1, lossValue, lastLr, lastCheckpoint);
                            gc.backward(loss);
                        }
                        List<NDArray> grads = new ArrayList<>();
                        for (Map.Entry<String, List<Map.Entry<String, Parameter>>> g : groups.entrySet()) {
                            if (frozen.contains(g.getKey())) {
                                continue;
                            }
                            float lr = (float) (lastLr * multipliers.getOrDefault(g.getKey(), 1f));
                            for (Map.Entry<String, Parameter> p : g.getValue()) {
                                NDArray w = p.getValue().getArray();
                                targets.add(new Updater.Target(p.getKey(), w, lr));
                                grads.add(w.getGradient());
                            }
                        }
                        if (s.clipNorm > 0) {
                            double norm = Updater.clipByGlobalNorm(grads, s.clipNorm);
                            guard.checkGradientNorm(epoch, b + 1, norm, lastLr, lastCheckpoint);
                        }
                        updater.step(targets, grads);
                        grads.forEach(g -> g.subi(g));
                        lossSum += lossValue * idx.length;
                        correct += countCorrect(logits, idx);
                        seen += idx.length;
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    TrainingListener.StepInfo info = new TrainingListener.StepInfo(epoch, b + 1, batches.size(),
                            lossSum / seen, lossSum / seen, (double) correct / seen, lastLr, seen / seconds);
                    listeners.forEach(l -> l.onStep(info));
                }

                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("train_accuracy", (double) correct / seen);
                if (validation != null) {
                    metrics.putAll(validator.validate(net, validationSource, manager));
                }
                EpochRecord record = new EpochRecord(epoch, lossSum / seen, lastLr,
                        (System.nanoTime() - started) / 1e9, metrics);
                history = history.plus(record);
                guard.epochEnded(record.trainLoss());
                LOG.debug("epoch {}/{}: {}", epoch, s.epochs, record);
                if (s.earlyStopping != null) {
                    double value = metrics.get(s.earlyStopping.metric());
                    if (s.earlyStopping.improves(value, state.bestValue)) {
                        state.bestValue = value;
                        state.bestEpoch = epoch;
                        state.badEpochs = 0;
                        snapshot(net, best, manager);
                    } else if (++state.badEpochs >= s.earlyStopping.patience()) {
                        state.stopped = true;
                        LOG.info("early stopping after epoch {}: best {} = {} at epoch {}", epoch,
                                s.earlyStopping.metric(), state.bestValue, state.bestEpoch);
                    }
                }
                state.epochsDone = epoch;
                state.updaterSteps = updater.steps();
                state.history = history.toJson();
                if (checkpoints != null) {
                    lastCheckpoint = checkpoints.write(net, updater, best, state);
                }
                final EpochRecord done = record;
                listeners.forEach(l -> l.onEpochEnd(done));
            }
            closeAll(cache, validationCache);
            if (s.earlyStopping != null && s.earlyStopping.restoreBest() && !best.isEmpty()) {
                StateDict.load(net.root, best);
            }
            best.values().forEach(NDArray::close);
            if (!history.epochs().isEmpty()) {
                LOG.info("trained {} epochs: {}", history.size(), history.last());
            }
            final History finished = history;
            listeners.forEach(l -> l.onFitEnd(finished));
            return new TransferModel<>(manager, net, backbone, s.head, s.adapterUnits, classNames, history);
        }
    }

    private RawBatchSource<I> raw(Network net, int prefix) {
        return new RawBatchSource<>(net, prefix, s.backbone.pipeline(), validation);
    }

    private static void closeAll(FeatureCache... caches) {
        for (FeatureCache cache : caches) {
            if (cache != null) {
                cache.close();
            }
        }
    }

    // ---- schedule of data ----

    private int epochSize() {
        return trainSize + replayCount();
    }

    private int replayCount() {
        return s.replay == null ? 0 : (int) Math.round(s.replayRatio * trainSize);
    }

    private int[] epochIndices(int epoch) {
        Random random = new Random(s.seed * 1_000_003L + epoch);
        int[] indices = new int[epochSize()];
        for (int i = 0; i < trainSize; i++) {
            indices[i] = i;
        }
        int replaySize = pool.size() - trainSize;
        int[] replay = Shuffle.permutation(replaySize, random);
        for (int i = 0; i < replayCount(); i++) {
            indices[trainSize + i] = trainSize + replay[i % replaySize];
        }
        Shuffle.shuffle(indices, random);
        return indices;
    }

    /** Splits {@code 0 .. size-1} into batches; see {@link #batches(int[], int)}. */
    static List<int[]> batches(int size, int batchSize) {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        return batches(all, batchSize);
    }

    /** Splits indices into batches; a last batch of one joins the one before (BatchNorm needs two). */
    static List<int[]> batches(int[] indices, int batchSize) {
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < indices.length; start += batchSize) {
            int end = Math.min(indices.length, start + batchSize);
            if (end - start == 1 && end == indices.length && !batches.isEmpty()) {
                int[] last = batches.remove(batches.size() - 1);
                int[] merged = Arrays.copyOf(last, last.length + 1);
                merged[last.length] = indices[start];
                batches.add(merged);
            } else {
                batches.add(Arrays.copyOfRange(indices, start, end));
            }
        }
        return batches;
    }

    // ---- freezing and learning rates ----

    private boolean useCache(int prefix) {
        return s.featureCache && prefix > 0 && s.unfreezeEvery == 0 && !s.backbone.pipeline().isRandomInTraining();
    }

    private Map<String, Float> multipliers(List<String> layers) {
        Map<String, Float> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            m.put(layers.get(i), s.layerDecay > 0
                    ? (float) Math.pow(s.layerDecay, layers.size() - i) : s.backboneMultiplier);
        }
        return m;
    }

    // ---- loss and metrics ----

    private int countCorrect(NDArray logits, int[] idx) {
        long[] predicted = logits.argMax(1).toLongArray();
        int correct = 0;
        for (int i = 0; i < idx.length; i++) {
            if (predicted[i] == pool.label(idx[i])) {
                correct++;
            }
        }
        return correct;
    }

    /** Keeps a copy of the network's weights as the best epoch's, for early stopping. */
    private static void snapshot(Network net, Map<String, NDArray> best, NDManager manager) {
        best.values().forEach(NDArray::close);
        best.clear();
        for (Map.Entry<String, NDArray> e : StateDict.export(net.root).entrySet()) {
            NDArray copy = e.getValue().duplicate();
            copy.attach(manager);
            best.put(e.getKey(), copy);
        }
    }

    /** The settings, the training data and the starting weights: what a resumed run must share. */
    private String fingerprint() {
        if (fingerprint == null) {
            fingerprint = s.fingerprint() + ";data=" + RunFingerprint.ofData(pool) + ";backbone="
                    + RunFingerprint.ofWeights(s.backbone.weights());
        }
        return fingerprint;
    }

    /** The forward pass of one training step, with an engine failure explained in terms of the run. */
    private NDArray forwardStep(Network net, NDManager sm, NDList x, int prefix, boolean[] stageTraining, int epoch,
            int step, int[] idx) {
        try {
            return net.forwardFrom(new ParameterStore(sm, false), x, prefix, stageTraining, true).head();
        } catch (ai.djl.engine.EngineException e) {
            String hint = String.valueOf(e.getMessage()).contains("more than 1 value per channel")
                    ? " BatchNorm needs at least two examples per batch in training: raise batchSize (now "
                            + s.batchSize + ") or freeze the BatchNorm layers."
                    : "";
            throw new IllegalStateException("The training step at epoch " + epoch + ", step " + step + " failed on"
                    + " examples " + Arrays.toString(idx) + " (batch of " + idx.length + "): " + e.getMessage() + hint,
                    e);
        }
    }
}
