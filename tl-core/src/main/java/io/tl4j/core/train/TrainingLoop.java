package io.tl4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.metrics.History;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs epochs of optimizer steps: the one training loop behind {@code TransferLearner.fit},
 * contrastive tuning and CTC fine-tuning. Each step takes a batch from the caller's {@link Epoch},
 * runs the network forward under a gradient collector, asks the {@link Objective} for the loss, has
 * the {@link DivergenceGuard} check it, differentiates, clips, and lets the {@link Updater} apply the
 * gradients at the scheduled learning rate; each epoch ends with the caller's {@link Run#endEpoch}
 * (validation, early stopping, checkpoints). Listeners hear about every step and epoch.
 */
public final class TrainingLoop {

    /**
     * The loop's settings.
     *
     * @param epochs the last epoch
     * @param batchSize the configured examples per step (named in error messages)
     * @param seed seeds the engine (dropout) at the start of each epoch
     * @param optimizer the peak learning rate's source
     * @param schedule how the learning rate changes over the run
     * @param stepsPerEpoch the steps of a full epoch, for the schedule
     * @param clipNorm the largest global gradient norm, or 0 for no clipping
     */
    public record Settings(
            int epochs,
            int batchSize,
            long seed,
            OptimizerSpec optimizer,
            LearningRateSchedule schedule,
            int stepsPerEpoch,
            double clipNorm) {}

    /** A batch: the network's inputs and the objective's targets, owned by the step's manager. */
    public record Batch(NDList inputs, NDList targets) {}

    /**
     * A parameter that trains, with the factor applied to the scheduled learning rate.
     *
     * @param name the parameter's full name (the optimizer state's key)
     * @param parameter the parameter
     * @param multiplier the learning-rate factor, 1 for the head
     */
    public record Trainable(String name, Parameter parameter, float multiplier) {}

    /**
     * One epoch's work, prepared by the caller when the epoch starts.
     *
     * @param batches the epoch's batches as example indices, in the order they run
     * @param trainable the parameters this epoch trains, in the order the optimizer visits them
     * @param batch makes a batch's inputs and targets under the step's manager
     * @param forward runs the network forward in training mode on a batch's inputs
     * @param javaHead computes the steps in plain Java instead, when the loop's objective is plain
     *     {@link CrossEntropy}; or null, for steps on the engine
     */
    public record Epoch(
            List<int[]> batches,
            List<Trainable> trainable,
            BatchMaker batch,
            Forward forward,
            JavaLinearHead javaHead) {

        /**
         * Creates an epoch whose steps run on the engine.
         *
         * @param batches the epoch's batches as example indices, in the order they run
         * @param trainable the parameters this epoch trains, in the order the optimizer visits them
         * @param batch makes a batch's inputs and targets under the step's manager
         * @param forward runs the network forward in training mode on a batch's inputs
         */
        public Epoch(List<int[]> batches, List<Trainable> trainable, BatchMaker batch, Forward forward) {
            this(batches, trainable, batch, forward, null);
        }
    }

    /** Makes the inputs and targets of a batch. */
    @FunctionalInterface
    public interface BatchMaker {
        /**
         * Returns a batch's inputs and targets.
         *
         * @param sm the step's manager, which owns what is created
         * @param idx the examples' indices
         * @return the batch
         */
        Batch make(NDManager sm, int[] idx);
    }

    /** Runs the network forward in training mode. */
    @FunctionalInterface
    public interface Forward {
        /**
         * Returns the network's output for a batch's inputs, as the objective expects it.
         *
         * @param sm the step's manager
         * @param inputs the batch's inputs
         * @return the output
         */
        NDList run(NDManager sm, NDList inputs);
    }

    /** The caller's side of a run: what each epoch trains and what happens between epochs. */
    public interface Run {
        /**
         * Prepares an epoch: freezing, caches, batch order.
         *
         * @param epoch the epoch, from 1
         * @return its work
         */
        Epoch beginEpoch(int epoch);

        /**
         * Returns metrics measured after an epoch's steps, such as validation scores; none by default.
         *
         * @param epoch the epoch
         * @return metrics by name, possibly empty
         */
        default Map<String, Double> measure(int epoch) {
            return Map.of();
        }

