package io.tl4j.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.tl4j.benchmarks.nets.ReferenceNets;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferModel;
import io.tl4j.core.nn.LayeredBlock;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inference of a classifier (pretrained backbone + linear head) on one batch of 224² images, from
 * {@code float[]} images to class probabilities: tl4j's {@link TransferModel#probabilities} on a
 * saved and reloaded model (tl-vision's network), the same after {@code optimizeForInference()}
 * (ONNX Runtime), against a raw DJL forward of the same network
 * written in plain DJL ({@link ReferenceNets}, same weights) with a softmax, and a
 * raw-DJL variant that frees each stage's intermediates ({@link NDScope} per stage) to show what
 * that saves in peak memory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class Inference {

    static final Shape IMAGE = new Shape(3, 224, 224);

    /** The batch of images and the network. */
    @State(Scope.Benchmark)
    public static class Data {
        /** resnet50 or vgg16. */
        @Param({"resnet50", "vgg16"})
        public String model;
        /** Images per batch. */
        @Param("16")
        public int batch;
        /** cpu or gpu. */
        @Param("cpu")
        public String device;

        List<float[]> images;
        Device target;

        /** Makes the images. */
        @Setup
        public void setup() {
            target = Workloads.device(device);
            images = Workloads.samples(batch, IMAGE, 3);
        }

        Workloads.PretrainedPair pretrained(NDManager manager) {
            return Workloads.pretrained(Tl4jSide.vision(model), architecture(), new Shape(1, 3, 224, 224), 7, manager);
        }

        Supplier<LayeredBlock> architecture() {
            return switch (model) {
                case "resnet50" -> ReferenceNets::resnet50;
                case "vgg16" -> ReferenceNets::vgg16;
                default -> throw new IllegalArgumentException("model must be resnet50 or vgg16, got " + model);
            };
        }
    }

    /**
     * Fits a head on ten images of the pretrained backbone and saves the classifier.
     *
     * @param d the workload
     * @return the saved model's directory, a new temporary one
     * @throws IOException if the temporary directory cannot be written
     */
    static Path fitAndSave(Data d) throws IOException {
        Path dir = Files.createTempDirectory("tl4j-bench-model");
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> backbone = Tl4jSide.backbone(
                        Tl4jSide.vision(d.model), IMAGE, d.pretrained(manager).tl4j());
                TransferModel<float[]> trained = Tl4jSide.learner(backbone, 10, 1)
                        .fit(Workloads.labelled(Workloads.samples(Workloads.CLASSES, IMAGE, 4)))) {
            trained.save(dir);
        }
        return dir;
    }

    /** Loads a classifier {@link #fitAndSave} saved, as a user serves it. */
    static TransferModel<float[]> load(Data d, Path dir) {
        try (Backbone<float[]> spec = Tl4jSide.backbone(Tl4jSide.vision(d.model), IMAGE, null)) {
            return TransferModel.load(dir, spec);
        }
    }

    /** A tl4j model trained on the pretrained backbone, saved, and loaded back as a user serves it. */
    @State(Scope.Benchmark)
    public static class Tl4j {
        TransferModel<float[]> model;

        /**
         * Fits a head on ten images, saves the model and loads it back.
         *
         * @param d the workload
         * @throws IOException if the temporary directory cannot be written
         */
        @Setup
        public void setup(Data d) throws IOException {
            model = load(d, fitAndSave(d));
        }

        /** Frees the model. */
        @TearDown
        public void tearDown() {
            model.close();
        }
    }

    /**
     * The same classifier, fitted and saved in a JVM of its own ({@link ForkedFit}) so that this
     * fork's peak RSS is a serving process's: load, {@code optimizeForInference()}, predict through
     * ONNX Runtime. The engine's probabilities it is checked against before timing come from that
     * child too, so the engine never runs a forward pass here.
     */
    @State(Scope.Benchmark)
    public static class Tl4jOnnx {
        /** Images the engine and ONNX Runtime are compared on before timing. */
        static final int CHECKED = 2;

        TransferModel<float[]> model;
        Path directory;

        /**
         * Has a child JVM fit and save the model as {@link Tl4j} does and compute the reloaded
         * model's probabilities on the engine for the first {@value #CHECKED} images, loads the
         * model, moves inference to ONNX Runtime and requires the same probabilities within 1e-4.
         *
         * @param d the workload
         * @throws IOException if the child's probabilities cannot be read
         */
        @Setup
        public void setup(Data d) throws IOException {
            directory = ForkedFit.fitAndSave(d, CHECKED);
            model = load(d, directory);
            if (!model.optimizeForInference()) {
                throw new IllegalStateException("optimizeForInference() declined " + d.model + "; see the log");
            }
            Workloads.requireSameProbabilities(
                    "optimizeForInference()",
                    ForkedFit.engineProbabilities(directory),
                    model.probabilities(d.images.subList(0, CHECKED)));
        }

        /**
         * Frees the model and its ONNX Runtime session and deletes the saved model.
         *
         * @throws IOException if the saved model cannot be deleted
         */
        @TearDown
        public void tearDown() throws IOException {
            model.close();
            ForkedFit.delete(directory);
        }
    }

    /** The same network in raw DJL: backbone with its weights loaded, linear head. */
    @State(Scope.Benchmark)
    public static class Djl {
        Model model;
        LayeredBlock backbone;
        Block head;

        /**
         * Builds the network and loads the weights.
         *
         * @param d the workload
         */
        @Setup
        public void setup(Data d) {
            byte[] weights;
            try (NDManager manager = NDManager.newBaseManager()) {
                weights = d.pretrained(manager).djl();
            }
            model = Model.newInstance("baseline", d.target);
            Shape input = new Shape(1, 3, 224, 224);
            backbone = d.architecture().get();
            backbone.initialize(model.getNDManager(), DataType.FLOAT32, input);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
                backbone.loadParameters(model.getNDManager(), in);
            } catch (IOException | ai.djl.MalformedModelException e) {
                throw new IllegalStateException("Cannot load the baseline's weights", e);
            }
            Engine.getInstance().setRandomSeed(43);
            head = ReferenceNets.linearHead(Workloads.CLASSES);
            head.initialize(model.getNDManager(), DataType.FLOAT32, backbone.getOutputShapes(new Shape[] {input}));
            model.setBlock(new LayeredBlock().add("backbone", backbone).add("head", head));
        }

        /** Frees the network. */
        @TearDown
        public void tearDown() {
            model.close();
        }
    }

    /**
     * Classifies one batch with tl4j's model.
     *
     * @param d the workload
     * @param t the model
     * @return the probabilities
     */
    @Benchmark
    public float[][] predict_tl4j(Data d, Tl4j t) {
        return t.model.probabilities(d.images);
    }

    /**
     * Classifies one batch with tl4j's model after {@code optimizeForInference()}: its ONNX export on
     * ONNX Runtime.
     *
     * @param d the workload
     * @param t the ONNX-served model
     * @return the probabilities
     */
    @Benchmark
    public float[][] predict_tl4jOnnx(Data d, Tl4jOnnx t) {
        return t.model.probabilities(d.images);
    }

    /**
     * Classifies one batch with the raw-DJL network.
     *
     * @param d the workload
     * @param b the network
     * @return the probabilities
     */
    @Benchmark
    public float[] predict_djl(Data d, Djl b) {
        try (NDManager sm = b.model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(sm, false);
            NDArray x = sm.create(Workloads.gather(d.images, all(d.batch)), new Shape(d.batch, 3, 224, 224));
            NDList logits = b.model.getBlock().forward(ps, new NDList(x), false);
            return logits.head().softmax(1).toFloatArray();
        }
    }

    /**
     * The raw forward with every stage (and every block of a sequential stage) inside its own
     * {@link NDScope}, so that only stage outputs outlive their stage.
     *
     * @param d the workload
     * @param b the network
     * @return the probabilities
     */
    @Benchmark
    public float[] predict_djlStaged(Data d, Djl b) {
        try (NDManager sm = b.model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(sm, false);
            NDList current =
                    new NDList(sm.create(Workloads.gather(d.images, all(d.batch)), new Shape(d.batch, 3, 224, 224)));
            for (int i = 0; i < b.backbone.size(); i++) {
                current = scoped(b.backbone.layer(i), ps, current);
            }
            NDList logits = b.head.forward(ps, current, false);
            return logits.head().softmax(1).toFloatArray();
        }
    }

    /** Runs a block in its own scope, a sequential block child by child; frees the input it consumed. */
    static NDList scoped(Block block, ParameterStore ps, NDList input) {
        if (block instanceof SequentialBlock sequential) {
            NDList current = input;
            for (Pair<String, Block> child : sequential.getChildren()) {
                current = scoped(child.getValue(), ps, current);
            }
            return current;
        }
        NDList output;
        try (NDScope scope = new NDScope()) {
            output = block.forward(ps, input, false);
            output.forEach(NDScope::unregister);
        }
        if (output.head() != input.head()) {
            input.close();
        }
        return output;
    }

    private static int[] all(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }
}
