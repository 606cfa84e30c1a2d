package io.tl4j.core;

import io.tl4j.core.persist.ModelFileModifiedException;
import java.nio.file.Path;

/**
 * How {@link TransferModel#load(Path, LoadOptions)} treats a model directory whose files no
 * longer have the sha256 recorded in its {@code model.json}.
 */
public final class LoadOptions {

    private static final LoadOptions VERIFIED = new LoadOptions(false);
    private static final LoadOptions TRUSTING = new LoadOptions(true);

    private final boolean trustModifiedFiles;

    private LoadOptions(boolean trustModifiedFiles) {
        this.trustModifiedFiles = trustModifiedFiles;
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

    /** Tells whether files whose sha256 differs from the recorded one are loaded. */
    public boolean trustsModifiedFiles() {
        return trustModifiedFiles;
    }

    @Override
    public String toString() {
        return trustModifiedFiles ? "LoadOptions.trustingModifiedFiles()" : "LoadOptions.verified()";
    }
}
