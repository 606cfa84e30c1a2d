package io.tl4j.serving;

import io.tl4j.core.TransferModel;
import java.nio.file.Path;

/**
 * Holds one loaded model version: the model, the directory it came from and its version number.
 *
 * @param model the loaded model, typed by what the server hands it (float arrays or strings)
 * @param directory the directory it was loaded from
 * @param version the version number, 1 for the first load of a name and one more for every reload or rollback
 */
record LoadedModel(TransferModel<Object> model, Path directory, int version) {

    /** Loads a saved model directory; a model.json naming an unregistered component is refused by tl-core. */
    static LoadedModel load(Path directory, int version) {
        return new LoadedModel(TransferModel.load(directory), directory, version);
    }

    /** Returns the version as the API shows it, for example {@code "3"}. */
    String versionName() {
        return Integer.toString(version);
    }
}
