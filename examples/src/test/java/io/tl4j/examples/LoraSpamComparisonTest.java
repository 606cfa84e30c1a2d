package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's LoRA goal over seeds 1-3 on the spam task at 32 labelled e-mails per class (MiniLM, 128
 * tokens, 500 held out per seed): LoRA within 1 point of full fine-tuning on the mean with at most 1 % of
 * its trainable parameters. The 128-per-class runs take about 25 minutes a seed and are measured by
 * {@link LoraSpamComparison}'s main, not here.
 */
class LoraSpamComparisonTest {

    private static final long[] SEEDS = {1, 2, 3};
    private static final int PER_CLASS = 32;

    @Tag("slow")
    @Test
    void loraIsWithinOnePointOfFullFineTuningWithUnderOnePercentOfTheParameters() {
        LoraSpamComparison.Scores[] runs = Arrays.stream(SEEDS)
                .mapToObj(seed -> LoraSpamComparison.run(seed, PER_CLASS, LoraSpamComparison.TEST_SIZE, false))
                .toArray(LoraSpamComparison.Scores[]::new);
        double lora = mean(runs, LoraSpamComparison.Scores::lora);
        double full = mean(runs, LoraSpamComparison.Scores::full);
        assertThat(lora)
                .as("LoRA %.3f against full fine-tuning %.3f over seeds 1-3", lora, full)
                .isGreaterThanOrEqualTo(full - 0.01);
        for (LoraSpamComparison.Scores run : runs) {
            assertThat(run.loraParams()).isPositive().isLessThanOrEqualTo(run.fullParams() / 100);
        }
    }

    private static double mean(LoraSpamComparison.Scores[] runs, ToDoubleFunction<LoraSpamComparison.Scores> score) {
        return Arrays.stream(runs).mapToDouble(score).average().orElseThrow();
    }
}
