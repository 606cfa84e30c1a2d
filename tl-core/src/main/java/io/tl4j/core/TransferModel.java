package io.tl4j.core;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.tl4j.core.adapt.BatchNormStatistics;
import io.tl4j.core.adapt.Unlabelled;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.core.metrics.History;
import io.tl4j.core.monitor.DriftMonitor;
import io.tl4j.core.monitor.ReferenceProfile;
import io.tl4j.core.persist.AtomicFiles;
import io.tl4j.core.persist.ModelDescriptor;
import io.tl4j.core.persist.ModelFileModifiedException;
import io.tl4j.core.persist.ModelFormatException;
import io.tl4j.core.weights.WeightFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

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
    public static final int FORMAT_VERSION = ModelDescriptor.VERSION;

    private final NDManager manager;
    private final Network net;
    private final Architecture architecture;
    private final InputPipeline<I> pipeline;
    private final Provenance provenance;
    private final Head head;
    private final int[] adapterUnits;
    private final List<String> classNames;
    private final History history;
    private final TrainingConfig training;
    private final ReferenceProfile profile;
    private final ModelScoring<I> scoring;

    TransferModel(
            NDManager manager,
            Network net,
            Backbone<I> backbone,
            Head head,
            int[] adapterUnits,
            List<String> classNames,
            History history,
            TrainingConfig training,
            ReferenceProfile profile) {
        this.manager = manager;
        this.net = net;
        this.architecture = backbone.architecture();
        this.pipeline = backbone.pipeline();
        this.provenance = backbone.provenance();
        this.head = head;
        this.adapterUnits = adapterUnits.clone();
        this.classNames = List.copyOf(classNames);
        this.history = history;
        this.training = training;
        this.profile = profile;
        this.scoring = new ModelScoring<>(manager, net, pipeline, classNames.size());
        net.freezeAll();
    }

    /** Returns the network, for the classes of this package that save or change parts of it. */
    Network network() {
        return net;
    }

    /** Returns the head's specification. */
    Head head() {
        return head;
    }

    /** Returns the widths of the dense layers added between backbone and head. */
    int[] adapterUnits() {
        return adapterUnits.clone();
    }

    /** Returns the backbone's architecture. */
    Architecture architecture() {
        return architecture;
    }

    /** Returns the class names, in the order of the model's outputs. */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Returns the settings of the run that trained the model, as {@code model.json} keeps them.
     *
     * @return the training configuration, or empty for a model saved without one
     */
    public Optional<TrainingConfig> trainingConfig() {
        return Optional.ofNullable(training);
    }

    /** Returns the device the model's weights live on and its predictions run on. */
    public Device device() {
        return manager.getDevice();
    }

    /** Returns the per-epoch history of the run that trained it. */
    public History history() {
        return history;
    }

    /** Returns where the backbone's pretrained weights came from. */
    public Provenance provenance() {
        return provenance;
    }

    /** Returns the input pipeline. */
    public InputPipeline<I> pipeline() {
        return pipeline;
    }

    /**
     * Classifies one raw input: every class, most probable first.
     *
     * @param input one raw input
     * @return every class, most probable first
     */
    public List<Prediction> classify(I input) {
        if (input == null) {
            throw new IllegalArgumentException(
                    "classify(null): the input is null; pass one input for pipeline '" + pipeline.id() + "'");
        }
        float[] p = probabilities(List.of(input))[0];
        List<Prediction> ranked = new ArrayList<>(p.length);
        for (int c = 0; c < p.length; c++) {
            ranked.add(new Prediction(classNames.get(c), c, p[c]));
        }
        ranked.sort(Comparator.comparingDouble(Prediction::probability).reversed());
        return ranked;
    }

    /**
     * Returns each input's class probabilities. A NaN or infinite value, in an input after its
     * pipeline or in the model's scores for it, is refused rather than turned into a probability.
     *
     * @param inputs raw inputs, none null
     * @return per input, the probability of each class
     * @throws io.tl4j.core.data.NonFiniteValueException naming the first input with a non-finite value
     */
    public float[][] probabilities(List<I> inputs) {
        return scoring.scores(inputs, true);
    }

    /**
     * Returns each input's class scores before softmax, as {@link #exportOnnx} names them {@code
     * logits}. Non-finite values are refused as in {@link #probabilities}.
     *
     * @param inputs raw inputs, none null
     * @return per input, the score of each class
     */
    public float[][] logits(List<I> inputs) {
        return scoring.scores(inputs, false);
    }

    /**
     * Returns each input's most probable class; never a class for an input whose scores are not finite.
     *
     * @param inputs raw inputs, none null
     * @return per input, the index of the most probable class
     * @throws io.tl4j.core.data.NonFiniteValueException naming the first input with a non-finite value
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
     * Evaluates the model on labelled data: accuracy, macro-F1, per-class precision and recall, confusion matrix.
     *
     * @param data labelled data whose class names are among the model's (matched by name)
     * @return accuracy, macro-F1, per-class precision and recall, confusion matrix
     */
    public ClassificationReport evaluate(LabeledData<I> data) {
        LabeledData<I> mapped = FitData.relabel(data, classNames);
        return ClassificationReport.of(mapped.labels(), predict(mapped.inputs()), classNames);
    }

    /**
     * AdaBN: returns a copy of this model whose BatchNorm statistics are re-estimated on unlabelled
     * inputs of the domain it will meet (see {@link BatchNormStatistics}); every other weight is
     * copied unchanged, and this model stays as it was. Use it on a model trained on another domain,
     * before predicting on the new one.
     *
     * @param unlabelled inputs of the new domain, of the pipeline's input type
     * @return the adapted copy; close it when done
     * @throws IllegalArgumentException naming the backbone when it has no BatchNorm layer, or naming the
     *     inputs that do not fit the pipeline
     */
    public TransferModel<I> adaptBatchNorm(Unlabelled<I> unlabelled) {
        return TargetDomain.adaptedCopy(this, unlabelled);
    }

    /**
     * The trained backbone, for transferring again (pretrain, then transfer) or inspecting.
     *
     * @return a new backbone carrying the trained weights; close it when done
     */
    public Backbone<I> backbone() {
        return TrainedBackbone.of(net, architecture, pipeline, provenance);
    }

    /**
     * Returns the drift-monitoring profile {@code fit} made on its validation data (from {@value
     * ReferenceProfile#MIN_EXAMPLES} examples), or the one in the directory the model was loaded from;
     * {@link #save} writes it as {@value ReferenceProfile#FILE_NAME}, where tl-serving finds it.
     */
    public Optional<ReferenceProfile> referenceProfile() {
        return Optional.ofNullable(profile);
    }

    /**
     * Profiles this model on held-out inputs: predicted classes, confidence, and the mean and spread
     * of each feature its head reads.
     *
     * @param heldOut inputs the model was not trained on, at least {@value ReferenceProfile#MIN_EXAMPLES}
     * @return the profile, for example to save as {@value ReferenceProfile#FILE_NAME} in the model's directory
     * @throws IllegalArgumentException when there are too few inputs or one does not fit the pipeline
     */
    public ReferenceProfile profile(List<I> heldOut) {
        return scoring.profile(heldOut);
    }

    /**
     * Returns each input's class probabilities, as {@link #probabilities(List)} does, and records
     * each prediction in a drift monitor, with the features the head read where the monitor's
     * reference has features (then on the engine, whatever {@link #optimizeForInference()} chose).
     *
     * @param inputs raw inputs of the pipeline's type
     * @param monitor the monitor watching this model
     * @return per input, one probability per class, in {@link #classNames()} order
     */
    public float[][] probabilities(List<I> inputs, DriftMonitor monitor) {
        return scoring.probabilities(inputs, monitor);
    }

    /**
     * Writes the model to a directory: {@code weights.safetensors}, {@code backbone.pt} for a
     * TorchScript backbone, and a {@code model.json} descriptor that records the sha256 of each,
     * every file atomically and the descriptor last. The directory is self-contained: copy it
     * whole. Files get mode 0644 and created directories 0755 on POSIX file systems, whatever the
     * umask (see {@link AtomicFiles}); the weights file is byte-identical for identical models.
     * Temporary files left by an earlier, killed save are deleted.
     *
     * @param directory the directory, created when missing
     */
    public void save(Path directory) {
        ModelSaver.save(this, directory);
    }

    /**
     * Loads a saved model whose architecture and pipeline are registered in {@link Components}.
     *
     * @param directory the directory {@link #save} wrote
     * @param <I> the raw input type
     * @return the model
     * @throws ModelFormatException when the directory is not a valid saved model: see {@link
     *     #load(Path, Backbone, Head, LoadOptions)}
     */
    public static <I> TransferModel<I> load(Path directory) {
        return load(directory, null, null, LoadOptions.verified());
    }

    /**
     * Loads a saved model whose architecture and pipeline are registered in {@link Components}.
     *
     * @param directory the directory {@link #save} wrote
     * @param options how to treat files modified since saving
     * @param <I> the raw input type
     * @return the model
     */
    public static <I> TransferModel<I> load(Path directory, LoadOptions options) {
        return load(directory, null, null, options);
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
        return load(directory, backbone, null, LoadOptions.verified());
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
    public static <I> TransferModel<I> load(Path directory, Backbone<I> backbone, Head head) {
        return load(directory, backbone, head, LoadOptions.verified());
    }

    /**
     * Loads a saved model. The directory must be self-contained and unmodified: every file its
     * {@code model.json} names resolves inside it (absolute paths, {@code ..} and symbolic links
     * leading out are refused), and every file has the sha256 recorded at save time (unless {@code
     * options} trusts modified files). Models saved before tl4j recorded hashes load with a warning.
     * Weights holding NaN or infinite values are refused.
     *
     * @param directory the directory {@link #save} wrote
     * @param backbone supplies architecture and pipeline, or null to take them from {@link Components}
     * @param head the head, or null to rebuild it from the descriptor
     * @param options how to treat files modified since saving
     * @param <I> the raw input type
     * @return the model
     * @throws IllegalArgumentException when the directory holds no {@code model.json}
     * @throws ModelFormatException naming the file, field and value when {@code model.json} is
     *     malformed, names a path outside the directory, or a file it lists is missing
     * @throws ModelFileModifiedException naming the file and both hashes when a file was modified
     * @throws WeightFileException naming the tensor when the weights are malformed or not finite
     */
    public static <I> TransferModel<I> load(Path directory, Backbone<I> backbone, Head head, LoadOptions options) {
        return ModelLoader.load(directory, backbone, head, options);
    }

    /**
     * Writes the model as a self-contained ONNX file for any ONNX runtime (see {@link
     * io.tl4j.core.onnx.OnnxGraphBuilder}): the inputs its backbone's architecture declares (BERT:
     * {@code input_ids}, {@code attention_mask}, {@code token_type_ids}, int64, batch and length
     * free) and one output, {@code logits} (batch, classes), the scores {@link #logits} returns. The
     * input pipeline (tokenizer, image transforms) stays outside the file.
     *
     * @param file the {@code .onnx} file, replaced when it exists; its directory must exist
     * @throws IllegalArgumentException when the file's directory does not exist
     * @throws IllegalStateException when the model is closed
     * @throws UnsupportedOperationException naming the architecture or layer when the backbone's
     *     architecture does not implement {@link io.tl4j.core.onnx.OnnxExportable} or the head is custom
     */
    public void exportOnnx(Path file) {
        OnnxExport.write(manager, net, architecture, classNames.size(), file);
    }

    /**
     * Serves this model's predictions ({@link #classify}, {@link #probabilities}, {@link #logits},
     * {@link #predict}, {@link #evaluate}) through its ONNX export ({@link #exportOnnx}) on ONNX
     * Runtime from now on, when {@code com.microsoft.onnxruntime:onnxruntime} is on the class path
     * (an optional dependency), the model is on the CPU and its architecture exports; otherwise
     * they stay on the engine and the reason is logged. The scores agree within 1e-4.
     *
     * @return whether predictions now run on ONNX Runtime
     */
    public boolean optimizeForInference() {
        return scoring.useOnnxRuntime(architecture);
    }

    /**
     * Returns a table of the layers (backbone, adapter, head) with output shapes, parameter counts, and
     * their status under the freezing the model was trained with.
     */
    public ModelSummary summary() {
        return ModelSummary.of(net, pipeline.sampleShape(), trainingConfig(), pipeline.isRandomInTraining());
    }

    /** Frees the model's native memory and its ONNX Runtime session. */
    @Override
    public void close() {
        scoring.close();
        manager.close();
    }

    @Override
    public String toString() {
        return "TransferModel[" + architecture.id() + ", classes=" + classNames + ", head=" + head.config() + "]";
    }
}
