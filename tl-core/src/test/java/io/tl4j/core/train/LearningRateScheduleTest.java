package io.tl4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constantIsOne() {
        assertThat(LearningRateSchedule.constant().factor(57, 100)).isEqualTo(1.0);
    }

    @Test
    void warmupCosineRisesLinearlyThenDecaysToZero() {
        LearningRateSchedule s = LearningRateSchedule.warmupCosine(0.1);
        assertThat(s.factor(0, 100)).isCloseTo(0.1, within(1e-12));
        assertThat(s.factor(9, 100)).isCloseTo(1.0, within(1e-12));
        assertThat(s.factor(10, 100)).isCloseTo(1.0, within(1e-12));
        assertThat(s.factor(55, 100)).isCloseTo(0.5, within(1e-12));
        assertThat(s.factor(100, 100)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void oneCycleStartsAtOneTwentyFifthPeaksAndAnnealsLikePyTorch() {
        LearningRateSchedule s = LearningRateSchedule.oneCycle(0.25);
        assertThat(s.factor(0, 100)).isCloseTo(0.04, within(1e-12));
        assertThat(s.factor(25, 100)).isCloseTo(1.0, within(1e-12));
        assertThat(s.factor(100, 100)).isCloseTo(0.04 / 1e4, within(1e-12));
        assertThat(s.factor(62, 100)).isLessThan(s.factor(40, 100));
    }
}