        /**
         * Ends an epoch: logging, early stopping, checkpoints; by default nothing, and training goes on.
         *
         * @param record the epoch's record
         * @param history the run's history including it
         * @return true to stop after this epoch
         */
        default boolean endEpoch(EpochRecord record, History history) {
            return false;
        }

        /**
         * Returns the last checkpoint written, named when training diverges; none by default.
         *
         * @return the file, or null
         */
        default Path lastCheckpoint() {
            return null;
        }
    }

    private final Settings settings;
    private final Objective objective;
    private final Updater updater;
    private final DivergenceGuard guard;
    private final List<TrainingListener> listeners;

    /**
     * Creates the loop.
     *
     * @param settings the loop's settings
     * @param objective what each step minimises
     * @param updater applies the gradients (and holds the optimizer state)
     * @param guard stops a diverging run
     * @param listeners told about every step and epoch
     */
    public TrainingLoop(
            Settings settings,
            Objective objective,
            Updater updater,
            DivergenceGuard guard,
            List<TrainingListener> listeners) {
        this.settings = settings;
        this.objective = objective;
        this.updater = updater;
        this.guard = guard;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Runs epochs {@code firstEpoch ..} until the last or until the run asks to stop.
     *
     * @param run the caller's side
     * @param manager the run's manager; each step works under a sub-manager of it
     * @param firstEpoch the first epoch to run (later than 1 when resuming)
     * @param history the history of the epochs already run
     * @return the whole run's history
     */
    public History run(Run run, NDManager manager, int firstEpoch, History history) {
        try (ShutdownGate.Pass pass = ShutdownGate.enter()) {
            return run(run, manager, firstEpoch, history, pass);
        }
    }

    private History run(Run run, NDManager manager, int firstEpoch, History history, ShutdownGate.Pass pass) {
        boolean stop = false;
        for (int epoch = firstEpoch; epoch <= settings.epochs() && !stop; epoch++) {
            long started = System.nanoTime();
            Engine.getInstance().setRandomSeed((int) (settings.seed() * 7919 + epoch));
            Epoch work = run.beginEpoch(epoch);
            List<int[]> batches = work.batches();
            final int current = epoch;
            listeners.forEach(l -> l.onEpochStart(current, settings.epochs(), batches.size()));
            double lossSum = 0;
            int correct = 0;
            boolean counted = true;
            int seen = 0;
            double lastLr = 0;
            JavaLinearHead javaHead =
                    work.javaHead() != null && objective instanceof CrossEntropy ? work.javaHead() : null;
            if (javaHead != null) {
                javaHead.beginEpoch(settings.optimizer(), updater, (CrossEntropy) objective);
            }
            for (int b = 0; b < batches.size(); b++) {
                int[] idx = batches.get(b);
                pass.boundary("epoch " + epoch + " step " + (b + 1), run.lastCheckpoint());
                long step = (long) (epoch - 1) * settings.stepsPerEpoch() + b;
                lastLr = settings.optimizer().learningRate()
                        * settings.schedule().factor(step, (long) settings.stepsPerEpoch() * settings.epochs());
                StepResult result = javaHead != null
                        ? javaStep(javaHead, idx, epoch, b + 1, lastLr, run.lastCheckpoint())
                        : step(work, manager, idx, epoch, b + 1, lastLr, run.lastCheckpoint());
                lossSum += result.loss() * idx.length;
                counted &= result.correct() >= 0;
                correct += result.correct();
                seen += idx.length;
                double seconds = (System.nanoTime() - started) / 1e9;
                TrainingListener.StepInfo info = new TrainingListener.StepInfo(
                        epoch,
                        b + 1,
                        batches.size(),
                        result.loss(),
                        lossSum / seen,
                        counted ? (double) correct / seen : Double.NaN,
                        lastLr,
                        seen / seconds);
                listeners.forEach(l -> l.onStep(info));
            }
            if (javaHead != null) {
                javaHead.endEpoch(updater);
            }
            pass.boundary("the end of epoch " + epoch, run.lastCheckpoint());
            requireFiniteWeights(work, epoch, batches.size(), lastLr, run.lastCheckpoint());
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (counted) {
                metrics.put("train_accuracy", (double) correct / seen);
            }
            metrics.putAll(run.measure(epoch));
            EpochRecord record =
                    new EpochRecord(epoch, lossSum / seen, lastLr, (System.nanoTime() - started) / 1e9, metrics);
            history = history.plus(record);
            guard.epochEnded(record.trainLoss());
            stop = run.endEpoch(record, history);
            listeners.forEach(l -> l.onEpochEnd(record));
        }
        final History finished = history;
        listeners.forEach(l -> l.onFitEnd(finished));
        return history;
    }

    private record StepResult(double loss, int correct) {}

    private StepResult step(
            Epoch work, NDManager manager, int[] idx, int epoch, int step, double learningRate, Path lastCheckpoint) {
        try (NDManager sm = manager.newSubManager();
                NDScope scope = new NDScope()) {
            Batch batch = work.batch().make(sm, idx);
            NDList output;
            double lossValue;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                output = forward(work, sm, batch.inputs(), epoch, step, idx);
                NDArray loss = objective.loss(output, batch.targets());
                lossValue = loss.getFloat();
                guard.checkStep(epoch, step, lossValue, learningRate, lastCheckpoint);
                gc.backward(loss);
            }
            List<Updater.Target> targets = new ArrayList<>();
            List<NDArray> grads = new ArrayList<>();
            for (Trainable t : work.trainable()) {
                NDArray w = t.parameter().getArray();
                targets.add(new Updater.Target(t.name(), w, (float) (learningRate * t.multiplier())));
                grads.add(w.getGradient());
            }
            if (settings.clipNorm() > 0) {
                double norm = Updater.clipByGlobalNorm(grads, settings.clipNorm());
                guard.checkGradientNorm(epoch, step, norm, learningRate, lastCheckpoint);
            }
            updater.step(targets, grads);
            grads.forEach(g -> g.subi(g));
            return new StepResult(lossValue, objective.correct(output, batch.targets()));
        }
    }

