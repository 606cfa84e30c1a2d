package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NLP quick start's claims on fixed seeds: with 32 labelled e-mails per class and 500 held-out
 * ones, fine-tuning and feature extraction of a pretrained MiniLM each beat the same architecture
 * trained from scratch by at least 15 points, and fine-tuning reaches 85%.
 */
class NlpQuickStartTest {

    private static void assertTransferBeatsScratch(NlpQuickStart.Result r) {
        double scratch = r.get("scratch 128");
        assertThat(r.trainSize()).isEqualTo(64);
        assertThat(r.testSize()).isEqualTo(500);
        assertThat(r.get("fine-tune 128")).isGreaterThanOrEqualTo(0.85);
        assertThat(r.get("fine-tune 128")).isGreaterThanOrEqualTo(scratch + 0.15);
        assertThat(r.get("features 128")).isGreaterThanOrEqualTo(scratch + 0.15);
        assertThat(r.get("bag of words")).isGreaterThan(0.85);
    }

    @Tag("slow")
    @Test
    void transferBeatsScratchOnSeedOne() {
        assertTransferBeatsScratch(NlpQuickStart.run(new NlpQuickStart.Config(1, 32, 500, false)));
    }

    @Tag("slow")
    @ParameterizedTest
    @ValueSource(longs = {2, 3})
    void transferBeatsScratchOnMoreSeeds(long seed) {
        assertTransferBeatsScratch(NlpQuickStart.run(new NlpQuickStart.Config(seed, 32, 500, false)));
    }
}
