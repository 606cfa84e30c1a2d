package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.data.LabeledData;
import java.util.Random;

/**
 * Holds the frozen prefix's features of every example of a data set, computed once, and serves
 * batches of them: the fast path of feature extraction and of fine-tuning the last layers. The
 * features stay in the Java heap until the first engine batch asks for them as one array; then
 * they move there, so at most one copy is kept.
 */
final class FeatureCache implements BatchSource, AutoCloseable {

    private final int prefix;
    private final NDManager manager;
    private final Shape shape;
    private float[] values;
    private NDArray features;

    /**
     * Computes the features of every example, 64 at a time.
     *
     * @param source runs the pipeline and the frozen prefix, on the engine ({@link RawBatchSource}) or on
     *     ONNX Runtime ({@link OnnxRuntimeFeatures})
     * @param parent the manager under which the features live
     * @param data the examples
     */
    FeatureCache(BatchSource source, NDManager parent, LabeledData<?> data) {
        this.prefix = source.prefix();
        this.manager = parent.newSubManager();
        float[] all = null;
        Shape sample = null;
        int offset = 0;
        for (int[] idx : EpochSchedule.batches(data.size(), 64)) {
            try (NDManager sm = manager.newSubManager();
                    NDScope scope = new NDScope()) {
                NDArray f = source.batch(sm, data, idx, false, null).head();
                if (all == null) {
                    sample = f.getShape().slice(1);
                    all = new float[Math.toIntExact(data.size() * sample.size())];
                }
                float[] values = f.toType(DataType.FLOAT32, false).toFloatArray();
                System.arraycopy(values, 0, all, offset, values.length);
                offset += values.length;
            }
        }
        this.values = all;
        this.shape = new Shape(Network.prepend(data.size(), sample.getShape()));
    }

    @Override
    public NDList batch(NDManager sm, LabeledData<?> data, int[] idx, boolean training, Random random) {
        long[] rows = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            rows[i] = idx[i];
        }
        if (features == null) {
            features = manager.create(values, shape);
            NDScope.unregister(features); // made inside a step's scope, it outlives the step
            values = null;
        }
        return new NDList(features.get(sm.create(rows)));
    }

    /**
     * Returns the number of feature values per example, all axes but the first.
     *
     * @return the values per example
     */
    long valuesPerExample() {
        return shape.size() / shape.get(0);
    }

    /**
     * Returns every example's features, row after row, as Java floats: the heap copy itself while no
     * engine batch has been made (the caller must not change it), else a copy of the engine's array.
     *
     * @return the features as float32 values
     */
    float[] toFloatArray() {
        return values != null ? values : features.toFloatArray();
    }

    @Override
    public int prefix() {
        return prefix;
    }

    @Override
    public void close() {
        manager.close();
    }
}
