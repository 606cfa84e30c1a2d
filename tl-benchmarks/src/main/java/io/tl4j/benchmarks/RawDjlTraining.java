package io.tl4j.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.tl4j.benchmarks.nets.ReferenceNets;
import io.tl4j.core.nn.LayeredBlock;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The raw-DJL baseline of a training run, written the way a DJL user would without tl4j: the
 * backbone built and its pretrained weights loaded with {@link Block#loadParameters}; its first
 * stages frozen ({@link Block#freezeParameters}) and run in inference mode through a plain {@link
 * ParameterStore}; the remaining stages plus a linear head as the {@link Model}'s block, trained by a
 * {@link Trainer} with DJL's fused Adam, one {@link GradientCollector} and one sub-manager per step.
 * It also caches a fully frozen backbone's features, as tl4j's feature cache does.
 */
public final class RawDjlTraining implements AutoCloseable {

    private static final int CACHE_BATCH = 64;

    private final Model model;
    private final Trainer trainer;
    private final LayeredBlock backbone;
    private final int frozenStages;
    private final boolean[] inference;
    private final ParameterStore frozenStore;
    private final Shape sampleShape;

    /**
     * Builds the network (as tl4j does: backbone seeded with {@code seed}, then its weights loaded,
     * head seeded with {@code seed + 1}) and the trainer.
     *
     * @param architecture builds the backbone
     * @param pretrained the backbone's weights in DJL's format, or null to keep the initialization
     * @param sampleShape one input sample's shape
     * @param frozenStages how many leading backbone stages are frozen
     * @param learningRate Adam's learning rate
     * @param device where to train
     * @param seed the seed of the initialization
     */
    public RawDjlTraining(
            Supplier<LayeredBlock> architecture,
            byte[] pretrained,
            Shape sampleShape,
            int frozenStages,
            float learningRate,
            Device device,
            long seed) {
        this.sampleShape = sampleShape;
        this.model = Model.newInstance("baseline", device);
        NDManager manager = model.getNDManager();
        Engine.getInstance().setRandomSeed((int) seed);
        backbone = architecture.get();
        Shape input = batchShape(1);
        backbone.initialize(manager, DataType.FLOAT32, input);
        if (pretrained != null) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(pretrained))) {
                backbone.loadParameters(manager, in);
            } catch (IOException | ai.djl.MalformedModelException e) {
                throw new IllegalStateException("Cannot load the baseline's weights", e);
            }
        }
        Engine.getInstance().setRandomSeed((int) (seed + 1));
        Block head = ReferenceNets.linearHead(Workloads.CLASSES);
        head.initialize(manager, DataType.FLOAT32, backbone.getOutputShapes(new Shape[] {input}));
        this.frozenStages = frozenStages;
        this.inference = new boolean[backbone.size()];
        this.frozenStore = new ParameterStore(manager, false);
        LayeredBlock trainable = new LayeredBlock();
        for (int i = 0; i < backbone.size(); i++) {
            if (i < frozenStages) {
                backbone.layer(i).freezeParameters(true);
            } else {
                attachGradients(backbone.layer(i));
                trainable.add(backbone.layerNames().get(i), backbone.layer(i));
            }
        }
        model.setBlock(trainable.add("head", head));
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(learningRate))
                        .build())
                .optDevices(new Device[] {device}));
    }

    /**
     * Parameters read by {@link Block#loadParameters} come back without gradients; a DJL user must
     * attach them to every parameter that trains (not to BatchNorm's running statistics, which
     * {@link Block#freezeParameters freezeParameters(false)} would also touch).
     *
     * @param block a block whose loaded parameters should train
     */
    static void attachGradients(Block block) {
        block.getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        });
    }

    private Shape batchShape(long batch) {
        long[] dims = new long[sampleShape.dimension() + 1];
        dims[0] = batch;
        System.arraycopy(sampleShape.getShape(), 0, dims, 1, sampleShape.dimension());
        return new Shape(dims);
    }

    /**
     * One epoch over the samples in a seeded random order, running the frozen stages for every
     * batch.
     *
     * @param samples the inputs
     * @param labels their classes
     * @param batchSize examples per step
     * @param seed the seed of the order
     * @return the mean training loss of the epoch
     */
    public double epoch(List<float[]> samples, int[] labels, int batchSize, long seed) {
        double lossSum = 0;
        int[] order = order(samples.size(), seed);
        for (int start = 0; start < order.length; start += batchSize) {
            int[] idx = Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize));
            try (NDManager sm = trainer.getManager().newSubManager()) {
                NDArray x = sm.create(Workloads.gather(samples, idx), batchShape(idx.length));
                NDList features = backbone.forwardRange(frozenStore, new NDList(x), 0, frozenStages, inference);
                lossSum += step(sm, features, labels, idx) * idx.length;
            }
        }
        return lossSum / samples.size();
    }

    /**
     * Runs the (fully frozen) backbone once over all samples, one sub-manager per batch.
     *
     * @param samples the inputs
     * @return the features of every sample, owned by this trainer
     */
    public NDArray cacheFeatures(List<float[]> samples) {
        float[] all = null;
        Shape featureShape = null;
        int offset = 0;
        for (int start = 0; start < samples.size(); start += CACHE_BATCH) {
            int[] idx = new int[Math.min(CACHE_BATCH, samples.size() - start)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = start + i;
            }
            try (NDManager sm = trainer.getManager().newSubManager()) {
                NDArray x = sm.create(Workloads.gather(samples, idx), batchShape(idx.length));
                NDArray f = backbone.forwardRange(frozenStore, new NDList(x), 0, backbone.size(), inference)
                        .head();
                if (all == null) {
                    featureShape = f.getShape().slice(1);
                    all = new float[Math.toIntExact(samples.size() * featureShape.size())];
                }
                float[] values = f.toFloatArray();
                System.arraycopy(values, 0, all, offset, values.length);
                offset += values.length;
            }
        }
        long[] dims = new long[featureShape.dimension() + 1];
        dims[0] = samples.size();
        System.arraycopy(featureShape.getShape(), 0, dims, 1, featureShape.dimension());
        return trainer.getManager().create(all, new Shape(dims));
    }

    /**
     * One epoch of the head on cached features.
     *
     * @param features from {@link #cacheFeatures}
     * @param labels their classes
     * @param batchSize examples per step
     * @param seed the seed of the order
     * @return the mean training loss of the epoch
     */
    public double epochOnFeatures(NDArray features, int[] labels, int batchSize, long seed) {
        double lossSum = 0;
        int[] order = order(labels.length, seed);
        for (int start = 0; start < order.length; start += batchSize) {
            int[] idx = Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize));
            try (NDManager sm = trainer.getManager().newSubManager()) {
                NDArray rows = sm.create(Arrays.stream(idx).asLongStream().toArray());
                lossSum += step(sm, new NDList(features.get(rows)), labels, idx) * idx.length;
            }
        }
        return lossSum / labels.length;
    }

    /** One optimizer step of the trainable stages and the head on the frozen stages' output. */
    private double step(NDManager sm, NDList input, int[] labels, int[] idx) {
        float[] y = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            y[i] = labels[idx[i]];
        }
        NDArray target = sm.create(y);
        double loss;
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList out = trainer.forward(input);
            NDArray l = trainer.getLoss().evaluate(new NDList(target), out);
            gc.backward(l);
            loss = l.getFloat();
        }
        trainer.step();
        return loss;
    }

    private static int[] order(int n, long seed) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
