package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.weights.StateDict;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The weights and inputs of the golden fixtures, computed by the same formula as {@code
 * tl-vision/scripts/make_golden_fixtures.py} (see its docstring), bit for bit.
 */
final class FormulaWeights {

    private FormulaWeights() {}

    /** {@code u[i]} of the formula for a tensor name, in float64. */
    static double[] uniform(String name, long count) {
        long seed = crc32(name);
        double[] u = new double[Math.toIntExact(count)];
        for (int i = 0; i < u.length; i++) {
            u[i] = ((i * 2654435761L + seed) & 0xFFFFFFFFL) / 4294967296.0 - 0.5;
        }
        return u;
    }

    /** The formula's value of a named tensor. */
    static float[] values(String name, Shape shape) {
        int count = Math.toIntExact(shape.size());
        long seed = crc32(name);
        double heScale = shape.dimension() > 1 ? Math.sqrt(24.0 / ((double) count / shape.get(0))) : 0;
        int kind = name.endsWith("running_var")
                ? 0
                : name.endsWith("running_mean") || name.endsWith("bias") ? 1 : shape.dimension() == 1 ? 2 : 3;
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            double u = ((i * 2654435761L + seed) & 0xFFFFFFFFL) / 4294967296.0 - 0.5;
            double x = switch (kind) {
                case 0 -> 1.0 + 0.5 * (u + 0.5);
                case 1 -> 0.2 * u;
                case 2 -> 1.0 + 0.4 * u;
                default -> u * heScale;
            };
            v[i] = (float) x;
        }
        return v;
    }

    private static long crc32(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /**
     * Initializes a block for an input shape with zeros (cheap: the formula's weights or a shape
     * check follow, so random values would be wasted work).
     */
    static void initializeWithZeros(Block block, NDManager manager, Shape inputShape) {
        block.setInitializer(Initializer.ZEROS, p -> true);
        block.initialize(manager, DataType.FLOAT32, inputShape);
    }

    /** The formula's weights for every parameter of an initialized block, on {@code manager}. */
    static Map<String, NDArray> forBlock(Block block, NDManager manager) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        StateDict.export(block)
                .forEach((name, array) ->
                        weights.put(name, manager.create(values(name, array.getShape()), array.getShape())));
        return weights;
    }

    /** Loads the formula's weights into an initialized block. */
    static void load(Block block, NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            StateDict.load(block, forBlock(block, scratch));
        }
    }

    /** The formula's input of a shape. */
    static NDArray input(NDManager manager, Shape shape) {
        double[] u = uniform("input", shape.size());
        float[] v = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            v[i] = (float) (4.0 * u[i]);
        }
        return manager.create(v, shape);
    }

    /**
     * Runs a network with the formula's weights on the formula's input, in eval mode, from its first layer through
     * {@code last}, and returns the output.
     *
     * @param block a network not yet initialized
     * @param manager where its arrays live
     * @param inputShape the input shape, batch axis included
     * @param last the last layer to run
     * @param frozen whether to freeze the parameters first (frozen BatchNorm layers may be folded)
     * @return the output of {@code last}, flattened
     */
    static float[] outputThrough(LayeredBlock block, NDManager manager, Shape inputShape, String last, boolean frozen) {
        initializeWithZeros(block, manager, inputShape);
        load(block, manager);
        block.freezeParameters(frozen);
        int end = block.layerNames().indexOf(last) + 1;
        assertThat(end).as("layer %s", last).isPositive();
        return block.forwardRange(
                        new ParameterStore(manager, false),
                        new NDList(input(manager, inputShape)),
                        0,
                        end,
                        new boolean[block.size()])
                .singletonOrThrow()
                .toFloatArray();
    }

    /**
     * Asserts that an output equals a golden one within a fraction of the golden output's largest magnitude, and that
     * this magnitude is above 0.3 (the case exercises the network, not zeros).
     *
     * @param actual the output
     * @param expected the golden output
     * @param relativeTolerance the largest |difference| allowed, as a fraction of the largest |expected value|
     * @param description names the case in a failure
     */
    static void assertRelativelyClose(float[] actual, double[] expected, double relativeTolerance, String description) {
        assertThat(actual).as(description).hasSameSizeAs(expected);
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertThat(largest).as(description).isGreaterThan(0.3);
        assertThat(worst / largest)
                .as("%s: largest |difference| / largest |value|", description)
                .isLessThan(relativeTolerance);
    }
}
