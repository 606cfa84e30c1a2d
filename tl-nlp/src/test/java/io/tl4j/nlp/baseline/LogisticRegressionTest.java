package io.tl4j.nlp.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    /** Three Gaussian blobs in 5 dimensions, with overlap. */
    private static float[][] blobs(int n, int[] labels, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[n][5];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int d = 0; d < 5; d++) {
                x[i][d] = (float) (random.nextGaussian() + (d == labels[i] ? 1.5 : 0));
            }
        }
        return x;
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        int[] y = new int[30];
        SparseVector[] x = java.util.Arrays.stream(blobs(30, y, 1))
                .map(SparseVector::dense)
                .toArray(SparseVector[]::new);
        LogisticRegression.Objective f = new LogisticRegression.Objective(x, y, 3, 5, 0.7);
        Random random = new Random(2);
        double[] w = new double[3 * 5 + 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian() * 0.3;
        }
        double[] g = new double[w.length];
        f.evaluate(w, g);
        double eps = 1e-6;
        for (int i = 0; i < w.length; i++) {
            double[] plus = w.clone();
            double[] minus = w.clone();
            plus[i] += eps;
            minus[i] -= eps;
            double numeric =
                    (f.evaluate(plus, new double[w.length]) - f.evaluate(minus, new double[w.length])) / (2 * eps);
            assertThat(g[i]).as("d/dw[%d]", i).isCloseTo(numeric, within(1e-5));
        }
    }

    @Test
    void fitReachesTheOptimumAndGeneralises() {
        int[] y = new int[300];
        float[][] x = blobs(300, y, 3);
        LogisticRegression model = LogisticRegression.fit(x, y, 3, 1.0);
        SparseVector[] sx = java.util.Arrays.stream(x).map(SparseVector::dense).toArray(SparseVector[]::new);
        double[] w = new double[18];
        for (int k = 0; k < 3; k++) {
            System.arraycopy(model.weights(k), 0, w, k * 5, 5);
            w[15 + k] = model.intercept(k);
        }
        double[] g = new double[18];
        new LogisticRegression.Objective(sx, y, 3, 5, 1.0).evaluate(w, g);
        double norm = Math.sqrt(java.util.Arrays.stream(g).map(v -> v * v).sum());
        assertThat(norm).as("gradient norm at the solution").isLessThan(1e-4);

        int[] ty = new int[600];
        float[][] tx = blobs(600, ty, 4);
        int correct = 0;
        for (int i = 0; i < tx.length; i++) {
            correct += model.predict(tx[i]) == ty[i] ? 1 : 0;
            assertThat(java.util.Arrays.stream(model.probabilities(tx[i])).sum())
                    .isCloseTo(1.0, within(1e-9));
        }
        // Bayes accuracy for these blobs is about 0.79; a fitted linear model gets close to it
        assertThat(correct / 600.0).isGreaterThan(0.72);
    }

    @Test
    void strongerRegularisationShrinksTheWeights() {
        int[] y = new int[90];
        float[][] x = blobs(90, y, 5);
        double weak = norm(LogisticRegression.fit(x, y, 3, 100));
        double strong = norm(LogisticRegression.fit(x, y, 3, 0.01));
        assertThat(strong).isLessThan(weak / 5);
    }

    @Test
    void badArgumentsAreRejected() {
        float[][] x = {{1f}, {2f}};
        assertThatThrownBy(() -> LogisticRegression.fit(x, new int[] {0, 2}, 2, 1))
                .hasMessageContaining("label 2 of example 1");
        assertThatThrownBy(() -> LogisticRegression.fit(x, new int[] {0, 1}, 2, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogisticRegression.fit(
                        new SparseVector[] {new SparseVector(new int[] {3}, new float[] {1})}, new int[] {0}, 2, 2, 1))
                .hasMessageContaining("outside [0, 2)");
        assertThatThrownBy(() -> new SparseVector(new int[] {2, 1}, new float[] {1, 1}))
                .hasMessageContaining("increase");
    }

    private static double norm(LogisticRegression model) {
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            for (double v : model.weights(k)) {
                sum += v * v;
            }
        }
        return Math.sqrt(sum);
    }

    @Test
    void fitTowardsStaysAtThePriorWhenRegularisedHardAndLeavesItForTheData() {
        int[] y = new int[90];
        float[][] x = blobs(90, y, 4);
        double[][] prior = new double[3][5];
        prior[0][1] = 2; // a deliberately wrong prior: class 0 on feature 1
        prior[1][0] = 2;
        prior[2][2] = 2;
        double[] intercepts = {0.5, -0.5, 0};
        LogisticRegression tight = LogisticRegression.fitTowards(x, y, 1e-6, prior, intercepts);
        for (int k = 0; k < 3; k++) {
            assertThat(tight.weights(k)).containsExactly(prior[k], within(1e-3));
        }
        LogisticRegression loose = LogisticRegression.fitTowards(x, y, 100, prior, intercepts);
        LogisticRegression plain = LogisticRegression.fit(x, y, 3, 100);
        int agree = 0;
        for (float[] v : x) {
            agree += loose.predict(v) == plain.predict(v) ? 1 : 0;
        }
        assertThat(agree).as("with weak regularisation the data decide").isGreaterThanOrEqualTo(85);
        assertThat(accuracy(loose, x, y)).isGreaterThan(accuracy(tight, x, y) + 0.3);
    }

    @Test
    void priorGradientMatchesFiniteDifferences() {
        int[] y = new int[12];
        SparseVector[] x = java.util.Arrays.stream(blobs(12, y, 5))
                .map(SparseVector::dense)
                .toArray(SparseVector[]::new);
        double[] center = new double[18];
        Random random = new Random(6);
        for (int i = 0; i < center.length; i++) {
            center[i] = random.nextGaussian();
        }
        LogisticRegression.Objective f = new LogisticRegression.Objective(x, y, 3, 5, 0.3, center);
        double[] w = new double[18];
        double[] g = new double[18];
        double at = f.evaluate(w, g);
        for (int i = 0; i < 15; i++) {
            double[] plus = w.clone();
            plus[i] += 1e-6;
            double numeric = (f.evaluate(plus, new double[18]) - at) / 1e-6;
            assertThat(g[i]).as("d/dw[%d]", i).isCloseTo(numeric, within(1e-4));
        }
    }

    @Test
    void aPriorOfTheWrongShapeIsRefused() {
        assertThatThrownBy(() -> LogisticRegression.fitTowards(
                        new float[][] {{1, 2}}, new int[] {0}, 1, new double[2][3], new double[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 classes of 3 weights")
                .hasMessageContaining("2 values");
    }

    private static double accuracy(LogisticRegression model, float[][] x, int[] y) {
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            correct += model.predict(x[i]) == y[i] ? 1 : 0;
        }
        return (double) correct / x.length;
    }
}
