package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.selection.Score;
import io.tl4j.core.selection.SelectionProof;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The speech proof: LogME on 5 clips per word predicts how the keyword encoders fine-tune, seeds 1-3. */
class SpeechModelSelectionTest {

    @Tag("slow")
    @Test
    void logMePredictsFineTuningOfTheKeywordEncodersOverThreeSeeds() {
        SelectionProof proof = SpeechModelSelection.run(new long[] {1, 2, 3});
        assertThat(proof.candidates()).hasSize(4);
        assertThat(proof.kendallTau(Score.LOGME)).isGreaterThanOrEqualTo(0.6);
        assertThat(proof.topOneRegret(Score.LOGME)).isLessThanOrEqualTo(1.0);
        assertThat(proof.timeRatio()).isLessThanOrEqualTo(0.2);
    }
}
