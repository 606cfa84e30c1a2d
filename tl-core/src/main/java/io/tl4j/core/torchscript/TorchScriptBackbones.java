package io.tl4j.core.torchscript;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.tl4j.core.Architecture;
import io.tl4j.core.Backbone;
import io.tl4j.core.Components;
import io.tl4j.core.InputPipeline;
import io.tl4j.core.Provenance;
import io.tl4j.core.TransferModel;
import io.tl4j.core.persist.AtomicFiles;
import io.tl4j.core.weights.WeightFileException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.Map;

/**
 * Backbones from TorchScript files ({@code torch.jit.save} output, DJL model-zoo models), loaded
 * through DJL's engine-agnostic {@link Model} API with the PyTorch engine.
 *
 * <pre>{@code
 * Backbone<float[]> backbone = TorchScriptBackbones.load(Path.of("resnet18_features.pt"),
 *         TensorPipeline.of(new Shape(3, 224, 224)), "BSD-3-Clause");
 * backbone.layers();   // [conv1, bn1, layer1, layer2, layer3, layer4]: first segments of parameter names
 * TransferModel<float[]> model = TransferLearner.from(backbone).freezeUntil("layer4").fit(data);
 * }</pre>
 *
 * <p>The file must hold the network <em>below</em> its old head: its {@code forward} takes the
 * pipeline's batch and returns the features. Its parameters load trainable ({@code trainParam=true});
 * tl4j freezes them by layer name. The module's parameter names are its layer vocabulary: the
 * {@link Backbone#layers() layers} are the first segments of those names, in parameter order.
 *
 * <p><b>BatchNorm.</b> A TorchScript module cannot be split into stages, so it runs as one: while
 * any of its layers is frozen the whole module runs its forward in inference mode. BatchNorm
 * statistics of TorchScript backbones stay fixed while any layer is frozen; they update only under
 * {@code unfreezeAll()}. Script the module ({@code torch.jit.script}) rather than tracing it: a traced
 * module keeps the BatchNorm branch (batch or running statistics) it was traced with.
 *
 * <p><b>Saving.</b> The weights a {@link TransferModel} saves are parameters; a TorchScript module's
 * BatchNorm running statistics are buffers, which DJL does not expose, so {@link TransferModel#save}
 * also writes the whole trained module ({@link #saveModule}) as {@code backbone.pt} in the model
 * directory, with its sha256, and loading rebuilds the module from there.
 *
 * <p><b>Model zoo.</b> A zoo classifier's {@code forward} still ends in its old head (ResNet's
 * 1000 ImageNet logits become the features), and its modules are typically traced ({@code
 * traced_resnet18}), so their BatchNorm stays in the mode it was traced in.
 *
 * <p><b>Memory.</b> Every block an architecture of this class builds is a freshly loaded module whose
 * native memory belongs to the {@link NDManager} passed to {@link Architecture#newBlock}: closing
 * that manager frees it.
 */
public final class TorchScriptBackbones {

    /** The architecture id under which saved models record a TorchScript backbone. */
    public static final String ID = "tl4j.torchscript";

    /** The key of {@link Config#path()} in a saved model's {@code architectureConfig}. */
    public static final String PATH = "path";

    /**
     * The configuration of a TorchScript architecture.
     *
     * @param path the TorchScript file: an absolute path in a backbone's configuration; in a saved
     *     model's {@code model.json}, the module's name relative to the model directory ({@code
     *     backbone.pt}), which {@link TransferModel#load(Path)} resolves there, refusing any name that
     *     leads outside
     */
    public record Config(String path) {}

    private TorchScriptBackbones() {}

    /**
     * Registers {@link #ID} in {@link Components}, so that {@link Components#architecture} rebuilds
     * a TorchScript architecture from its configuration. ({@link TransferModel#load(Path)} needs no
     * registration: it always takes a saved model's module from the model directory.)
     */
    public static void register() {
        Components.registerArchitecture(ID, Config.class, TorchScriptBackbones::fromConfig);
    }

