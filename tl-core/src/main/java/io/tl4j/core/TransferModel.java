package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.core.metrics.History;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.StateDict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained classifier: backbone, added layers and head, with its class names, input pipeline,
 * provenance and training history. Immutable; prediction is safe from several threads at once.
 * {@link #save} writes {@code weights.safetensors} and a {@code model.json} descriptor; {@link
 * #load} restores a model that predicts identically. Close it to free its native memory.
 *
 * @param <I> the raw input type
 */
public final class TransferModel<I> implements AutoCloseable {

    /** The descriptor's format version. */
    public static final int FORMAT_VERSION = 1;
    private static final String WEIGHTS = "weights.safetensors";
    private static final String DESCRIPTOR = "model.json";
    private static final String TORCHSCRIPT_MODULE = "backbone.pt";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final NDManager manager;
    private final Network net;
    private final Architecture architecture;
    private final InputPipeline<I> pipeline;
    private final Provenance provenance;
    private final Head head;
    private final int[] adapterUnits;
    private final List<String> classNames;
    private final History history;

    TransferModel(NDManager manager, Network net, Backbone<I> backbone, Head head, int[] adapterUnits,
            List<String> classNames, History history) {
        this.manager = manager;
        this.net = net;
        this.architecture = backbone.architecture();
        this.pipeline = backbone.pipeline();
        this.provenance = backbone.provenance();
        this.head = head;
        this.adapterUnits = adapterUnits.clone();
        this.classNames = List.copyOf(classNames);
        this.history = history;
        net.freezeAll();
    }

    /** @return the class names, in the order of the model's outputs */
    public List<String> classNames() {
        return classNames;
    }

    /** @return the per-epoch history of the run that trained it */
    public History history() {
        return history;
    }

    /** @return where the backbone's pretrained weights came from */
    public Provenance provenance() {
        return provenance;
    }

    /** @return the input pipeline */
    public InputPipeline<I> pipeline() {
        return pipeline;
    }

    /**
     * @param input one raw input
     * @return every class, most probable first
     */
    public List<Prediction> classify(I input) {
        float[] p = probabilities(List.of(input))[0];
        List<Prediction> ranked = new ArrayList<>(p.length);
        for (int c = 0; c < p.length; c++) {
            ranked.add(new Prediction(classNames.get(c), c, p[c]));
        }
        ranked.sort(Comparator.comparingDouble(Prediction::probability).reversed());
        return ranked;
    }

    /**
     * @param inputs raw inputs
     * @return per input, the probability of each class
     */
    public float[][] probabilities(List<I> inputs) {
        float[][] out = new float[inputs.size()][];
        int batch = 64;
        for (int start = 0; start < inputs.size(); start += batch) {
            List<I> chunk = inputs.subList(start, Math.min(inputs.size(), start + batch));
            try (NDManager sm = manager.newSubManager(); NDScope scope = new NDScope()) {
                NDList x = pipeline.batch(sm, chunk, false, null);
                NDArray logits = net.predictFrom(new ParameterStore(sm, false), x, 0).head();
                float[] flat = logits.softmax(1).toFloatArray();
                int n = classNames.size();
                for (int i = 0; i < chunk.size(); i++) {
                    out[start + i] = Arrays.copyOfRange(flat, i * n, (i + 1) * n);
                }
            }
        }
        return out;
    }

    /**
     * @param inputs raw inputs
     * @return per input, the index of the most probable class
     */
    public int[] predict(List<I> inputs) {
        float[][] p = probabilities(inputs);
        int[] predicted = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            predicted[i] = best;
        }
        return predicted;
    }

    /**
     * @param data labelled data whose class names are among the model's (matched by name)
     * @return accuracy, macro-F1, per-class precision and recall, confusion matrix
     */
    public ClassificationReport evaluate(LabeledData<I> data) {
        LabeledData<I> mapped = FitRun.relabel(data, classNames);
        return ClassificationReport.of(mapped.labels(), predict(mapped.inputs()), classNames);
    }

    /**
     * The trained backbone, for transferring again (pretrain, then transfer) or inspecting.
     *
     * @return a new backbone carrying the trained weights; close it when done
     */
    public Backbone<I> backbone() {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        String prefix = Network.BACKBONE + ".";
        StateDict.export(net.root).forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                weights.put(k.substring(prefix.length()), v);
            }
        });
        return Backbone.<I>builder().setArchitecture(trainedArchitecture()).setPipeline(pipeline)
                .optWeights(weights).optProvenance(provenance).build();
    }

    /**
     * The architecture that rebuilds the trained backbone. A TorchScript module's buffers (BatchNorm
     * statistics) are not parameters, so the trained module itself is written to a temporary file
     * and rebuilt from there.
     */
    private Architecture trainedArchitecture() {
        if (!TorchScriptBackbones.isTorchScript(net.backbone)) {
            return architecture;
        }
        try {
            Path file = Files.createTempFile("tl4j-backbone", ".pt");
            file.toFile().deleteOnExit();
            TorchScriptBackbones.saveModule(net.backbone, file);
            return TorchScriptBackbones.architecture(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the trained TorchScript backbone", e);
        }
    }

    /**
     * Writes the model to a directory: {@code weights.safetensors} and {@code model.json}, each
     * atomically, the descriptor last.
     *
     * @param directory the directory, created when missing
     */
    public void save(Path directory) {
        try {
            Files.createDirectories(directory);
            if (TorchScriptBackbones.isTorchScript(net.backbone)) {
                TorchScriptBackbones.saveModule(net.backbone, directory.resolve(TORCHSCRIPT_MODULE));
            }
            SafeTensors.write(directory.resolve(WEIGHTS), StateDict.export(net.root),
                    Map.of("format", "tl4j-model", "architecture", architecture.id()));
            Descriptor d = new Descriptor();
            d.format = "tl4j-model";
            d.version = FORMAT_VERSION;
            d.classes = classNames;
            d.architecture = architecture.id();
            d.architectureConfig = architecture.config();
            d.pipeline = pipeline.id();
            d.pipelineConfig = pipeline.config();
            d.head = head.config();
            d.adapter = adapterUnits;
            d.provenance = provenance;
            d.created = Instant.now().toString();
            d.history = GSON.fromJson(history.toJson(), Object.class);
            Path tmp = Files.createTempFile(directory, DESCRIPTOR, ".tmp");
            Files.writeString(tmp, GSON.toJson(d), StandardCharsets.UTF_8);
            Files.move(tmp, directory.resolve(DESCRIPTOR), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the model to " + directory, e);
        }
    }

    /**
     * Loads a saved model whose architecture and pipeline are registered in {@link Components}.
     *
     * @param directory the directory {@link #save} wrote
     * @param <I> the raw input type
     * @return the model
     */
    public static <I> TransferModel<I> load(Path directory) {
        return load(directory, null, null);
    }

    /**
     * Loads a saved model, building the backbone from {@code backbone}'s architecture and pipeline
     * (its weights are replaced by the saved ones).
     *
     * @param directory the directory {@link #save} wrote
     * @param backbone supplies architecture and pipeline
     * @param <I> the raw input type
     * @return the model
     */
    public static <I> TransferModel<I> load(Path directory, Backbone<I> backbone) {
        return load(directory, backbone, null);
    }

    /**
     * Loads a saved model with a custom head.
     *
     * @param directory the directory {@link #save} wrote
     * @param backbone supplies architecture and pipeline, or null to take them from {@link Components}
     * @param head the head, or null to rebuild it from the descriptor
     * @param <I> the raw input type
     * @return the model
     */
    @SuppressWarnings("unchecked")
    public static <I> TransferModel<I> load(Path directory, Backbone<I> backbone, Head head) {
        Descriptor d = readDescriptor(directory);
        Path module = directory.resolve(TORCHSCRIPT_MODULE);
        Architecture architecture = TorchScriptBackbones.ID.equals(d.architecture) && Files.exists(module)
                ? TorchScriptBackbones.architecture(module)
                : backbone != null ? backbone.architecture()
                : Components.architecture(d.architecture, d.architectureConfig);
        InputPipeline<I> pipeline = backbone != null ? backbone.pipeline()
                : (InputPipeline<I>) Components.pipeline(d.pipeline, d.pipelineConfig);
        Head headSpec = head != null ? head : Head.fromConfig(d.head);
        NDManager manager = NDManager.newBaseManager();
        try (Backbone<I> spec = Backbone.<I>builder().setArchitecture(architecture).setPipeline(pipeline)
                .optProvenance(d.provenance == null ? Provenance.unknown() : d.provenance).build()) {
            Network net = Network.build(spec, d.adapter == null ? new int[0] : d.adapter, headSpec,
                    d.classes.size(), manager, 0);
            StateDict.load(net.root, SafeTensors.read(directory.resolve(WEIGHTS), manager));
            History history = d.history == null ? History.empty() : History.fromJson(GSON.toJson(d.history));
            return new TransferModel<>(manager, net, spec, headSpec,
                    d.adapter == null ? new int[0] : d.adapter, d.classes, history);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static Descriptor readDescriptor(Path directory) {
        Path file = directory.resolve(DESCRIPTOR);
        try {
            Descriptor d = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Descriptor.class);
            if (d == null || !"tl4j-model".equals(d.format)) {
                throw new IllegalArgumentException(file + " is not a tl4j model descriptor");
            }
            if (d.version > FORMAT_VERSION) {
                throw new IllegalArgumentException(file + " has format version " + d.version
                        + "; this tl4j reads up to " + FORMAT_VERSION);
            }
            if (d.classes == null || d.classes.isEmpty()) {
                throw new IllegalArgumentException(file + " lists no classes");
            }
            return d;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("No saved model in " + directory + ": " + file + " is missing", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The JSON descriptor of a saved model. */
    private static final class Descriptor {
        String format;
        int version;
        List<String> classes;
        String architecture;
        Map<String, String> architectureConfig;
        String pipeline;
        Map<String, String> pipelineConfig;
        Map<String, String> head;
        int[] adapter;
        Provenance provenance;
        String created;
        Object history;
    }

    /** Frees the model's native memory. */
    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "TransferModel[" + architecture.id() + ", classes=" + classNames + ", head=" + head.config() + "]";
    }
}
