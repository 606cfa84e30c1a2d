package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.persist.ModelFormatException;
import io.tl4j.core.train.Checkpoints;
import io.tl4j.core.train.RunFingerprint;
import io.tl4j.core.train.Updater;
import io.tl4j.core.weights.StateDict;
import io.tl4j.core.weights.WeightMismatchException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a training run after each epoch (network weights, optimizer state, the best epoch's weights
 * and the run's state) and restores it on resume, after checking that the resumed run is the same:
 * settings, data, starting weights and classes.
 */
final class RunCheckpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TransferLearner.class);
    private static final Gson GSON =
            new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final Checkpoints checkpoints;
    private final Supplier<String> fingerprint;
    private final List<String> classNames;

    /**
     * Creates the run's checkpoints.
     *
     * @param directory where checkpoints are written
     * @param fingerprint computes what a resumed run must share (only called when writing or resuming)
     * @param classNames the model's classes
     */
    RunCheckpoint(Path directory, Supplier<String> fingerprint, List<String> classNames) {
        this.checkpoints = new Checkpoints(directory);
        this.fingerprint = fingerprint;
        this.classNames = classNames;
    }

    /**
     * Returns what a resumed run must share with the run that wrote the checkpoint, as JSON: the whole
     * training configuration, fingerprints of the training (and replay) pool and the validation data,
     * and the backbone's starting weights.
     *
     * @param config the run's configuration
     * @param backbone the backbone
     * @param pool the training examples, replay examples after them
     * @param validation the validation examples, or null
     * @param adaptation the domain adaptation of the run ({@code DomainAdaptation}'s text), or null for none
     * @return the fingerprint
     */
    static String fingerprint(
            TrainingConfig config,
            Backbone<?> backbone,
            LabeledData<?> pool,
            LabeledData<?> validation,
            String adaptation) {
        JsonObject json = new JsonObject();
        if (adaptation != null) {
            json.addProperty("adaptation", adaptation);
        }
        json.add("config", TrainingConfigJson.toJson(config));
        json.addProperty("data", RunFingerprint.ofData(pool));
        json.addProperty("validationData", validation == null ? "none" : RunFingerprint.ofData(validation));
        json.addProperty("architecture", backbone.architecture().id());
        json.addProperty("backbone", backbone.weightsSha256());
        return json.toString();
    }

    /**
     * Returns the newest usable checkpoint file.
     *
     * @return the file, or null when there is none
     */
    Path latestFile() {
        return checkpoints.latestFile().orElse(null);
    }

    /**
     * Writes the state after an epoch.
     *
     * @param net the network
     * @param updater the optimizer and its state
     * @param best the best epoch's weights so far (early stopping), possibly empty
     * @param auxiliary weights that train beside the network (a domain discriminator), possibly empty
     * @param state the run's state
     * @return the checkpoint file written
     */
    Path write(
            Network net, Updater updater, Map<String, NDArray> best, Map<String, NDArray> auxiliary, RunState state) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        StateDict.export(net.root).forEach((k, v) -> tensors.put("model." + k, v));
        updater.state().forEach((k, v) -> tensors.put("opt." + k, v));
        best.forEach((k, v) -> tensors.put("best." + k, v));
        auxiliary.forEach((k, v) -> tensors.put("aux." + k, v));
        state.fingerprint = fingerprint.get();
        state.classNames = classNames;
        return checkpoints.write(state.epochsDone, tensors, GSON.toJson(state));
    }

    /**
     * Restores the newest checkpoint, if any, into the network, optimizer, best weights and state.
     *
     * @param net the network
     * @param updater the optimizer
     * @param state receives the run's state
     * @param best receives the best epoch's weights
     * @param auxiliary receives the weights that train beside the network
     * @param manager owns the arrays read
     * @throws IllegalStateException when the checkpoint was written by a different run
     */
    void restore(
            Network net,
            Updater updater,
            RunState state,
            Map<String, NDArray> best,
            Map<String, NDArray> auxiliary,
            NDManager manager) {
        checkpoints.latest(manager).ifPresent(ckpt -> {
            RunState saved;
            try {
                saved = GSON.fromJson(ckpt.state(), RunState.class);
            } catch (JsonParseException | NumberFormatException e) {
                throw new ModelFormatException(
                        ckpt.file(), "state", "does not hold a readable run state (" + e.getMessage() + ")", e);
            }
            String current = fingerprint.get();
            if (!current.equals(saved.fingerprint)) {
                throw new IllegalStateException("Checkpoint " + ckpt.file() + " was written with other settings,"
                        + " data or backbone; refusing to resume. What differs (checkpoint -> this run): "
                        + RunFingerprint.differences(saved.fingerprint, current)
                        + ". Resume with the same settings, data and backbone, or start over in a new directory.");
            }
            if (!classNames.equals(saved.classNames)) {
                throw new IllegalStateException("Checkpoint " + ckpt.file() + " has classes " + saved.classNames
                        + ", the data has " + classNames);
            }
            Map<String, NDArray> model = new LinkedHashMap<>();
            Map<String, NDArray> opt = new LinkedHashMap<>();
            ckpt.tensors().forEach((k, v) -> {
                if (k.startsWith("model.")) {
                    model.put(k.substring(6), v);
                } else if (k.startsWith("opt.")) {
                    opt.put(k.substring(4), v);
                } else if (k.startsWith("best.")) {
                    best.put(k.substring(5), v);
                } else if (k.startsWith("aux.")) {
                    auxiliary.put(k.substring(4), v);
                }
            });
            try {
                StateDict.load(net.root, model);
            } catch (WeightMismatchException e) {
                throw e.inFile(ckpt.file());
            }
            updater.restore(opt, saved.updaterSteps);
            model.values().forEach(NDArray::close);
            opt.values().forEach(NDArray::close);
            state.copyFrom(saved);
            LOG.info("resumed from {} after epoch {}", ckpt.file(), saved.epochsDone);
        });
    }

    /** What a checkpoint stores besides tensors. */
    static final class RunState {
        int epochsDone;
        long updaterSteps;
        int bestEpoch;
        double bestValue = Double.NaN;
        int badEpochs;
        boolean stopped;
        String history;
        String fingerprint;
        List<String> classNames;

        void copyFrom(RunState o) {
            epochsDone = o.epochsDone;
            updaterSteps = o.updaterSteps;
            bestEpoch = o.bestEpoch;
            bestValue = o.bestValue;
            badEpochs = o.badEpochs;
            stopped = o.stopped;
            history = o.history;
        }
    }
}
