package io.tl4j.core.adapt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PseudoLabelSelectionTest {

    /** Six predictions: rows 0-3 lean to class 0 (0.95, 0.6, 0.8, 0.7), rows 4-5 to class 1 (0.55, 0.99). */
    private static final float[][] PROBABILITIES = {
        {0.95f, 0.05f}, {0.6f, 0.4f}, {0.8f, 0.2f}, {0.7f, 0.3f}, {0.45f, 0.55f}, {0.01f, 0.99f}
    };

    @Test
    void aThresholdTakesExactlyThePredictionsThatReachItInEveryRound() {
        PseudoLabelSelection selection = PseudoLabelSelection.threshold(0.8);

        assertThat(selection.select(PROBABILITIES, 1)).containsExactly(0, 2, 5);
        assertThat(selection.select(PROBABILITIES, 3)).containsExactly(0, 2, 5);
        assertThat(PseudoLabelSelection.threshold(0.999).select(PROBABILITIES, 1))
                .isEmpty();
        assertThat(selection.isClassBalanced()).isFalse();
        assertThat(selection.threshold()).isEqualTo(0.8);
    }

    @Test
    void classBalancedTakesTheMostConfidentShareOfEachPredictedClassGrowingByRound() {
        PseudoLabelSelection selection = PseudoLabelSelection.classBalanced(0.25);

        // round 1: a quarter of class 0's four (row 0) and at least one of class 1's two (row 5)
        assertThat(selection.select(PROBABILITIES, 1)).containsExactly(0, 5);
        // round 2: half of each: rows 0 and 2 of class 0, row 5 of class 1
        assertThat(selection.select(PROBABILITIES, 2)).containsExactly(0, 2, 5);
        // round 4 and later: all
        assertThat(selection.select(PROBABILITIES, 4)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(selection.select(PROBABILITIES, 9)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(selection.isClassBalanced()).isTrue();
        assertThat(selection).hasToString("class-balanced 0.25");
    }

    @Test
    void equalPerClassTakesTheSameNumberOfEachPredictedClassCappedByTheRarestOne() {
        PseudoLabelSelection selection = PseudoLabelSelection.equalPerClass(0.34);

        // round 1: round(0.34 * 6 / 2) = 1 of each class: rows 0 and 5
        assertThat(selection.select(PROBABILITIES, 1)).containsExactly(0, 5);
        // round 2: 2 of each: rows 0, 2 of class 0 and both of class 1
        assertThat(selection.select(PROBABILITIES, 2)).containsExactly(0, 2, 4, 5);
        // round 3 would take 3 of each, but class 1 has only 2 predictions: still 2 of each
        assertThat(selection.select(PROBABILITIES, 3)).containsExactly(0, 2, 4, 5);
        assertThat(selection.isClassBalanced()).isTrue();
        assertThat(selection).hasToString("equal per class 0.34");
    }

    @Test
    void equalPerClassTakesNothingWhenAClassIsNeverPredicted() {
        float[][] oneSided = {{0.9f, 0.1f}, {0.6f, 0.4f}, {0.7f, 0.3f}};

        assertThat(PseudoLabelSelection.equalPerClass(1).select(oneSided, 1)).isEmpty();
        assertThat(PseudoLabelSelection.classBalanced(1).select(oneSided, 1)).containsExactly(0, 1, 2);
    }

    @Test
    void argMaxTakesTheFirstClassOnATie() {
        assertThat(PseudoLabelSelection.argMax(new float[][] {{0.5f, 0.5f}, {0.2f, 0.8f}}))
                .containsExactly(0, 1);
    }

    @Test
    void badSettingsAndRaggedProbabilitiesAreRefusedWithTheirValues() {
        assertThatThrownBy(() -> PseudoLabelSelection.threshold(0)).hasMessageContaining("threshold must be in (0, 1]");
        assertThatThrownBy(() -> PseudoLabelSelection.classBalanced(1.5))
                .hasMessageContaining("fraction must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> PseudoLabelSelection.equalPerClass(0))
                .hasMessageContaining("fraction must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> PseudoLabelSelection.threshold(0.5).select(PROBABILITIES, 0))
                .hasMessageContaining("round must be >= 1");
        assertThatThrownBy(() -> PseudoLabelSelection.threshold(0.5).select(new float[][] {{0.5f, 0.5f}, {1f}}, 1))
                .hasMessageContaining("probability row 1 has 1 classes, row 0 has 2");
    }
}
