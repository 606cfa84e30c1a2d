package io.tl4j.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cross-validated logistic regression: separable data is learned, random labels are not. */
class LinearProbeTest {

    @Test
    void separableClassesScoreAboutOne() {
        Random random = new Random(1);
        int n = 60;
        float[][] f = new float[n][12];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int a = 0; a < 12; a++) {
                f[i][a] = (float) random.nextGaussian() + (a == y[i] ? 4f : 0f);
            }
        }
        assertThat(LinearProbe.score(f, y, 3, 5, 1.0, 42)).isGreaterThanOrEqualTo(0.98);
    }

    @Test
    void randomLabelsScoreAboutChance() {
        Random random = new Random(2);
        int n = 200;
        float[][] f = new float[n][20];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(2);
            for (int a = 0; a < 20; a++) {
                f[i][a] = (float) random.nextGaussian();
            }
        }
        assertThat(LinearProbe.score(f, y, 2, 5, 1.0, 42)).isCloseTo(0.5, within(0.1));
    }

    @Test
    void theSameSeedGivesTheSameScore() {
        Random random = new Random(4);
        float[][] f = new float[30][5];
        int[] y = new int[30];
        for (int i = 0; i < 30; i++) {
            y[i] = i % 2;
            for (int a = 0; a < 5; a++) {
                f[i][a] = (float) random.nextGaussian() + y[i] * 0.5f;
            }
        }
        assertThat(LinearProbe.score(f, y, 2, 5, 1.0, 7)).isEqualTo(LinearProbe.score(f, y, 2, 5, 1.0, 7));
    }

    @Test
    void lbfgsFindsTheMinimumOfTheRosenbrockFunction() {
        double[] x = {-1.2, 1.0};
        double value = Lbfgs.minimize(
                (p, g) -> {
                    double a = 1 - p[0];
                    double b = p[1] - p[0] * p[0];
                    g[0] = -2 * a - 400 * p[0] * b;
                    g[1] = 200 * b;
                    return a * a + 100 * b * b;
                },
                x,
                500,
                1e-9);
        assertThat(value).isLessThan(1e-12);
        assertThat(x[0]).isCloseTo(1.0, within(1e-5));
        assertThat(x[1]).isCloseTo(1.0, within(1e-5));
    }
}
