package io.tl4j.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Checks batches for NaN and infinite values where they enter and leave a network, so that a bad
 * value fails loudly instead of becoming class 0. One native reduction per array, a sum: a NaN or an
 * infinity anywhere makes the sum NaN or infinite, so a finite sum proves every value finite. Only
 * a sum that is not finite (a bad value, or finite values whose sum overflows) costs the full
 * check, value by value, and the example is only looked up when something is wrong.
 */
public final class FiniteValues {

    private FiniteValues() {}

    /**
     * Fails when a floating-point array of a preprocessed batch holds a NaN or infinite value.
     *
     * @param batch the pipeline's output, one row per example
     * @param examples for each row, the example's index in the caller's list or data set
     * @param pipeline the pipeline's id, named in the message
     * @param what what an example is called in the message, e.g. {@code "Training example"}
     * @throws NonFiniteValueException naming the first offending example and the pipeline
     */
    public static void requireFiniteInputs(NDList batch, int[] examples, String pipeline, String what) {
        for (NDArray array : batch) {
            int row = firstNonFiniteRow(array);
            if (row >= 0) {
                int example = examples[row];
                throw new NonFiniteValueException(
                        example,
                        String.format(
                                Locale.ROOT,
                                "%s %d holds %s after pipeline '%s' (%d of its %d values are not finite): the raw"
                                        + " input has NaN or infinite values, or its values overflow float32 in"
                                        + " preprocessing. Fix the source, or drop such examples with"
                                        + " DataCleaner.validator(DataCleaner.finiteVector(n)), which counts and"
                                        + " logs what it removes.",
                                what,
                                example,
                                describe(array, row),
                                pipeline,
                                count(array, row),
                                rowSize(array)));
            }
        }
    }

    /**
     * Fails when a model's class scores hold a NaN or infinite value, so such a row never becomes
     * a class.
     *
     * @param scores the class scores (batch, classes)
     * @param examples for each row, the example's index in the caller's list or data set
     * @throws NonFiniteValueException naming the first offending example
     */
    public static void requireFiniteScores(NDArray scores, int[] examples) {
        int row = firstNonFiniteRow(scores);
        if (row >= 0) {
            int example = examples[row];
            throw new NonFiniteValueException(
                    example,
                    String.format(
                            Locale.ROOT,
                            "The model's class scores for input %d hold %s although the input was finite: its"
                                    + " weights hold NaN or infinite values, or its activations overflow float32."
                                    + " Retrain with a lower learning rate, or check the weights it was loaded from.",
                            example,
                            describe(scores, row)));
        }
    }

    /**
     * Returns the consecutive indices {@code offset .. offset + count - 1}.
     *
     * @param offset the first index
     * @param count how many
     * @return the indices
     */
    public static int[] range(int offset, int count) {
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = offset + i;
        }
        return indices;
    }

    /** The first row (along axis 0) holding a non-finite value, or -1 when all are finite. */
    private static int firstNonFiniteRow(NDArray array) {
        if (!array.getDataType().isFloating() || array.getShape().size() == 0 || sumIsFinite(array)) {
            return -1;
        }
        try (NDArray bad = nonFinite(array)) {
            if (!bad.any().getBoolean()) {
                return -1;
            }
            boolean[] flags = bad.toBooleanArray();
            long width = rowSize(array);
            for (int i = 0; i < flags.length; i++) {
                if (flags[i]) {
                    return (int) (i / width);
                }
            }
            return -1;
        }
    }

    /**
     * Whether the array's sum is finite, which it is only when every value is: one pass over the
     * values, against four (two tests, their union, any) and two temporary arrays of the full check,
     * a tenth of its time on a batch of 32 images at 224².
     */
    private static boolean sumIsFinite(NDArray array) {
        try (NDArray sum = array.sum()) {
            if (sum.getDataType() == DataType.FLOAT32) {
                return Float.isFinite(sum.getFloat());
            }
            try (NDArray asFloat = sum.toType(DataType.FLOAT32, false)) {
                return Float.isFinite(asFloat.getFloat());
            }
        }
    }

    private static NDArray nonFinite(NDArray array) {
        return array.isNaN().logicalOr(array.isInfinite());
    }

    private static String describe(NDArray array, int row) {
        float[] values = rowOf(array, row);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return values[i] + " at position " + i;
            }
        }
        return "a non-finite value";
    }

    private static int count(NDArray array, int row) {
        int n = 0;
        for (float v : rowOf(array, row)) {
            if (!Float.isFinite(v)) {
                n++;
            }
        }
        return n;
    }

    private static long rowSize(NDArray array) {
        return array.getShape().dimension() == 0
                ? 1
                : array.getShape().size() / array.getShape().get(0);
    }

    private static float[] rowOf(NDArray array, int row) {
        NDArray values = array.getShape().dimension() == 0 ? array : array.get(row);
        return values.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
