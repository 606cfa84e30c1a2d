package io.tl4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The optimizers against the textbook updates, worked by hand for one weight matrix. */
class UpdaterTest {

    @Test
    void sgdWithMomentumAccumulatesVelocity() {
        try (NDManager m = NDManager.newBaseManager(); Updater u = new Updater(OptimizerSpec.sgd(0.1f, 0.9f), m)) {
            NDArray w = m.create(new float[] {1f, 2f}, new ai.djl.ndarray.types.Shape(1, 2));
            NDArray g = m.create(new float[] {0.5f, -1f}, new ai.djl.ndarray.types.Shape(1, 2));
            u.step(List.of(new Updater.Target("w", w, 0.1f)), List.of(g));
            u.step(List.of(new Updater.Target("w", w, 0.1f)), List.of(g));
            // v1 = g, v2 = 0.9 g + g = 1.9 g; w = w0 - 0.1 (g + 1.9 g) = w0 - 0.29 g
            assertThat(w.toFloatArray()).containsExactly(new float[] {1f - 0.145f, 2f + 0.29f}, within(1e-6f));
            assertThat(u.state()).containsKey("w.momentum");
        }
    }

    @Test
    void adamWFirstStepMovesEachWeightByTheLearningRateAndDecaysIt() {
        try (NDManager m = NDManager.newBaseManager();
                Updater u = new Updater(OptimizerSpec.adamW(0.01f, 0.1f), m)) {
            NDArray w = m.create(new float[] {1f, -2f}, new ai.djl.ndarray.types.Shape(1, 2));
            NDArray g = m.create(new float[] {0.3f, -4f}, new ai.djl.ndarray.types.Shape(1, 2));
            u.step(List.of(new Updater.Target("w", w, 0.01f)), List.of(g));
            // decoupled decay: w *= 1 - lr*wd; bias-corrected first Adam step is lr * sign(g)
            float[] expected = {1f * 0.999f - 0.01f, -2f * 0.999f + 0.01f};
            assertThat(w.toFloatArray()).containsExactly(expected, within(1e-5f));
            assertThat(u.steps()).isEqualTo(1);
        }
    }

    @Test
    void clippingScalesTheGlobalNormDown() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {3f});
            NDArray b = m.create(new float[] {4f});
            double norm = Updater.clipByGlobalNorm(List.of(a, b), 1.0);
            assertThat(norm).isCloseTo(5.0, within(1e-6));
            assertThat(a.getFloat()).isCloseTo(0.6f, within(1e-5f));
            assertThat(b.getFloat()).isCloseTo(0.8f, within(1e-5f));
        }
    }
}
