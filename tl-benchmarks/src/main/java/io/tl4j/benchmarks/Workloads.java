package io.tl4j.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.tl4j.core.Architecture;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.weights.StateDict;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Deterministic synthetic inputs and "pretrained" weights shared by the tl4j side and the raw-DJL
 * side of every benchmark, so both do exactly the same work.
 */
public final class Workloads {

    /** The number of classes of every benchmarked classification task. */
    public static final int CLASSES = 10;

    private Workloads() {}

    /**
     * Generates random samples with standard-normal values.
     *
     * @param count how many samples
     * @param sampleShape the shape of one sample
     * @param seed the random seed
     * @return samples with standard-normal values
     */
    public static List<float[]> samples(int count, Shape sampleShape, long seed) {
        Random random = new Random(seed);
        int size = Math.toIntExact(sampleShape.size());
        List<float[]> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] x = new float[size];
            for (int j = 0; j < size; j++) {
                x[j] = (float) random.nextGaussian();
            }
            samples.add(x);
        }
        return samples;
    }

    /**
     * Labels the samples round-robin with {@link #CLASSES} classes named {@code c0 .. c9}.
     *
     * @param samples the inputs
     * @return them labelled round-robin with {@link #CLASSES} classes named {@code c0 .. c9}
     */
    public static LabeledData<float[]> labelled(List<float[]> samples) {
        int[] labels = IntStream.range(0, samples.size()).map(i -> i % CLASSES).toArray();
        List<String> names = IntStream.range(0, CLASSES).mapToObj(c -> "c" + c).collect(Collectors.toList());
        return LabeledData.of(samples, labels, names);
    }

    /**
     * The same "pretrained" weights for both sides: the tl4j architecture (tl-vision's, with
     * torchvision parameter names) is initialized with a seed, and its arrays are copied in parameter
     * order into the raw-DJL network (whose parameters come in the same order, checked by shape),
     * which is then serialized in DJL's own format ({@link Block#saveParameters}) for the raw side to
     * load with {@link Block#loadParameters}.
     *
     * @param tl4j the architecture of the tl4j side
     * @param raw builds the raw-DJL network
     * @param batchShape an input shape to initialize both for
     * @param seed the engine seed
     * @param manager owns the returned tl4j arrays
     * @return the weights of both sides
     * @throws IllegalStateException when the two networks' parameters do not correspond
     */
    public static PretrainedPair pretrained(
            Architecture tl4j, Supplier<? extends Block> raw, Shape batchShape, long seed, NDManager manager) {
        Engine.getInstance().setRandomSeed((int) seed);
        Block block = tl4j.newBlock(manager);
        block.initialize(manager, DataType.FLOAT32, batchShape);
        Map<String, NDArray> weights = StateDict.export(block);
        try (NDManager scratch = NDManager.newBaseManager()) {
            Block rawBlock = raw.get();
            rawBlock.initialize(scratch, DataType.FLOAT32, batchShape);
            List<Parameter> rawParameters = new ArrayList<>();
            rawBlock.getParameters().forEach(p -> rawParameters.add(p.getValue()));
            List<Map.Entry<String, NDArray>> tl4jParameters = new ArrayList<>(weights.entrySet());
            if (rawParameters.size() != tl4jParameters.size()) {
                throw new IllegalStateException("The raw network has " + rawParameters.size() + " parameters, "
                        + tl4j.id() + " has " + tl4jParameters.size());
            }
            for (int i = 0; i < rawParameters.size(); i++) {
                NDArray target = rawParameters.get(i).getArray();
                NDArray source = tl4jParameters.get(i).getValue();
                if (!target.getShape().equals(source.getShape())) {
                    throw new IllegalStateException("Parameter " + i + " ("
                            + tl4jParameters.get(i).getKey()
                            + ") is " + source.getShape() + " in " + tl4j.id() + " but " + target.getShape()
                            + " in the raw network (" + rawParameters.get(i).getName() + ")");
                }
                target.set(source.toByteBuffer());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                rawBlock.saveParameters(out);
            }
            return new PretrainedPair(weights, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The same weights for both sides of a benchmark.
     *
     * @param tl4j by tl4j (torchvision) parameter name, for {@code Backbone.Builder#optWeights}
     * @param djl in DJL's parameter format, for {@link Block#loadParameters}
     */
    public record PretrainedPair(Map<String, NDArray> tl4j, byte[] djl) {}

    /**
     * Checks that DJL's default device (which tl4j trains on) is the one a benchmark asked for, so
     * that both sides of a pair run on the same device.
     *
     * @param name {@code cpu} or {@code gpu}
     * @return the device
     * @throws IllegalStateException when the default device differs, saying how to fix it
     */
    public static Device device(String name) {
        Device wanted = switch (name) {
            case "cpu" -> Device.cpu();
            case "gpu" -> Device.gpu();
            default -> throw new IllegalArgumentException("device must be cpu or gpu, got '" + name + "'");
        };
        Device actual = Engine.getInstance().defaultDevice();
        if (!actual.getDeviceType().equals(wanted.getDeviceType())) {
            throw new IllegalStateException("Benchmark parameter device=" + name + " but DJL's default device (which"
                    + " tl4j uses) is " + actual + ": for gpu, run with CUDA natives on a machine with"
                    + " a GPU; for cpu on a GPU machine, set CUDA_VISIBLE_DEVICES= (empty)");
        }
        return wanted;
    }

    /**
     * Concatenates the chosen samples into one array.
     *
     * @param samples all samples
     * @param indices which ones
     * @return them concatenated
     */
    public static float[] gather(List<float[]> samples, int[] indices) {
        int size = samples.get(0).length;
        float[] flat = new float[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(samples.get(indices[i]), 0, flat, i * size, size);
        }
        return flat;
    }

    /**
     * Refuses to time a side whose probabilities are not the reference side's: same work on both sides.
     *
     * @param side what computed {@code actual}, for the message
     * @param expected the reference side's probabilities, per text
     * @param actual the side's probabilities, per text
     * @throws IllegalStateException naming the text and class of the first difference over 1e-4
     */
    static void requireSameProbabilities(String side, float[][] expected, float[][] actual) {
        for (int i = 0; i < expected.length; i++) {
            for (int c = 0; c < expected[i].length; c++) {
                if (Math.abs(expected[i][c] - actual[i][c]) > 1e-4) {
                    throw new IllegalStateException(side + " and tl4j's engine disagree on input " + i + ", class " + c
                            + ": " + actual[i][c] + " vs " + expected[i][c]);
                }
            }
        }
    }
}
