package io.tl4j.core;

import ai.djl.Device;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a training run takes besides its {@link TrainingConfig}: the backbone, validation and replay
 * data, where checkpoints go, and who is told about progress.
 *
 * @param backbone the pretrained network
 * @param validation data to validate on after every epoch, or null
 * @param replay the old task's data for rehearsal, or null
 * @param checkpoints the checkpoint directory, or null
 * @param resume whether to continue the run checkpointed there
 * @param progress whether to draw the console progress bar
 * @param listeners also told about every epoch and step
 * @param device the device training runs on, or null for the engine's default
 * @param <I> the raw input type
 */
record RunInputs<I>(
        Backbone<I> backbone,
        LabeledData<I> validation,
        LabeledData<I> replay,
        Path checkpoints,
        boolean resume,
        boolean progress,
        List<TrainingListener> listeners,
        Device device) {

    /** Copies the listeners. */
    RunInputs {
        listeners = List.copyOf(listeners);
    }

    /**
     * Returns the inputs of a new run on a backbone: no validation, no replay, no checkpoints, a progress bar.
     *
     * @param backbone the pretrained network
     * @param <I> the raw input type
     * @return the inputs
     */
    static <I> RunInputs<I> of(Backbone<I> backbone) {
        return new RunInputs<>(backbone, null, null, null, false, true, List.of(), null);
    }

    /** Returns a copy validating on {@code data} (null for none). */
    RunInputs<I> withValidation(LabeledData<I> data) {
        return new RunInputs<>(backbone, data, replay, checkpoints, resume, progress, listeners, device);
    }

    /** Returns a copy rehearsing on {@code data}. */
    RunInputs<I> withReplay(LabeledData<I> data) {
        return new RunInputs<>(backbone, validation, data, checkpoints, resume, progress, listeners, device);
    }

    /** Returns a copy checkpointing into {@code directory}, resuming the run there when {@code resume}. */
    RunInputs<I> withCheckpoints(Path directory, boolean resume) {
        return new RunInputs<>(backbone, validation, replay, directory, resume, progress, listeners, device);
    }

    /** Returns a copy with the progress bar on or off. */
    RunInputs<I> withProgress(boolean enabled) {
        return new RunInputs<>(backbone, validation, replay, checkpoints, resume, enabled, listeners, device);
    }

    /** Returns a copy that trains on {@code device}. */
    RunInputs<I> withDevice(Device device) {
        return new RunInputs<>(backbone, validation, replay, checkpoints, resume, progress, listeners, device);
    }

    /** Returns a copy that also tells {@code listener}. */
    RunInputs<I> withListener(TrainingListener listener) {
        List<TrainingListener> more = new ArrayList<>(listeners);
        more.add(listener);
        return new RunInputs<>(backbone, validation, replay, checkpoints, resume, progress, more, device);
    }
}
