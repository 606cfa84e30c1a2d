package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tl4j.core.metrics.History;
import io.tl4j.core.monitor.ReferenceProfile;
import io.tl4j.core.persist.ModelDescriptor;
import io.tl4j.core.persist.ModelDirectory;
import io.tl4j.core.persist.ModelFiles;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.StateDict;
import io.tl4j.core.weights.WeightMismatchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Rebuilds a {@link TransferModel} from a directory {@link TransferModel#save} wrote: reads and checks
 * {@code model.json}, verifies every file against its recorded sha256, rebuilds the architecture,
 * pipeline and head it names (or takes the caller's), and loads the weights, refusing non-finite ones.
 */
final class ModelLoader {

    private ModelLoader() {}

    /**
     * Loads a saved model; see {@link TransferModel#load(Path, Backbone, Head, LoadOptions)}.
     *
     * @param directory the directory {@link TransferModel#save} wrote
     * @param backbone supplies architecture and pipeline, or null to take them from {@link Components}
     * @param head the head, or null to rebuild it from the descriptor
     * @param options how to treat files modified since saving
     * @param <I> the raw input type
     * @return the model
     */
    @SuppressWarnings("unchecked")
    static <I> TransferModel<I> load(Path directory, Backbone<I> backbone, Head head, LoadOptions options) {
        ModelDescriptor d = ModelDescriptor.read(directory);
        ModelDirectory files = new ModelDirectory(directory, d.fields().file());
        Path weights = ModelFiles.verify(
                d,
                files,
                options.trustsModifiedFiles(),
                LoadOptions.trustingModifiedFiles().toString());
        Architecture architecture = SavedComponents.architecture(d, files, backbone);
        InputPipeline<I> pipeline =
                backbone != null ? backbone.pipeline() : (InputPipeline<I>) SavedComponents.pipeline(d);
        Head headSpec = head != null ? head : SavedComponents.head(d);
        History history = d.history();
        int[] adapter = d.adapter();
        NDManager manager = NDManager.newBaseManager(options.device());
        try (Backbone<I> spec = Backbone.<I>builder()
                .setArchitecture(architecture)
                .setPipeline(pipeline)
                .optProvenance(d.provenance())
                .build()) {
            Network net = Network.build(spec, adapter, headSpec, d.classes().size(), manager, 0);
            Map<String, NDArray> tensors = SafeTensors.read(weights, manager);
            ModelFiles.requireFinite(weights, tensors);
            try {
                StateDict.load(net.root, tensors);
            } catch (WeightMismatchException e) {
                throw e.inFile(weights);
            } finally {
                // copied into the parameters: kept open, the file's values stayed in memory beside them for
                // the model's life (100 MiB for a ResNet-50)
                tensors.values().forEach(NDArray::close);
            }
            return new TransferModel<>(
                    manager,
                    net,
                    spec,
                    headSpec,
                    adapter,
                    d.classes(),
                    history,
                    TrainingConfigJson.read(d, headSpec),
                    profile(
                            files.resolve(null, ReferenceProfile.FILE_NAME),
                            d.classes().size()));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Reads the directory's reference profile, if it has one, and checks that it profiles as many classes. */
    private static ReferenceProfile profile(Path file, int classes) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        ReferenceProfile profile = ReferenceProfile.load(file);
        if (profile.classes() != classes) {
            throw new IllegalArgumentException(
                    file + " profiles " + profile.classes() + " classes, but the model has " + classes);
        }
        return profile;
    }
}
