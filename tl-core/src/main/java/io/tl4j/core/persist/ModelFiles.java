package io.tl4j.core.persist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.tl4j.core.weights.WeightFileException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the files of a saved model before they are used: each file its {@link ModelDescriptor}
 * lists must still have the recorded sha256, and the weights must be finite.
 */
public final class ModelFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);

    private ModelFiles() {}

    /**
     * Checks every file the descriptor lists against its recorded sha256.
     *
     * @param d the descriptor
     * @param files the model directory
     * @param trustModified true to load a modified file with a warning instead of refusing it
     * @param trustingOptions how the caller names the options that trust modified files, for messages
     * @return the weights file
     * @throws ModelFormatException when a listed file is missing or outside the directory
     * @throws ModelFileModifiedException naming the file and both hashes when a file was modified
     *     and {@code trustModified} is false
     */
    public static Path verify(ModelDescriptor d, ModelDirectory files, boolean trustModified, String trustingOptions) {
        Map<String, String> hashes = d.files();
        if (hashes == null) {
            LOG.warn(
                    "{} records no sha256 of the model's files (saved by an earlier tl4j), so they cannot be "
                            + "verified; save the model again to record them",
                    d.fields().file());
            Path weights = files.resolve(null, ModelDescriptor.WEIGHTS);
            files.requireFile(null, weights);
            return weights;
        }
        String weightsField = ModelDescriptor.FILES + "." + ModelDescriptor.WEIGHTS;
        if (!hashes.containsKey(ModelDescriptor.WEIGHTS)) {
            throw d.fields().error(weightsField, "is missing; every saved model lists its weights with their sha256");
        }
        String remedy = "Restore the file, or load with " + trustingOptions + " if the change is intended";
        hashes.forEach((name, sha256) -> {
            String field = ModelDescriptor.FILES + "." + name;
            Path file = files.resolve(field, name);
            try {
                files.verify(field, file, sha256, remedy);
            } catch (ModelFileModifiedException e) {
                if (!trustModified) {
                    throw e;
                }
                LOG.warn("Loading a modified file, as {} allows: {}", trustingOptions, e.getMessage());
            }
        });
        return files.resolve(weightsField, ModelDescriptor.WEIGHTS);
    }

    /**
     * Refuses weights holding NaN or infinite values, naming the first such tensor.
     *
     * @param file the weights file, named in the error
     * @param tensors its tensors, by name
     * @throws WeightFileException naming the file and tensor
     */
    public static void requireFinite(Path file, Map<String, NDArray> tensors) {
        tensors.forEach((name, array) -> {
            if (!array.getDataType().isFloating()) {
                return;
            }
            try (NDScope scope = new NDScope()) {
                long bad = array.isNaN()
                        .logicalOr(array.isInfinite())
                        .countNonzero()
                        .getLong();
                if (bad > 0) {
                    throw new WeightFileException(
                            file,
                            name,
                            "holds " + bad + " NaN or infinite values of "
                                    + array.size() + "; the weights are corrupt (or were saved after training "
                                    + "diverged). Save the model again from a good state",
                            null);
                }
            }
        });
    }
}
