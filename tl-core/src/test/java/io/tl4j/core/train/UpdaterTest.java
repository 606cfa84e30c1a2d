package io.tl4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optimizers against the textbook updates, worked by hand for one weight matrix. */
class UpdaterTest {

    @Test
    void sgdWithMomentumAccumulatesVelocity() {
        try (NDManager m = NDManager.newBaseManager();
                Updater u = new Updater(OptimizerSpec.sgd(0.1f, 0.9f), m)) {
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

    @Test
    void adamAndAdamWFollowTorchOptimOverStepsWithAChangingLearningRate() {
        for (OptimizerSpec spec :
                List.of(OptimizerSpec.adam(0.05f).withWeightDecay(0.1f), OptimizerSpec.adamW(0.05f, 0.1f))) {
            boolean decoupled = spec.kind() == OptimizerSpec.Kind.ADAMW;
            double[] w = {0.5, -1.5, 2.0, 0.1};
            double[] bias = {0.3};
            double[] mw = new double[4];
            double[] vw = new double[4];
            double[] mb = new double[1];
            double[] vb = new double[1];
            try (NDManager m = NDManager.newBaseManager();
                    Updater u = new Updater(spec, m)) {
                NDArray weight = m.create(toFloats(w), new ai.djl.ndarray.types.Shape(2, 2));
                NDArray b = m.create(toFloats(bias));
                for (int step = 1; step <= 6; step++) {
                    float lr = 0.05f * (1f - 0.1f * step);
                    double[] gw = {0.2 * step, -0.7, 1e-4, 3.0 / step};
                    double[] gb = {-0.5 + 0.1 * step};
                    u.step(
                            List.of(new Updater.Target("w", weight, lr), new Updater.Target("b", b, lr)),
                            List.of(
                                    m.create(toFloats(gw), new ai.djl.ndarray.types.Shape(2, 2)),
                                    m.create(toFloats(gb))));
                    torchAdam(w, gw, mw, vw, step, lr, spec.weightDecay(), decoupled);
                    torchAdam(bias, gb, mb, vb, step, lr, 0, decoupled); // 1-D parameters are not decayed
                }
                assertThat(weight.toFloatArray()).as(spec.kind().name()).containsExactly(toFloats(w), within(5e-6f));
                assertThat(b.toFloatArray()).as(spec.kind().name()).containsExactly(toFloats(bias), within(5e-6f));
            }
        }
    }

    /** torch.optim.Adam / AdamW's update (no amsgrad) in double precision. */
    private static void torchAdam(
            double[] w, double[] g, double[] m, double[] v, int t, double lr, double wd, boolean decoupled) {
        double b1 = 0.9;
        double b2 = 0.999;
        for (int i = 0; i < w.length; i++) {
            double grad = decoupled ? g[i] : g[i] + wd * w[i];
            if (decoupled) {
                w[i] *= 1 - lr * wd;
            }
            m[i] = b1 * m[i] + (1 - b1) * grad;
            v[i] = b2 * v[i] + (1 - b2) * grad * grad;
            double denominator = Math.sqrt(v[i] / (1 - Math.pow(b2, t))) + 1e-8;
            w[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / denominator;
        }
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
