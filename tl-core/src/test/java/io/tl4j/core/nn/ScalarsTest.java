package io.tl4j.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tl4j.core.adapt.AdversarialObjective;
import io.tl4j.core.adapt.CoralLoss;
import io.tl4j.core.adapt.GradientReversal;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Gradients through array-number arithmetic must not depend on when the garbage collector runs:
 * {@link Scalars} keeps the number in libtorch's memory, while DJL's own {@code mul(Number)} leaves
 * the autograd graph pointing at a JVM buffer that a collection frees.
 */
class ScalarsTest {

    @Test
    void gradientsSurviveACollectionBetweenForwardAndBackward() throws InterruptedException {
        assertGradient(x -> Scalars.mul(x, 3), 3f);
        assertGradient(x -> Scalars.div(x, 4), 0.25f);
        assertGradient(x -> Scalars.add(x, 7), 1f);
        assertGradient(x -> Scalars.pow(x, 3), 12f); // 3 x^2 at x = 2
        assertGradient(x -> Scalars.maximum(x, 1), 1f);
        assertGradient(x -> Scalars.maximum(x, 5), 0f);
    }

    /** The domain-adaptation losses multiply and divide by numbers inside the graph, so they use {@link Scalars}. */
    @Test
    void adaptationGradientsSurviveACollection() throws InterruptedException {
        assertGradient(x -> GradientReversal.apply(x, 0.5f), -0.5f);
        // d/dx of (mean softplus(x) + mean softplus(-x)) / 2 over 4 values at x = 2: (sigmoid(2) - sigmoid(-2)) / 8
        double expected = (1 / (1 + Math.exp(-2)) - 1 / (1 + Math.exp(2))) / 8;
        assertThat(gradientAfterCollection(x -> AdversarialObjective.domainLoss(x, x)))
                .isCloseTo((float) expected, within(1e-6f));
        // CORAL between a batch and a constant batch: the gradient of the first row's first feature
        assertThat(gradientAfterCollection(x -> CoralLoss.loss(
                        x.mul(x.getManager().create(new float[] {1, 2, 3, 5})).reshape(2, 2),
                        x.getManager().create(new float[] {0, 0, 1, 1}, new Shape(2, 2)))))
                .isEqualTo(coralGradientWithoutCollection());
    }

    @Test
    void valuesEqualDjlsOwnOperationBitForBit() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(1000));
            assertThat(Scalars.div(x, Math.sqrt(32)).toFloatArray())
                    .containsExactly(x.div(Math.sqrt(32)).toFloatArray());
            assertThat(Scalars.mul(x, 0.044715f).toFloatArray())
                    .containsExactly(x.mul(0.044715f).toFloatArray());
            assertThat(Scalars.pow(x, 3).toFloatArray())
                    .containsExactly(x.pow(3).toFloatArray());
            assertThat(Scalars.maximum(x, 1e-12f).toFloatArray())
                    .containsExactly(x.maximum(1e-12f).toFloatArray());
            assertThat(Scalars.add(x, 1).toFloatArray())
                    .containsExactly(x.add(1f).toFloatArray());
        }
    }

    /** The control: the same check fails with DJL's own number operation, so the check can see the fault. */
    @Test
    void djlsOwnNumberOperationLosesItsNumberToTheCollector() throws InterruptedException {
        assertThat(gradientAfterCollection(x -> x.mul(3f))).isNotEqualTo(3f);
    }

    private static float coralGradientWithoutCollection() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.full(new Shape(4), 2f);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(CoralLoss.loss(
                        x.mul(manager.create(new float[] {1, 2, 3, 5})).reshape(2, 2),
                        manager.create(new float[] {0, 0, 1, 1}, new Shape(2, 2))));
            }
            return x.getGradient().toFloatArray()[0];
        }
    }

    private static void assertGradient(UnaryOperator<NDArray> op, float expected) throws InterruptedException {
        assertThat(gradientAfterCollection(op)).isEqualTo(expected);
    }

    /** Runs {@code op} on x = 2 with gradients recorded, lets the JVM free what it can, then runs backward. */
    private static float gradientAfterCollection(UnaryOperator<NDArray> op) throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.full(new Shape(4), 2f);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = op.apply(x).sum();
                collectGarbage();
                collector.backward(y);
            }
            return x.getGradient().toFloatArray()[0];
        }
    }

    /** Runs the collector and gives the JVM's cleaner thread time to free unreachable direct buffers. */
    static void collectGarbage() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(30);
        }
    }
}
