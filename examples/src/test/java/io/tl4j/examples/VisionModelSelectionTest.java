package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.selection.Score;
import io.tl4j.core.selection.SelectionProof;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The vision proof over seeds 1-3, LogME on 10 digits per class against how the catalog's ResNets
 * fine-tune: it asserts the goals the measured seeds meet, top-1 regret of at most 1 point (measured 0:
 * LogME picks the shipped ResNet, best by 10 points) and selection in at most a fifth of the time of
 * fine-tuning all (measured 0.18). It does not assert the tau goal of 0.6, which LogME misses here
 * (0.33: it ranks the untrained copy last, which fine-tunes above both smaller variants); see {@link
 * VisionModelSelection} and the README's "Which model?".
 */
class VisionModelSelectionTest {

    @Tag("slow")
    @Test
    void logMePicksTheBestFashionMnistResNetOverThreeSeedsInAFifthOfTheTime() {
        SelectionProof proof = VisionModelSelection.run(new long[] {1, 2, 3});
        assertThat(proof.candidates()).hasSize(4);
        assertThat(proof.topOneRegret(Score.LOGME)).isLessThanOrEqualTo(1.0);
        assertThat(proof.timeRatio()).isLessThanOrEqualTo(0.2);
    }
}
