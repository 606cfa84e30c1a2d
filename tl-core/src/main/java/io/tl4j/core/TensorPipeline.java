package io.tl4j.core;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The input pipeline for inputs that already are numbers: each input is a {@code float[]} holding
 * one sample of a fixed shape (a feature vector, a flattened image), optionally standardised and,
 * in training, perturbed with Gaussian noise. As an {@link ArrayInput} it takes arrays of exactly the sample
 * shape's size.
 */
public final class TensorPipeline implements InputPipeline<float[]>, ArrayInput {

    /** The id under which this pipeline is registered in {@link Components}. */
    public static final String ID = "tl4j.tensor";

    private final Shape shape;
    private final float mean;
    private final float std;
    private final float noise;

    private TensorPipeline(Shape shape, float mean, float std, float noise) {
        if (shape.size() <= 0) {
            throw new IllegalArgumentException("Sample shape must be non-empty: " + shape);
        }
        if (!(std > 0) || noise < 0) {
            throw new IllegalArgumentException("std must be > 0 and noise >= 0, got " + std + ", " + noise);
        }
        this.shape = shape;
        this.mean = mean;
        this.std = std;
        this.noise = noise;
    }

    /**
     * Creates a pipeline for samples of that shape that passes the numbers through unchanged.
     *
     * @param sampleShape the shape of one sample, e.g. {@code new Shape(64)} or {@code new Shape(1,
     *     28, 28)}
     * @return a pipeline that passes the numbers through unchanged
     */
    public static TensorPipeline of(Shape sampleShape) {
        return new TensorPipeline(sampleShape, 0f, 1f, 0f);
    }

    /**
     * Returns a copy that standardises values with that mean and standard deviation.
     *
     * @param mean subtracted from every value
     * @param std every value is divided by it
     * @return a copy that standardises values
     */
    public TensorPipeline normalize(float mean, float std) {
        return new TensorPipeline(shape, mean, std, noise);
    }

    /**
     * Returns a copy that adds Gaussian noise in training (after standardising).
     *
     * @param sigma standard deviation of Gaussian noise added in training (after standardising)
     * @return a copy that augments with noise
     */
    public TensorPipeline trainingNoise(float sigma) {
        return new TensorPipeline(shape, mean, std, sigma);
    }

    @Override
    public Shape sampleShape() {
        return shape;
    }

    /** Accepts exactly the sample shape's size. */
    @Override
    public boolean acceptsLength(int length) {
        return length == shape.size();
    }

    @Override
    public String acceptedArrays() {
        return "arrays of " + shape.size() + " numbers (sample shape " + shape + ")";
    }

    @Override
    public NDList batch(NDManager manager, List<float[]> inputs, boolean training, Random random) {
        int size = Math.toIntExact(shape.size());
        boolean augment = training && noise > 0;
        boolean identity = mean == 0f && std == 1f && !augment;
        for (int i = 0; i < inputs.size(); i++) {
            float[] x = inputs.get(i);
            if (x == null || !acceptsLength(x.length)) {
                throw new IllegalArgumentException("Input " + i + " of the batch has " + (x == null ? "no" : x.length)
                        + " values, expected " + size + " for shape " + shape);
            }
        }
        long[] dims = new long[shape.dimension() + 1];
        dims[0] = inputs.size();
        System.arraycopy(shape.getShape(), 0, dims, 1, shape.dimension());
        Shape batchShape = new Shape(dims);
        // written straight into the memory of an uninitialised libtorch tensor on the host: no float[] of
        // the whole batch, no zeroed JVM buffer, no second copy, and the memory is freed when the batch
        // closes rather than when the collector finds the buffer (on a GPU this host-side work, not the
        // network, limited throughput); then copied to the device when the manager's device is not the host
        boolean pytorch = "PyTorch".equals(manager.getEngine().getEngineName());
        if (!pytorch || inputs.isEmpty()) {
            ByteBuffer buffer = manager.allocateDirect(Math.multiplyExact(Math.multiplyExact(inputs.size(), size), 4));
            write(inputs, size, augment, identity, random, buffer.asFloatBuffer());
            return new NDList(manager.create(buffer, batchShape, DataType.FLOAT32));
        }
        Device device = manager.getDevice();
        boolean onHost = device.equals(Device.cpu());
        NDManager host = onHost ? manager : manager.newSubManager(Device.cpu());
        try {
            NDArray batch = host.create(batchShape, DataType.FLOAT32);
            write(
                    inputs,
                    size,
                    augment,
                    identity,
                    random,
                    batch.toByteBuffer(true).asFloatBuffer());
            if (!onHost) {
                batch = batch.toDevice(device, false);
                batch.attach(manager);
            }
            return new NDList(batch);
        } finally {
            if (!onHost) {
                host.close();
            }
        }
    }

    /** Writes the batch's values, standardised and augmented, into {@code values}. */
    private void write(
            List<float[]> inputs, int size, boolean augment, boolean identity, Random random, FloatBuffer values) {
        float[] row = identity ? null : new float[size];
        for (float[] x : inputs) {
            if (identity) {
                values.put(x);
                continue;
            }
            for (int j = 0; j < size; j++) {
                float v = (x[j] - mean) / std;
                if (augment) {
                    v += (float) (random.nextGaussian() * noise);
                }
                row[j] = v;
            }
            values.put(row);
        }
    }

    @Override
    public boolean isRandomInTraining() {
        return noise > 0;
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * The configuration of a {@link TensorPipeline}.
     *
     * @param shape the shape of one sample
     * @param mean subtracted from every value
     * @param std every value is divided by it
     * @param noise the standard deviation of the Gaussian noise added in training
     */
    public record Config(List<Long> shape, float mean, float std, float noise) {}

    @Override
    public Config config() {
        return new Config(Arrays.stream(shape.getShape()).boxed().toList(), mean, std, noise);
    }

    /**
     * Rebuilds a pipeline from {@link #config()}.
     *
     * @param config the configuration
     * @return the pipeline
     * @throws IllegalArgumentException naming the key when the shape is missing or not positive
     */
    public static TensorPipeline fromConfig(Config config) {
        int[] dims = ConfigValues.positiveList(config.shape(), "shape", Integer.MAX_VALUE, "TensorPipeline");
        return new TensorPipeline(
                new Shape(Arrays.stream(dims).asLongStream().toArray()), config.mean(), config.std(), config.noise());
    }
}
