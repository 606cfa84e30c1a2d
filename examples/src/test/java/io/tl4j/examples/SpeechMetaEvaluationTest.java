package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's speech goal over seeds 1-3: nearest prototypes of the meta-trained encoder against
 * those of the shipped classification-pretrained encoder on the held-out espeak voices, at 1 and 3
 * clips per new word (prototypes only; no training, about a minute).
 */
class SpeechMetaEvaluationTest {

    @Tag("slow")
    @Test
    void metaPrototypesBeatShippedPrototypesAtOneAndThreeShots() {
        try (SpeechMetaEvaluation.Comparison comparison = new SpeechMetaEvaluation.Comparison()) {
            for (int shots : new int[] {1, 3}) {
                SpeechMetaEvaluation.Scores[] runs = Arrays.stream(SpeechMetaEvaluation.SEEDS)
                        .mapToObj(seed -> comparison.run(shots, seed, false))
                        .toArray(SpeechMetaEvaluation.Scores[]::new);
                double meta = SpeechMetaEvaluation.mean(runs, SpeechMetaEvaluation.Scores::protoMeta);
                double shipped = SpeechMetaEvaluation.mean(runs, SpeechMetaEvaluation.Scores::protoStandard);
                assertThat(meta - shipped)
                        .as("%d shots: meta %.3f vs shipped %.3f", shots, meta, shipped)
                        .isGreaterThanOrEqualTo(GOAL);
            }
        }
    }

    private static final double GOAL = 0.03;
}
