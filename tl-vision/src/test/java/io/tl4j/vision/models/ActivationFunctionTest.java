package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * MobileNetV3's hard activations divide by a number inside the autograd graph: their gradients must
 * not change when the garbage collector runs between the forward and the backward pass (the number
 * has to live in libtorch's memory, not in a JVM buffer the collector frees).
 */
class ActivationFunctionTest {

    @Test
    void hardActivationGradientsSurviveACollectionBetweenForwardAndBackward() throws InterruptedException {
        // hardswish x (x + 3) / 6 at x = 1: (2x + 3) / 6; hardsigmoid (x + 3) / 6: 1 / 6
        assertThat(gradientAfterCollection(ActivationFunction.HARDSWISH, 1f)).isCloseTo(5f / 6, within(1e-6f));
        assertThat(gradientAfterCollection(ActivationFunction.HARDSIGMOID, 1f)).isCloseTo(1f / 6, within(1e-6f));
        assertThat(gradientAfterCollection(ActivationFunction.HARDSWISH, -4f)).isEqualTo(0f);
    }

    private static float gradientAfterCollection(ActivationFunction activation, float at) throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.full(new Shape(4), at);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = activation.apply(x).sum();
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    Thread.sleep(30);
                }
                collector.backward(y);
            }
            return x.getGradient().toFloatArray()[0];
        }
    }
}