    /**
     * Stops the run when an epoch's updates left a weight NaN or infinite, before it is validated or
     * checkpointed: a non-finite gradient under a finite loss (which {@link DivergenceGuard#checkStep} cannot see)
     * would otherwise pass silently into the model when it comes from the epoch's last step.
     */
    private void requireFiniteWeights(Epoch work, int epoch, int step, double learningRate, Path lastCheckpoint) {
        for (Trainable t : work.trainable()) {
            NDArray w = t.parameter().getArray();
            boolean finite;
            try (NDScope scope = new NDScope()) {
                finite = !w.isNaN().logicalOr(w.isInfinite()).any().getBoolean();
            }
            if (!finite) {
                throw new TrainingDivergedException(
                        epoch,
                        step,
                        "weight " + t.name() + " holds NaN or infinite values after the epoch's updates although"
                                + " every loss was finite",
                        learningRate,
                        lastCheckpoint);
            }
        }
    }

    /** One step of a {@link JavaLinearHead}: the engine step's sequence, the arithmetic in Java. */
    private StepResult javaStep(
            JavaLinearHead head, int[] idx, int epoch, int step, double learningRate, Path lastCheckpoint) {
        double loss = head.forwardBackward(idx);
        guard.checkStep(epoch, step, loss, learningRate, lastCheckpoint);
        if (settings.clipNorm() > 0) {
            double norm = head.clipGradients(settings.clipNorm());
            guard.checkGradientNorm(epoch, step, norm, learningRate, lastCheckpoint);
        }
        head.update(learningRate);
        return new StepResult(loss, head.correct());
    }

    /** The forward pass of one step, with an engine failure explained in terms of the run. */
    private NDList forward(Epoch work, NDManager sm, NDList inputs, int epoch, int step, int[] idx) {
        try {
            return work.forward().run(sm, inputs);
        } catch (EngineException e) {
            String hint = String.valueOf(e.getMessage()).contains("more than 1 value per channel")
                    ? " BatchNorm needs at least two examples per batch in training: raise batchSize (now "
                            + settings.batchSize() + ") or freeze the BatchNorm layers."
                    : "";
            throw new IllegalStateException(
                    "The training step at epoch " + epoch + ", step " + step + " failed on" + " examples "
                            + Arrays.toString(idx) + " (batch of " + idx.length + "): " + e.getMessage() + hint,
                    e);
        }
    }
}
