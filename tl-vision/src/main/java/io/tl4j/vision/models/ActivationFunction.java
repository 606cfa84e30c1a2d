package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.tl4j.core.nn.Scalars;

/**
 * The element-wise activations of torchvision's mobile networks, as PyTorch defines them: {@code
 * nn.ReLU}, {@code nn.Hardswish} ({@code x * relu6(x + 3) / 6}), {@code nn.SiLU} ({@code x *
 * sigmoid(x)}), {@code nn.Sigmoid}, {@code nn.Hardsigmoid} ({@code relu6(x + 3) / 6}), or none.
 */
enum ActivationFunction {
    /** No activation: the input itself. */
    NONE,
    /** {@code max(x, 0)}. */
    RELU,
    /** {@code x * relu6(x + 3) / 6}. */
    HARDSWISH,
    /** {@code x * sigmoid(x)}, also called swish. */
    SILU,
    /** {@code 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** {@code relu6(x + 3) / 6}. */
    HARDSIGMOID;

    /**
     * Applies the activation.
     *
     * @param x the input; left open
     * @return a new array, or {@code x} itself for {@link #NONE}
     */
    NDArray apply(NDArray x) {
        return switch (this) {
            case NONE -> x;
            case RELU -> Activation.relu(x);
            case HARDSWISH -> Scalars.div(x.mul(Scalars.add(x, 3).clip(0f, 6f)), 6);
            case SILU -> x.mul(Activation.sigmoid(x));
            case SIGMOID -> Activation.sigmoid(x);
            case HARDSIGMOID -> Scalars.div(Scalars.add(x, 3).clip(0f, 6f), 6);
        };
    }
}
