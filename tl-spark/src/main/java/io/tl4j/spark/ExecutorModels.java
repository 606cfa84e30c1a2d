package io.tl4j.spark;

import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.InputPipeline;
import io.tl4j.core.TransferModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;

/**
 * Holds, for the lifetime of an executor JVM, one loaded model per model directory, shared by every task that
 * runs there: a model loads once per executor, never once per task or row. Models are held rather than
 * reference-counted because an executor runs task after task of the same stage, and closing a model between two
 * tasks would reload it for the next; the native memory of each batch is released by the model's own scoped
 * scoring when the batch ends.
 *
 * <p>A model directory reaches executors as a path they can read (a shared file system, or the same path on every
 * machine), or through {@code SparkContext.addFile(dir, true)}: a path that does not exist on the executor is looked
 * up by its file name among the files Spark shipped. A shared path is the default because a model directory is
 * loaded read-only and verified by its own checksums, so a copy per executor buys nothing where one exists.
 */
final class ExecutorModels {

    /** The system property with which DJL's PyTorch engine reads its threads per operation. */
    static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private static final Map<String, TransferModel<Object>> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, FrozenFeatures<Object>> EXTRACTORS = new ConcurrentHashMap<>();
    private static final Map<String, InputPipeline<Object>> EXTRACTOR_PIPELINES = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorModels() {}

    /**
     * Returns the model saved in a directory, loading it on this JVM's first call.
     *
     * @param directory the model directory, as the driver named it
     * @return the shared model; never close it
     */
    static TransferModel<Object> model(String directory) {
        limitThreads();
        return MODELS.computeIfAbsent(directory, d -> {
            LOADS.incrementAndGet();
            return TransferModel.load(resolve(d));
        });
    }

    /**
     * Returns a frozen-feature extractor of the backbone saved in a model directory, loading it on this JVM's first
     * call.
     *
     * @param directory the model directory, as the driver named it
     * @return the shared extractor; never close it
     */
    static FrozenFeatures<Object> extractor(String directory) {
        limitThreads();
        return EXTRACTORS.computeIfAbsent(directory, d -> {
            LOADS.incrementAndGet();
            try (TransferModel<Object> model = TransferModel.load(resolve(d))) {
                EXTRACTOR_PIPELINES.put(d, model.pipeline());
                return FrozenFeatures.of(model.backbone(), 0);
            }
        });
    }

    /**
     * Returns the input pipeline of the model or extractor loaded from a directory, loading it if needed.
     *
     * @param directory the model directory, as the driver named it
     * @param embedding whether the directory serves an extractor rather than a model
     * @return the pipeline
     */
    static InputPipeline<Object> pipeline(String directory, boolean embedding) {
        if (embedding) {
            extractor(directory);
            return EXTRACTOR_PIPELINES.get(directory);
        }
        return model(directory).pipeline();
    }

    /**
     * Returns how many times this JVM loaded a model directory.
     *
     * @return the number of loads since the JVM started
     */
    static int loads() {
        return LOADS.get();
    }

    /**
     * Caps the engine's threads per operation at the task's cores ({@code spark.task.cpus}), so that the tasks an
     * executor runs side by side do not each start a pool as wide as the machine. PyTorch reads the setting when
     * the engine starts, so the first task of a JVM decides; a value the user set is kept.
     */
    private static void limitThreads() {
        TaskContext task = TaskContext.get();
        if (task != null && System.getProperty(THREADS_PROPERTY) == null) {
            System.setProperty(THREADS_PROPERTY, Integer.toString(Math.max(1, task.cpus())));
        }
    }

    private static Path resolve(String directory) {
        Path path = Path.of(directory);
        if (Files.isDirectory(path)) {
            return path;
        }
        Path fileName = path.getFileName();
        if (fileName != null && TaskContext.get() != null) {
            Path shipped = Path.of(SparkFiles.get(fileName.toString()));
            if (Files.isDirectory(shipped)) {
                return shipped;
            }
        }
        throw new IllegalArgumentException("Model directory " + directory
                + " is neither readable on this executor nor shipped with SparkContext.addFile(dir, true)");
    }
}
