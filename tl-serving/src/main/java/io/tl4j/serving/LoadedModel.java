package io.tl4j.serving;

import io.tl4j.core.TransferModel;
import io.tl4j.core.monitor.DriftMonitor;
import io.tl4j.core.monitor.ReferenceProfile;
import java.nio.file.Path;

/**
 * Holds one loaded model version: the model, the directory it came from, its version number and, when the directory
 * holds a reference profile ({@value ReferenceProfile#FILE_NAME}), the drift monitor that watches its predictions
 * (and the features its head reads, where the profile has them).
 *
 * @param model the loaded model, typed by what the server hands it (float arrays or strings)
 * @param directory the directory it was loaded from
 * @param version the version number, 1 for the first load of a name and one more for every reload or rollback
 * @param drift the version's drift monitor, or null when the directory has no profile
 */
record LoadedModel(TransferModel<Object> model, Path directory, int version, DriftMonitor drift) {

    /**
     * Loads a saved model directory, watched over the latest {@code driftWindow} predictions when it holds a profile;
     * a model.json naming an unregistered component is refused by tl-core.
     */
    static LoadedModel load(Path directory, int version, int driftWindow) {
        TransferModel<Object> model = TransferModel.load(directory);
        DriftMonitor drift = model.referenceProfile()
                .map(profile -> new DriftMonitor(
                        profile,
                        driftWindow,
                        Math.min(DriftMonitor.DEFAULT_EVALUATE_EVERY, driftWindow),
                        DriftMonitor.DEFAULT_PSI_THRESHOLD,
                        DriftMonitor.DEFAULT_FEATURE_THRESHOLD))
                .orElse(null);
        return new LoadedModel(model, directory, version, drift);
    }

    /** Returns the version as the API shows it, for example {@code "3"}. */
    String versionName() {
        return Integer.toString(version);
    }
}
