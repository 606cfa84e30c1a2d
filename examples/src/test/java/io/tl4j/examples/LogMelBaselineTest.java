package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The log-mel baseline's statistics: values worked by hand, and a recording gain (a constant added to
 * every log-mel value) that leaves them unchanged.
 */
class LogMelBaselineTest {

    private static final float[][] LOG_MEL = {{1, 3}, {-2, -2}, {4, 10}};

    @Test
    void bandMeansLoseTheOverallMeanAndStandardDeviationsFollow() {
        // band means 2, -2, 7; overall mean 7/3; population standard deviations 1, 0, 3
        float[] stats = LogMelBaseline.bandStatistics(LOG_MEL);
        assertThat(stats).containsExactly(new float[] {2 - 7f / 3, -2 - 7f / 3, 7 - 7f / 3, 1, 0, 3}, within(1e-5f));
    }

    @Test
    void aRecordingGainChangesNothing() {
        float[][] louder = new float[LOG_MEL.length][];
        for (int b = 0; b < LOG_MEL.length; b++) {
            louder[b] = LOG_MEL[b].clone();
            for (int t = 0; t < louder[b].length; t++) {
                louder[b][t] += 4.6f; // x100 in power is +4.6 in natural log
            }
        }
        assertThat(LogMelBaseline.bandStatistics(louder))
                .containsExactly(LogMelBaseline.bandStatistics(LOG_MEL), within(1e-5f));
    }
}
