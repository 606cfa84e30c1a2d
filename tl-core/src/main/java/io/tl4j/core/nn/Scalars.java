package io.tl4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic between an array and a number whose number lives in libtorch's own memory, for every
 * forward pass and loss that may record gradients.
 *
 * <p>Why not {@code x.mul(0.5f)}: DJL's PyTorch engine turns the number into a 0-d tensor over a JVM
 * direct buffer ({@code torch::from_blob}, no copy), runs the operation, and closes that tensor at
 * once. Closing drops the only Java reference to the buffer, but the autograd graph of {@code mul},
 * {@code div}, {@code pow}, {@code maximum} and {@code minimum} keeps the tensor for the backward
 * pass. When a garbage collection runs between forward and backward, the JVM frees the buffer,
 * the allocator hands the memory to something else, and the backward pass reads whatever is there:
 * a seeded run then gives a different gradient, or NaN, depending on when the collector ran. Here
 * the number is made with {@code NDManager.full}, which libtorch allocates and reference-counts, so
 * the graph keeps it alive for as long as it needs it. The result is bit-identical to DJL's own
 * operation on the same number.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * Returns a 0-d array holding {@code value}, of {@code like}'s data type, on its manager.
     *
     * @param like the array whose manager and data type the number takes
     * @param value the number
     * @return a 0-d array owned by the engine, not by a JVM buffer
     */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /**
     * Returns {@code x * value}.
     *
     * @param x the array
     * @param value the factor
     * @return the product
     */
    public static NDArray mul(NDArray x, double value) {
        return x.mul(of(x, value));
    }

    /**
     * Returns {@code x / value}.
     *
     * @param x the array
     * @param value the divisor
     * @return the quotient
     */
    public static NDArray div(NDArray x, double value) {
        return x.div(of(x, value));
    }

    /**
     * Returns {@code x + value}.
     *
     * @param x the array
     * @param value the summand
     * @return the sum
     */
    public static NDArray add(NDArray x, double value) {
        return x.add(of(x, value));
    }

    /**
     * Returns {@code x} raised to {@code exponent}, element-wise.
     *
     * @param x the array
     * @param exponent the exponent
     * @return the power
     */
    public static NDArray pow(NDArray x, double exponent) {
        return x.pow(of(x, exponent));
    }

    /**
     * Returns the element-wise maximum of {@code x} and {@code value}.
     *
     * @param x the array
     * @param value the lower bound
     * @return {@code max(x, value)}
     */
    public static NDArray maximum(NDArray x, double value) {
        return x.maximum(of(x, value));
    }
}
