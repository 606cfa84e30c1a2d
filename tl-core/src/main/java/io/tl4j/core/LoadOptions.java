package io.tl4j.core;

import ai.djl.Device;
import io.tl4j.core.persist.ModelFileModifiedException;
import java.nio.file.Path;

/**
 * How {@link TransferModel#load(Path, LoadOptions)} treats a model directory whose files no
 * longer have the sha256 recorded in its {@code model.json}, and on which device it puts the model.
 */
public final class LoadOptions {

    private static final LoadOptions VERIFIED = new LoadOptions(false, null);
    private static final LoadOptions TRUSTING = new LoadOptions(true, null);

    private final boolean trustModifiedFiles;
    private final Device device;

    private LoadOptions(boolean trustModifiedFiles, Device device) {
        this.trustModifiedFiles = trustModifiedFiles;
        this.device = device;
    }

    /**
     * The default: a file whose sha256 differs from the recorded one is refused with a {@link
     * ModelFileModifiedException} naming it and both hashes.
     *
     * @return the options
     */
    public static LoadOptions verified() {
        return VERIFIED;
    }

    /**
     * Loads files whose sha256 differs from the recorded one, logging a warning for each: for
     * weights deliberately edited or replaced after saving. Paths must still stay inside the
     * directory, and weights must still be finite.
     *
     * @return the options
     */
    public static LoadOptions trustingModifiedFiles() {
        return TRUSTING;
    }

    /**
     * Returns these options loading the model onto a device, e.g. {@code Device.cpu()} for a model trained on a GPU.
     *
     * @param device the device
     * @return the options
     * @throws IllegalArgumentException naming the device and what the engine found, when the engine has no such GPU
     */
    public LoadOptions onDevice(Device device) {
        return new LoadOptions(trustModifiedFiles, Devices.require(device));
    }

    /** Returns the device the model is loaded onto, or null for the engine's default. */
    public Device device() {
        return device;
    }

    /** Tells whether files whose sha256 differs from the recorded one are loaded. */
    public boolean trustsModifiedFiles() {
        return trustModifiedFiles;
    }

    @Override
    public String toString() {
        return (trustModifiedFiles ? "LoadOptions.trustingModifiedFiles()" : "LoadOptions.verified()")
                + (device == null ? "" : ".onDevice(" + device + ")");
    }
}
