package io.tl4j.core;

import io.tl4j.core.monitor.ReferenceProfile;
import io.tl4j.core.persist.AtomicFiles;
import io.tl4j.core.persist.ModelDescriptor;
import io.tl4j.core.torchscript.TorchScriptBackbones;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.StateDict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link TransferModel} to a directory, the counterpart of {@link ModelLoader}: {@code
 * weights.safetensors}, {@code backbone.pt} for a TorchScript backbone, and the {@code model.json}
 * descriptor recording the sha256 of each, every file atomically and the descriptor last, and the
 * model's reference profile for drift monitoring ({@code profile.json}), when it carries one.
 */
final class ModelSaver {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSaver.class);

    private ModelSaver() {}

    /**
     * Saves a model; see {@link TransferModel#save(Path)}.
     *
     * @param model the model
     * @param directory the directory, created when missing
     */
    static void save(TransferModel<?> model, Path directory) {
        try {
            AtomicFiles.createDirectories(directory);
            AtomicFiles.pruneTemporaries(directory);
            Map<String, String> files = new TreeMap<>();
            Record architectureConfig = model.architecture().config();
            if (TorchScriptBackbones.isTorchScript(model.network().backbone)) {
                Path module = directory.resolve(ModelDescriptor.TORCHSCRIPT_MODULE);
                TorchScriptBackbones.saveModule(model.network().backbone, module);
                files.put(ModelDescriptor.TORCHSCRIPT_MODULE, Provenance.sha256(module));
                architectureConfig = new TorchScriptBackbones.Config(ModelDescriptor.TORCHSCRIPT_MODULE);
            }
            Path weights = directory.resolve(ModelDescriptor.WEIGHTS);
            SafeTensors.write(
                    weights,
                    StateDict.export(model.network().root),
                    Map.of(
                            "format",
                            ModelDescriptor.FORMAT,
                            "architecture",
                            model.architecture().id()));
            files.put(ModelDescriptor.WEIGHTS, Provenance.sha256(weights));
            Path profile = directory.resolve(ReferenceProfile.FILE_NAME);
            if (model.referenceProfile().isPresent()) {
                model.referenceProfile().get().save(profile);
            } else if (Files.exists(profile)) {
                LOG.warn(
                        "{} is left as it was: this model carries no reference profile, so drift monitoring compares "
                                + "with that file",
                        profile);
            }
            ModelDescriptor.write(
                    directory,
                    new ModelDescriptor.Contents(
                            model.classNames(),
                            model.architecture().id(),
                            architectureConfig,
                            model.pipeline().id(),
                            model.pipeline().config(),
                            model.head().config(),
                            model.adapterUnits(),
                            model.provenance(),
                            files,
                            model.history(),
                            model.trainingConfig()
                                    .map(TrainingConfigJson::toJson)
                                    .orElse(null)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the model to " + directory, e);
        }
    }
}
