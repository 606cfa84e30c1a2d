package io.tl4j.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Kendall's tau-b on orderings worked out by hand (and equal to scipy.stats.kendalltau). */
class KendallTauTest {

    @Test
    void sameOrderIsOneReverseIsMinusOne() {
        double[] x = {0.1, 0.5, 0.3, 0.9};
        assertThat(KendallTau.of(x, new double[] {1, 3, 2, 4})).isEqualTo(1.0);
        assertThat(KendallTau.of(x, new double[] {4, 2, 3, 1})).isEqualTo(-1.0);
    }

    @Test
    void oneSwappedPairOfFourIsTwoThirds() {
        // 6 pairs, 5 concordant, 1 discordant: (5 - 1) / 6
        assertThat(KendallTau.of(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}))
                .isCloseTo(4.0 / 6, within(1e-12));
    }

    @Test
    void tiesUseTauB() {
        // pairs: 5 concordant, 1 tied in x only: 5 / sqrt(6 * 5); scipy gives 0.9128709291752769
        assertThat(KendallTau.of(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4}))
                .isCloseTo(0.9128709291752769, within(1e-12));
        assertThat(KendallTau.of(new double[] {1, 1, 1}, new double[] {1, 2, 3}))
                .isNaN();
    }

    @Test
    void badInputSaysWhat() {
        assertThatThrownBy(() -> KendallTau.of(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 2 and 1");
        assertThatThrownBy(() -> KendallTau.of(new double[] {1}, new double[] {1}))
                .hasMessageContaining("at least 2 items");
        assertThatThrownBy(() -> KendallTau.of(new double[] {1, Double.NaN}, new double[] {1, 2}))
                .hasMessageContaining("item 1 has a NaN");
    }
}