    /**
     * Rebuilds the architecture from its {@link Architecture#config() configuration}.
     *
     * @param config names the TorchScript file
     * @return the architecture
     * @throws IllegalArgumentException when the path is missing
     */
    public static Architecture fromConfig(Config config) {
        String path = config.path();
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("A " + ID + " architecture needs '" + PATH + "', got " + config);
        }
        return architecture(Path.of(path));
    }

    /**
     * An architecture whose every block is the TorchScript module in {@code ptFile}, loaded anew
     * with its parameters set and trainable. The file is read when a block is built, not now.
     *
     * @param ptFile a TorchScript file
     * @return the architecture, with id {@value #ID} and a {@link Config} holding the file's absolute path
     */
    public static Architecture architecture(Path ptFile) {
        Path file = ptFile.toAbsolutePath().normalize();
        return new Architecture() {
            @Override
            public Block newBlock(NDManager manager) {
                return TorchScriptBlock.load(file, manager);
            }

            @Override
            public String id() {
                return ID;
            }

            @Override
            public Config config() {
                return new Config(file.toString());
            }

            @Override
            public String toString() {
                return ID + "[" + file + "]";
            }
        };
    }

    /**
     * A backbone from a local TorchScript file.
     *
     * @param ptFile the TorchScript file: the network below its old head
     * @param pipeline turns raw inputs into the module's input batch
     * @param licence the weights' licence, recorded in the provenance
     * @param <I> the raw input type
     * @return the backbone; its provenance holds the file's path and sha256 and the licence
     * @throws WeightFileException when the file is missing or is not a loadable TorchScript module
     * @throws IllegalArgumentException when the module fails on a batch of the pipeline's shape
     */
    public static <I> Backbone<I> load(Path ptFile, InputPipeline<I> pipeline, String licence) {
        Path file = ptFile.toAbsolutePath().normalize();
        TorchScriptFiles.checkReadable(file);
        Backbone<I> backbone = Backbone.<I>builder()
                .setArchitecture(architecture(file))
                .setPipeline(pipeline)
                .optProvenance(Provenance.ofFile(file, licence, "TorchScript"))
                .build();
        try {
            backbone.layers(); // loads and runs the module once: a bad file fails here, not in fit
        } catch (WeightFileException e) {
            backbone.close();
            throw e;
        } catch (RuntimeException e) {
            backbone.close();
            throw new IllegalArgumentException(
                    "The TorchScript module " + file + " fails on a batch of the " + "pipeline's sample shape "
                            + pipeline.sampleShape() + ": " + e.getMessage(),
                    e);
        }
        return backbone;
    }

    /**
     * A backbone from a TorchScript file at a URL, downloaded into {@code cacheDir} (atomically,
     * with mode 0644: see {@link AtomicFiles}) unless it is there already. This is the only method here
     * that touches the network, and only for non-file URLs.
     *
     * @param url where the TorchScript file is ({@code https:}, {@code file:}, ...)
     * @param cacheDir where to keep the downloaded file, created when missing
     * @param pipeline turns raw inputs into the module's input batch
     * @param licence the weights' licence, recorded in the provenance
     * @param <I> the raw input type
     * @return the backbone; its provenance holds the URL, the file's sha256 and the licence
     * @throws UncheckedIOException when the download fails
     * @throws WeightFileException when the file is not a loadable TorchScript module
     */
    public static <I> Backbone<I> load(URL url, Path cacheDir, InputPipeline<I> pipeline, String licence) {
        Path file = TorchScriptFiles.download(url, cacheDir);
        try (Backbone<I> local = load(file, pipeline, licence)) {
            Provenance p = local.provenance();
            return local.withProvenance(
                    new Provenance(url.toString(), p.sha256(), p.licence(), "TorchScript, cached at " + file));
        }
    }

    /**
     * A backbone from DJL's model zoo: resolves the artifact with {@link Criteria} (which downloads
     * it into DJL's cache when missing), then loads its {@code .pt} file with {@link #load(Path,
     * InputPipeline, String)}.
     *
     * @param artifactId the zoo artifact, e.g. {@code "ai.djl.pytorch:resnet"}
     * @param filters the zoo filters choosing one model, e.g. {@code {"layers": "18"}}
     * @param pipeline turns raw inputs into the module's input batch
     * @param <I> the raw input type
     * @return the backbone; its provenance names the artifact and filters
     * @throws IllegalArgumentException when the zoo has no such model or it holds no single {@code .pt}
     */
    public static <I> Backbone<I> fromModelZoo(
            String artifactId, Map<String, String> filters, InputPipeline<I> pipeline) {
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine(PyTorchCalls.ENGINE)
                .optArtifactId(artifactId)
                .optFilters(filters)
                .optOption("trainParam", "true")
                .build();
        Path file;
        try (ZooModel<NDList, NDList> zoo = criteria.loadModel()) {
            file = TorchScriptFiles.findInZooModel(zoo.getModelPath(), zoo.getName());
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new IllegalArgumentException(
                    "Cannot load " + artifactId + " " + filters + " from DJL's model zoo: " + e.getMessage(), e);
        }
        try (Backbone<I> local = load(file, pipeline, "see DJL model zoo")) {
            Provenance p = local.provenance();
            return local.withProvenance(new Provenance(
                    "djl://" + artifactId + " " + filters, p.sha256(), p.licence(), "TorchScript, cached at " + file));
        }
    }

    /**
     * Tells whether a block was built by an architecture of this class.
     *
     * @param block a block
     * @return true for a TorchScript backbone's block
     */
    public static boolean isTorchScript(Block block) {
        return block instanceof TorchScriptBlock;
    }

    /**
     * Writes a TorchScript backbone's block as a TorchScript file, atomically and with mode 0644
     * (see {@link AtomicFiles}): its current
     * parameters <em>and</em> buffers, so BatchNorm running statistics updated by training are kept
     * (a {@link io.tl4j.core.weights.StateDict} holds parameters only). {@link #architecture(Path)}
     * loads the file again.
     *
     * @param block a block built by {@link #architecture(Path)} (see {@link #isTorchScript})
     * @param file the file to write
     * @throws IllegalArgumentException when the block is not a TorchScript block
     * @throws WeightFileException when the file cannot be written
     */
    public static void saveModule(Block block, Path file) {
        if (!(block instanceof TorchScriptBlock ts)) {
            throw new IllegalArgumentException(
                    "Not a TorchScript backbone's block: " + block.getClass().getName());
        }
        Path target = file.toAbsolutePath();
        try {
            AtomicFiles.createDirectories(target.getParent());
            AtomicFiles.write(target, channel -> {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
                ts.writeTo(out);
                out.flush(); // not closed: AtomicFiles forces and closes the channel
            });
        } catch (IOException e) {
            throw new WeightFileException(target, null, "cannot write the TorchScript module: " + e, e);
        }
    }
}
