package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.tl4j.core.data.LabeledData;

/**
 * Computes a whole frozen backbone's features of labelled data the way {@link TransferLearner#fit}
 * does for feature extraction: the network built once, every stage in inference mode, the examples
 * run through the input pipeline (without augmentation) into the same feature cache, 64 at a time.
 * Model selection ({@code io.tl4j.core.selection}) reads candidates' features through it. The features
 * come from the engine ({@link #of}) or from the backbone's ONNX export on ONNX Runtime ({@link
 * #onOnnxRuntime}), as {@link TransferLearner#featuresOnOnnxRuntime} computes them.
 *
 * @param <I> the raw input type
 */
public final class FrozenFeatures<I> implements AutoCloseable {

    private final NDManager manager;
    private final Network net;
    private final Backbone<I> backbone;
    private final boolean onOnnxRuntime;

    private FrozenFeatures(NDManager manager, Network net, Backbone<I> backbone, boolean onOnnxRuntime) {
        this.manager = manager;
        this.net = net;
        this.backbone = backbone;
        this.onOnnxRuntime = onOnnxRuntime;
    }

    /**
     * Builds a backbone's network, every parameter frozen, ready to extract features.
     *
     * @param backbone the backbone (not modified; its weights are copied into the network)
     * @param seed seeds the initialization of anything the weights do not cover
     * @param <I> the raw input type
     * @return the extractor; close it to free the network's native memory
     * @throws io.tl4j.core.weights.WeightMismatchException when the weights do not fit the architecture
     */
    public static <I> FrozenFeatures<I> of(Backbone<I> backbone, long seed) {
        return build(backbone, seed, false);
    }

    /**
     * Builds a backbone's network, every parameter frozen, ready to extract features on ONNX Runtime:
     * each {@link #extract} exports the backbone and runs the export there.
     *
     * @param backbone the backbone (not modified; its weights are copied into the network)
     * @param seed seeds the initialization of anything the weights do not cover
     * @param <I> the raw input type
     * @return the extractor; close it to free the network's native memory
     * @throws UnsupportedOperationException naming the architecture when it does not export to ONNX
     * @throws IllegalStateException naming the Maven artifact when ONNX Runtime is not on the class path
     */
    public static <I> FrozenFeatures<I> onOnnxRuntime(Backbone<I> backbone, long seed) {
        OnnxRuntimeFeatures.requireExportable(backbone.architecture());
        return build(backbone, seed, true);
    }

    private static <I> FrozenFeatures<I> build(Backbone<I> backbone, long seed, boolean onOnnxRuntime) {
        NDManager manager = NDManager.newBaseManager();
        try {
            Network net = Network.build(backbone, new int[0], Head.linear(), 2, manager, seed);
            net.freezeAll();
            return new FrozenFeatures<>(manager, net, backbone, onOnnxRuntime);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the number of the backbone's parameters (weights and biases; BatchNorm running
     * statistics, which are not learned by gradient, excluded).
     *
     * @return the parameter count
     */
    public long parameterCount() {
        long count = 0;
        for (var e : net.parameters().entrySet()) {
            Parameter p = e.getValue();
            boolean statistic = p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
            if (e.getKey().startsWith(Network.BACKBONE + ".") && !statistic) {
                count += p.getArray().size();
            }
        }
        return count;
    }

    /**
     * Computes the features of every example, flattened to one row per example.
     *
     * @param data the examples, in order
     * @return {@code data.size()} rows of the backbone's flattened features
     * @throws IllegalArgumentException when an input is malformed or its preprocessed values are not
     *     finite; the message names the example
     */
    public float[][] extract(LabeledData<I> data) {
        int n = data.size();
        if (n == 0) {
            return new float[0][];
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        RawBatchSource<I> raw = new RawBatchSource<>(net, wholeBackbone(), backbone.pipeline(), null);
        try (OnnxRuntimeFeatures onnxRuntime =
                        onOnnxRuntime ? OnnxRuntimeFeatures.open(manager, net, backbone, raw) : null;
                FeatureCache cache = new FeatureCache(onnxRuntime != null ? onnxRuntime : raw, manager, data);
                NDManager sm = manager.newSubManager()) {
            NDList batch = cache.batch(sm, data, all, false, null);
            NDArray features = batch.head().toType(DataType.FLOAT32, false);
            float[] flat = features.toFloatArray();
            int width = flat.length / n;
            float[][] rows = new float[n][width];
            for (int i = 0; i < n; i++) {
                System.arraycopy(flat, i * width, rows[i], 0, width);
            }
            return rows;
        }
    }

    /** The number of stages that make the whole backbone: a block without layers still runs as one stage. */
    private int wholeBackbone() {
        return net.staged() ? net.layers.size() : 1;
    }

    /** Frees the network's native memory. */
    @Override
    public void close() {
        manager.close();
    }
}
