package io.tl4j.core.adapt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class CoralLossTest {

    private static final float[] SOURCE = {1, 2, 0, 3, -1, 4, 2, 2, 1, 0, 5, -2};
    private static final float[] TARGET = {0, 1, 1, 2, 2, 0, -1, 3, 1, 1, 0, 0, 4, 1, 2};

    @Test
    void equalsTheFrobeniusDistanceOfCovariancesOverFourDSquared() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(SOURCE, new Shape(4, 3));
            NDArray t = m.create(TARGET, new Shape(5, 3));
            double expected = 0;
            double[][] cs = covariance(SOURCE, 4, 3);
            double[][] ct = covariance(TARGET, 5, 3);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    expected += (cs[i][j] - ct[i][j]) * (cs[i][j] - ct[i][j]);
                }
            }
            expected /= 4 * 9;
            assertThat(CoralLoss.loss(s, t).getFloat()).isCloseTo((float) expected, within(1e-5f));
            assertThat(expected).isGreaterThan(0.5);
            assertThat(CoralLoss.loss(s, s.mul(-1).add(7)).getFloat()).isCloseTo(0f, within(1e-5f));
        }
    }

    @Test
    void itsGradientMovesTheSourceCovarianceTowardsTheTarget() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(SOURCE, new Shape(4, 3));
            NDArray t = m.create(TARGET, new Shape(5, 3));
            s.setRequiresGradient(true);
            float before = CoralLoss.loss(s, t).getFloat();
            NDArray grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(CoralLoss.loss(s, t));
            }
            grad = s.getGradient();
            NDArray moved = s.sub(grad.mul(0.5f));
            assertThat(CoralLoss.loss(moved, t).getFloat()).isLessThan(before);
        }
    }

    @Test
    void refusesABatchOfOneAndMismatchedFeatureSizes() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> CoralLoss.loss(m.ones(new Shape(1, 3)), m.ones(new Shape(4, 3))))
                    .hasMessageContaining("at least two source examples");
            assertThatThrownBy(() -> CoralLoss.loss(m.ones(new Shape(4, 3)), m.ones(new Shape(4, 2))))
                    .hasMessageContaining("same feature size");
        }
    }

    private static double[][] covariance(float[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j] / (double) n;
            }
        }
        double[][] c = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    c[a][b] += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]) / (n - 1);
                }
            }
        }
        return c;
    }
}
