package io.tl4j.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.tl4j.core.engine.EngineSetup;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.train.RunFingerprint;
import io.tl4j.core.weights.ParameterNames;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.StateDict;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pretrained network cut below its old head: an architecture, its weights, the input pipeline
 * that feeds it, and where the weights came from.
 *
 * <p>Its {@link #layers() layers} are the names that freezing accepts. For a {@link LayeredBlock}
 * they are its layers; for any other block (a TorchScript module) they are the first segments of its
 * parameter names ({@code conv1}, {@code layer1}, ... {@code fc}), in parameter order.
 *
 * <p>A backbone is immutable: training never changes it, it builds a fresh copy ({@link
 * #instantiate}). It owns the native memory of its weights; close it when done.
 *
 * @param <I> the raw input type its pipeline accepts
 */
public final class Backbone<I> implements AutoCloseable {

    private final Architecture architecture;
    private final InputPipeline<I> pipeline;
    private final Provenance provenance;
    private final NDManager manager;
    private final Map<String, NDArray> weights;
    private volatile Description description;
    private volatile String weightsSha256;

    static {
        // before any backbone creates native arrays: the process's engine settings (oneDNN cap, malloc)
        EngineSetup.configure();
    }

    private Backbone(Builder<I> builder) {
        this.architecture = Objects.requireNonNull(builder.architecture, "architecture is required");
        this.pipeline = Objects.requireNonNull(builder.pipeline, "pipeline is required");
        this.provenance = builder.provenance;
        this.manager = NDManager.newBaseManager();
        Map<String, NDArray> copies = new LinkedHashMap<>();
        if (builder.weightsFile != null) {
            copies.putAll(SafeTensors.read(builder.weightsFile, manager));
        }
        builder.weights.forEach((name, array) -> copies.put(name, array.duplicate()));
        copies.values().forEach(array -> array.attach(manager));
        this.weights = Collections.unmodifiableMap(copies);
    }

    /**
     * Returns a builder for a backbone.
     *
     * @param <I> the raw input type
     * @return a builder
     */
    public static <I> Builder<I> builder() {
        return new Builder<>();
    }

    /** Returns the architecture. */
    public Architecture architecture() {
        return architecture;
    }

    /** Returns the input pipeline. */
    public InputPipeline<I> pipeline() {
        return pipeline;
    }

    /** Returns the input shape of one sample, without the batch axis. */
    public Shape inputShape() {
        return pipeline.sampleShape();
    }

    /** Returns where the weights came from. */
    public Provenance provenance() {
        return provenance;
    }

    /** Tells whether the backbone carries weights; false means random initialization. */
    public boolean isPretrained() {
        return !weights.isEmpty();
    }

    /** Returns the weights by parameter name (read-only views, owned by this backbone). */
    public Map<String, NDArray> weights() {
        return weights;
    }

    /**
     * Returns the sha256 of the weights (names, shapes, data types and bytes; {@code "none"} without weights), as
     * {@link RunFingerprint#ofWeights} computes it: the key that LoRA adapters and checkpoints
     * record of the base they were trained on. Computed on the first call and kept, since a backbone's weights never
     * change: loading many adapters onto one base hashes its weights once.
     *
     * @return the hex digest
     */
    public String weightsSha256() {
        String sha256 = weightsSha256;
        if (sha256 == null) {
            sha256 = RunFingerprint.ofWeights(weights);
            weightsSha256 = sha256;
        }
        return sha256;
    }

    /** Returns the layer names, in order: what {@code freezeUntil} and friends accept. */
    public List<String> layers() {
        return describe().layers;
    }

    /** Returns the number of features per sample the backbone outputs (all non-batch axes). */
    public long featureSize() {
        return describe().featureShape.size();
    }

    /** Returns the shape of one sample's features, without the batch axis. */
    public Shape featureShape() {
        return describe().featureShape;
    }

    /**
     * Returns a table of the layers as a learner's default freezing trains them: every layer frozen,
     * cached unless the pipeline adds randomness in training.
     *
     * @return the layers with output shapes, parameter counts and statuses
     */
    public ModelSummary summary() {
        return summary(Freezing.all());
    }

    /**
     * Returns a table of the layers under a freezing: output shapes, parameter counts, and which are
     * frozen, trainable or cached.
     *
     * @param freezing the freezing to show, e.g. {@code Freezing.until("layer3")}
     * @return the layers with output shapes, parameter counts and statuses
     * @throws IllegalArgumentException for a freezing that names an unknown layer
     */
    public ModelSummary summary(Freezing freezing) {
        return ModelSummary.of(this, freezing.resolve(layers()));
    }

    /**
     * Returns a copy that records another provenance.
     *
     * @param provenance the provenance to record instead
     * @return a copy with it
     */
    public Backbone<I> withProvenance(Provenance provenance) {
        return toBuilder().optProvenance(provenance).build();
    }

    /**
     * Returns a copy using another input pipeline with the same sample shape (adding augmentation, say).
     *
     * @param pipeline another input pipeline with the same sample shape (adding augmentation, say)
     * @param <J> its input type
     * @return a copy using it
     */
    public <J> Backbone<J> withPipeline(InputPipeline<J> pipeline) {
        if (!pipeline.sampleShape().equals(this.pipeline.sampleShape())) {
            throw new IllegalArgumentException("Pipeline sample shape " + pipeline.sampleShape()
                    + " differs from the backbone's " + this.pipeline.sampleShape());
        }
        return Backbone.<J>builder()
                .setArchitecture(architecture)
                .setPipeline(pipeline)
                .optWeights(weights)
                .optProvenance(provenance)
                .build();
    }

    /**
     * Builds a new block with this backbone's weights (or, without weights, a random initialization
     * from {@code seed}), initialized for its input shape and owned by {@code manager}.
     *
     * @param manager owns the block's parameters
     * @param seed seeds the random initialization of anything the weights do not cover
     * @return the block
     * @throws io.tl4j.core.weights.WeightMismatchException when the weights do not fit the block
     */
    public Block instantiate(NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Block block = architecture.newBlock(manager);
        if (!block.isInitialized()) {
            block.initialize(manager, DataType.FLOAT32, batchShape(1));
        }
        if (!weights.isEmpty()) {
            StateDict.load(block, weights);
        }
        return block;
    }

    /**
     * Saves the weights as safetensors.
     *
     * @param file the file to write
     */
    public void saveWeights(Path file) {
        SafeTensors.write(file, weights, Map.of("architecture", architecture.id()));
    }

    /** Returns a builder holding this backbone's settings. */
    public Builder<I> toBuilder() {
        return Backbone.<I>builder()
                .setArchitecture(architecture)
                .setPipeline(pipeline)
                .optWeights(weights)
                .optProvenance(provenance);
    }

    Shape batchShape(long batch) {
        long[] sample = pipeline.sampleShape().getShape();
        long[] dims = new long[sample.length + 1];
        dims[0] = batch;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        return new Shape(dims);
    }

    /** Frees the native memory of the weights. */
    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "Backbone[" + architecture.id() + ", layers=" + layers() + ", features=" + featureShape()
                + ", input=" + inputShape() + ", pretrained=" + isPretrained() + ", source="
                + provenance.source() + "]";
    }

    private Description describe() {
        Description d = description;
        if (d == null) {
            try (NDManager scratch = NDManager.newBaseManager()) {
                Block block = instantiate(scratch, 0);
                NDList out = block.forward(
                        new ParameterStore(scratch, false), new NDList(scratch.zeros(batchShape(2))), false);
                Shape shape = out.head().getShape();
                d = new Description(layerNames(block), shape.slice(1));
            }
            description = d;
        }
        return d;
    }

    /**
     * The layer names of a block: a {@link LayeredBlock}'s layers, otherwise the first segments of
     * its parameter names.
     *
     * @param block a block
     * @return its layer names in order
     */
    static List<String> layerNames(Block block) {
        if (block instanceof LayeredBlock layered) {
            return layered.layerNames();
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String parameter : ParameterNames.of(block).keySet()) {
            int dot = parameter.indexOf('.');
            names.add(dot < 0 ? parameter : parameter.substring(0, dot));
        }
        return List.copyOf(names);
    }

    private record Description(List<String> layers, Shape featureShape) {}

    /**
     * Builds a {@link Backbone}. Required: {@code setArchitecture}, {@code setPipeline}.
     *
     * @param <I> the raw input type
     */
    public static final class Builder<I> {
        private Architecture architecture;
        private InputPipeline<I> pipeline;
        private Provenance provenance = Provenance.unknown();
        private final Map<String, NDArray> weights = new LinkedHashMap<>();
        private Path weightsFile;

        private Builder() {}

        /**
         * Sets how to build the network.
         *
         * @param architecture how to build the network
         * @return this builder
         */
        public Builder<I> setArchitecture(Architecture architecture) {
            this.architecture = architecture;
            return this;
        }

        /**
         * Sets how raw inputs become the network's input.
         *
         * @param pipeline how raw inputs become the network's input
         * @return this builder
         */
        public Builder<I> setPipeline(InputPipeline<I> pipeline) {
            this.pipeline = pipeline;
            return this;
        }

        /**
         * Sets pretrained weights by parameter name (copied).
         *
         * @param weights pretrained weights by parameter name (copied)
         * @return this builder
         */
        public Builder<I> optWeights(Map<String, NDArray> weights) {
            this.weights.clear();
            this.weights.putAll(weights);
            this.weightsFile = null;
            return this;
        }

        /**
         * Takes the weights of a block the user trained or loaded, which must have the architecture's
         * parameter names.
         *
         * @param block an initialized block
         * @return this builder
         */
        public Builder<I> optWeightsFrom(Block block) {
            return optWeights(StateDict.export(block));
        }

        /**
         * Reads weights from a safetensors file (when the backbone is built) and records its
         * provenance.
         *
         * @param file the file
         * @param licence the weights' licence
         * @return this builder
         */
        public Builder<I> optWeights(Path file, String licence) {
            this.weights.clear();
            this.weightsFile = file;
            this.provenance = Provenance.ofFile(file, licence, "");
            return this;
        }

        /**
         * Sets where the weights came from.
         *
         * @param provenance where the weights came from
         * @return this builder
         */
        public Builder<I> optProvenance(Provenance provenance) {
            this.provenance = Objects.requireNonNull(provenance, "provenance");
            return this;
        }

        /** Builds the backbone. */
        public Backbone<I> build() {
            return new Backbone<>(this);
        }
    }
}
