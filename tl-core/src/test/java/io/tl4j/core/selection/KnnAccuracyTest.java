package io.tl4j.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Leave-one-out kNN accuracy on points in the plane whose answer can be worked out by hand. */
class KnnAccuracyTest {

    /** Unit vectors at the given angles in degrees; cosine similarity is then the cosine of the angle between. */
    private static float[][] at(double... degrees) {
        float[][] f = new float[degrees.length][];
        for (int i = 0; i < degrees.length; i++) {
            double r = Math.toRadians(degrees[i]);
            f[i] = new float[] {(float) Math.cos(r), (float) Math.sin(r)};
        }
        return f;
    }

    @Test
    void twoTightClustersAreAllRight() {
        float[][] f = at(0, 10, 20, 80, 90, 100);
        int[] y = {0, 0, 0, 1, 1, 1};
        assertThat(KnnAccuracy.score(f, y, 2, 1)).isEqualTo(1.0);
        assertThat(KnnAccuracy.score(f, y, 2, 2)).isEqualTo(1.0);
    }

    @Test
    void aStrayPointAndTheNeighboursItMisleadsAreWrong() {
        // class 0 at 0, 10, 20 and a stray class-0 point at 86; class 1 at 80, 90, 100.
        // k=1: 86 -> 90 (1) wrong; 80 -> 86 (0) wrong; 90 -> 86 (0) wrong; 100 -> 90 right; others right.
        float[][] f = at(0, 10, 20, 86, 80, 90, 100);
        int[] y = {0, 0, 0, 0, 1, 1, 1};
        assertThat(KnnAccuracy.score(f, y, 2, 1)).isEqualTo(4.0 / 7);
        // k=3: 86 -> 90, 80, 100 (all 1) wrong; 80 -> 86, 90, 100: 1 beats 0, right; 90 -> 86, 80, 100: right
        assertThat(KnnAccuracy.score(f, y, 2, 3)).isEqualTo(6.0 / 7);
    }

    @Test
    void aTiedVoteGoesToTheMoreSimilarClassThenToTheLowerIndex() {
        // k=2 for the point at 0: neighbours at 10 (class 1) and 30 (class 0): one vote each,
        // class 1's neighbour is closer, so class 1 wins and the point (class 0) is wrong
        float[][] f = at(0, 10, 30);
        int[] y = {0, 1, 0};
        // 0 -> {10 (1), 30 (0)} tie, 1 is closer: wrong. 10 -> {0 (0), 30 (0)}: wrong (it is 1).
        // 30 -> {10 (1), 0 (0)}: tie, 1 closer: wrong.
        assertThat(KnnAccuracy.score(f, y, 2, 2)).isEqualTo(0.0);
        // exactly equal similarity: the neighbours of the point at 0 are at +20 (class 1) and -20 (class 0)
        float[][] g = at(0, 20, -20);
        assertThat(KnnAccuracy.score(g, new int[] {1, 1, 0}, 2, 2))
                .as("0 -> {20 (1), -20 (0)} tie in votes and similarity: class 0, wrong; 20 -> {0 (1), -20 (0)}:"
                        + " 1 closer, right; -20 -> {0 (1), 20 (1)}: wrong")
                .isEqualTo(1.0 / 3);
    }

    @Test
    void moreNeighboursThanOtherExamplesUsesThemAll() {
        float[][] f = at(0, 10, 90);
        int[] y = {0, 0, 1};
        // k = 5 becomes 2: every point sees the other two; 0 and 10 see one 0 and one 1 (the 0 closer): right;
        // 90 sees two 0s: wrong
        assertThat(KnnAccuracy.score(f, y, 2, 5)).isEqualTo(2.0 / 3);
        assertThatThrownBy(() -> KnnAccuracy.score(f, y, 2, 0)).hasMessageContaining("k >= 1");
    }
}
