package io.tl4j.core;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractSymbolBlock;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SymbolBlock;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.tl4j.core.persist.AtomicFiles;
import io.tl4j.core.weights.ParameterNames;
import io.tl4j.core.weights.WeightFileException;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    /**
     * The architecture configuration key holding the TorchScript file: an absolute path in a
     * backbone's configuration; in a saved model's {@code model.json}, the module's name relative
     * to the model directory ({@code backbone.pt}), which {@link TransferModel#load(Path)} resolves
     * there, refusing any name that leads outside.
     */
    public static final String PATH = "path";

    private static final String ENGINE = "PyTorch";

    private TorchScriptBackbones() {}

    /**
     * Registers {@link #ID} in {@link Components}, so that {@link Components#architecture} rebuilds
     * a TorchScript architecture from its configuration. ({@link TransferModel#load(Path)} needs no
     * registration: it always takes a saved model's module from the model directory.)
     */
    public static void register() {
        Components.registerArchitecture(ID, TorchScriptBackbones::fromConfig);
    }

    /**
     * Rebuilds the architecture from its {@link Architecture#config() configuration}.
     *
     * @param config holds {@value #PATH}: the TorchScript file
     * @return the architecture
     * @throws IllegalArgumentException when the path is missing
     */
    public static Architecture fromConfig(Map<String, String> config) {
        String path = config.get(PATH);
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
     * @return the architecture, with id {@value #ID} and configuration {@code {path: absolute path}}
     */
    public static Architecture architecture(Path ptFile) {
        Path file = ptFile.toAbsolutePath().normalize();
        return new Architecture() {
            @Override
            public Block newBlock(NDManager manager) {
                return loadModule(file, manager);
            }

            @Override
            public String id() {
                return ID;
            }

            @Override
            public Map<String, String> config() {
                return Map.of(PATH, file.toString());
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
        checkReadable(file);
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
            throw new IllegalArgumentException("The TorchScript module " + file + " fails on a batch of the "
                    + "pipeline's sample shape " + pipeline.sampleShape() + ": " + e.getMessage(), e);
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
        Path file = download(url, cacheDir);
        try (Backbone<I> local = load(file, pipeline, licence)) {
            Provenance p = local.provenance();
            return local.withProvenance(new Provenance(url.toString(), p.sha256(), p.licence(),
                    "TorchScript, cached at " + file));
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
    public static <I> Backbone<I> fromModelZoo(String artifactId, Map<String, String> filters,
            InputPipeline<I> pipeline) {
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optEngine(ENGINE).optArtifactId(artifactId).optFilters(filters)
                .optOption("trainParam", "true").build();
        Path file;
        try (ZooModel<NDList, NDList> zoo = criteria.loadModel()) {
            file = findPt(zoo.getModelPath(), zoo.getName());
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new IllegalArgumentException("Cannot load " + artifactId + " " + filters
                    + " from DJL's model zoo: " + e.getMessage(), e);
        }
        try (Backbone<I> local = load(file, pipeline, "see DJL model zoo")) {
            Provenance p = local.provenance();
            return local.withProvenance(new Provenance("djl://" + artifactId + " " + filters, p.sha256(),
                    p.licence(), "TorchScript, cached at " + file));
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
            throw new IllegalArgumentException("Not a TorchScript backbone's block: " + block.getClass().getName());
        }
        Path target = file.toAbsolutePath();
        try {
            AtomicFiles.createDirectories(target.getParent());
            AtomicFiles.write(target, channel -> {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
                PyTorchCalls.PYTORCH.write(ts.module, out);
                out.flush(); // not closed: AtomicFiles forces and closes the channel
            });
        } catch (IOException e) {
            throw new WeightFileException(target, null, "cannot write the TorchScript module: " + e, e);
        }
    }

    /**
     * Loads the module into a new {@link Model} that is closed with {@code manager}, and wraps its
     * block so that it behaves like any other DJL block (see {@link TorchScriptBlock}).
     */
    static Block loadModule(Path file, NDManager manager) {
        checkReadable(file);
        String name = file.getFileName().toString().replaceFirst("\\.pt$", "");
        Model model = Model.newInstance(name, Device.cpu(), ENGINE);
        try {
            model.load(file, null, Map.of("trainParam", "true"));
            TorchScriptBlock block = new TorchScriptBlock(model.getBlock());
            manager.attachInternal("tl4j-torchscript-" + UUID.randomUUID(), model);
            return block;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new WeightFileException(file, null,
                    "not a loadable TorchScript module: " + e.getMessage(), e);
        }
    }

    private static void checkReadable(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new WeightFileException(file, "no such TorchScript file");
        }
    }

    static Path download(URL url, Path cacheDir) {
        String path = url.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            name = "model.pt";
        }
        // keyed by the URL, so two URLs ending in the same file name do not share a cache entry
        String key = HexFormat.of().formatHex(sha256(url.toString())).substring(0, 12);
        Path target = cacheDir.resolve(key + "-" + name);
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            AtomicFiles.createDirectories(cacheDir);
            try (InputStream in = url.openStream()) {
                AtomicFiles.write(target, channel -> in.transferTo(Channels.newOutputStream(channel)));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot download " + url + " into " + cacheDir, e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path findPt(Path modelPath, String name) throws IOException {
        if (Files.isRegularFile(modelPath)) {
            return modelPath;
        }
        Path named = modelPath.resolve(name + ".pt");
        if (Files.isRegularFile(named)) {
            return named;
        }
        try (Stream<Path> files = Files.list(modelPath)) {
            List<Path> pts = files.filter(f -> f.toString().endsWith(".pt")).collect(Collectors.toList());
            if (pts.size() != 1) {
                throw new IllegalArgumentException("Expected one .pt file in " + modelPath + ", found " + pts);
            }
            return pts.get(0);
        }
    }

    /**
     * A loaded TorchScript module as a DJL block with the semantics tl4j's training loop expects of
     * every block: {@code training} chooses the module's mode (BatchNorm on batch statistics, updating
     * its running statistics, or on the running statistics), and autograd records whenever the
     * thread's grad mode is on (inside a gradient collector), whatever the mode. Training and inference forwards must not run at the
     * same time on one block (the mode belongs to the module); inference forwards may.
     *
     * <p>DJL's {@code PtSymbolBlock} ties the two together: its inference forward runs under an
     * inference guard (so nothing behind a frozen BatchNorm could train, and its outputs, inference
     * tensors, cannot even feed a trained head: "Inference tensors cannot be saved for backward"), and it assumes a freshly loaded module is in training mode while the engine loads it in
     * eval mode (so its first training forward would silently use running statistics). This block
     * sets the mode itself and runs the module through the PyTorch engine's public {@code JniUtils} and
     * {@code IValueUtils}, reached by reflection because tl-core compiles against DJL's API only.
     * Parameters are the module's own, under its parameter names.
     */
    private static final class TorchScriptBlock extends AbstractSymbolBlock {

        private static final PyTorchCalls PYTORCH = PyTorchCalls.PYTORCH;

        private final Block module;
        private boolean training;

        TorchScriptBlock(Block module) {
            this.module = Objects.requireNonNull(module, "module");
            PYTORCH.setMode(module, false); // a known mode, whatever the engine and the file left
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            synchronized (this) {
                if (this.training != training) {
                    PYTORCH.setMode(module, training);
                    this.training = training;
                }
            }
            // never under the engine's inference guard: autograd follows the thread's grad mode (on
            // inside a gradient collector) as for every other block, so an eval-mode forward still
            // trains the layers after a frozen BatchNorm, and its outputs, which may be computed
            // outside the collector, are ordinary tensors that a trained head can use
            return PYTORCH.forward(module, inputs, true);
        }

        @Override
        public ParameterList getDirectParameters() {
            return module.getDirectParameters();
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            try (NDManager scratch = NDManager.newBaseManager(ENGINE)) {
                NDList x = new NDList();
                for (Shape shape : inputShapes) {
                    x.add(scratch.ones(shape));
                }
                return forwardInternal(new ParameterStore(scratch, false), x, false, null).getShapes();
            }
        }

        @Override
        public PairList<String, Shape> describeOutput() {
            return ((SymbolBlock) module).describeOutput();
        }

        /** Unsupported: use {@link TorchScriptBackbones#saveModule}, which keeps buffers too. */
        @Override
        public void saveParameters(DataOutputStream os) {
            throw new UnsupportedOperationException(
                    "Save a TorchScript block with TorchScriptBackbones.saveModule(block, file)");
        }

        /**
         * Unsupported: DJL's PtSymbolBlock would swap its module but keep the old parameters; load
         * the saved file with {@link TorchScriptBackbones#architecture(Path)} instead.
         */
        @Override
        public void loadParameters(NDManager manager, DataInputStream is) {
            throw new UnsupportedOperationException(
                    "Load a saved TorchScript module with TorchScriptBackbones.architecture(file)");
        }

        @Override
        public String toString() {
            return "TorchScriptBlock" + ParameterNames.of(module).keySet();
        }
    }

    /** The few PyTorch-engine calls the block needs, bound once by reflection. */
    private static final class PyTorchCalls {

        static final PyTorchCalls PYTORCH = new PyTorchCalls();

        private final MethodHandle train;
        private final MethodHandle eval;
        private final MethodHandle forward;
        private final MethodHandle setGraphOptimize;
        private final MethodHandle write;
        private final IllegalStateException missing;

        private PyTorchCalls() {
            MethodHandle[] handles = new MethodHandle[5];
            IllegalStateException problem = null;
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> block = Class.forName("ai.djl.pytorch.engine.PtSymbolBlock");
                Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
                Class<?> ivalues = Class.forName("ai.djl.pytorch.jni.IValueUtils");
                handles[0] = lookup.findStatic(jni, "enableTrainingMode", MethodType.methodType(void.class, block));
                handles[1] = lookup.findStatic(jni, "enableInferenceMode", MethodType.methodType(void.class, block));
                handles[2] = lookup.findStatic(ivalues, "forward",
                        MethodType.methodType(NDList.class, block, NDList.class, boolean.class));
                handles[3] = lookup.findStatic(jni, "setGraphExecutorOptimize",
                        MethodType.methodType(void.class, boolean.class));
                handles[4] = lookup.findStatic(jni, "writeModule",
                        MethodType.methodType(void.class, block, OutputStream.class, boolean.class));
            } catch (ReflectiveOperationException | LinkageError e) {
                problem = new IllegalStateException("TorchScript backbones need DJL's PyTorch engine "
                        + "(ai.djl.pytorch:pytorch-engine with its natives) on the class path: " + e, e);
            }
            train = handles[0];
            eval = handles[1];
            forward = handles[2];
            setGraphOptimize = handles[3];
            write = handles[4];
            missing = problem;
        }

        void setMode(Block module, boolean training) {
            invoke(training ? train : eval, module);
        }

        NDList forward(Block module, NDList inputs, boolean unguarded) {
            String optimize = System.getProperty("ai.djl.pytorch.graph_optimizer");
            if (optimize != null) {
                // as PtSymbolBlock does: the graph executor's optimizer setting is per thread
                invoke(setGraphOptimize, Boolean.parseBoolean(optimize));
            }
            return (NDList) invoke(forward, module, inputs, unguarded);
        }

        void write(Block module, OutputStream out) {
            invoke(write, module, out, false);
        }

        private Object invoke(MethodHandle handle, Object... args) {
            if (missing != null) {
                throw missing;
            }
            try {
                return handle.invokeWithArguments(args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
