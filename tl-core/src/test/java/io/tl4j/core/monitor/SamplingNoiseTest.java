package io.tl4j.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The sampling-noise floor under the drift thresholds: its levels against the chi-square and normal quantiles they
 * approximate, and, on synthetic traffic of a known distribution, that a profile of 90 examples is crossed by noise
 * alone at the default PSI threshold on 10 confidence bins but not with the monitor's rule (2 bins, raised class and
 * feature thresholds), while a real shift is still caught.
 */
class SamplingNoiseTest {

    private static final double[] MIX = {0.5, 0.3, 0.2};

    @Test
    void theLevelsAreTheChiSquareAndNormalQuantilesScaledByBothSampleSizes() {
        double spread = 1.0 / 90 + 1.0 / 500;
        // chi-square 0.999 quantiles: 27.877 (9 degrees of freedom), 18.467 (4), 10.828 (1)
        assertThat(SamplingNoise.psi(10, 90, 500) / spread).isCloseTo(27.877, within(0.3));
        assertThat(SamplingNoise.psi(5, 90, 500) / spread).isCloseTo(18.467, within(0.4));
        assertThat(SamplingNoise.psi(2, 90, 500) / spread).isBetween(10.828, 11.2);
        assertThat(SamplingNoise.featureShift(90, 500)).isCloseTo(3.2905 * Math.sqrt(spread), within(1e-12));
        assertThat(SamplingNoise.psi(10, 1000, 500)).isLessThan(SamplingNoise.psi(10, 90, 500));
        assertThatThrownBy(() -> SamplingNoise.psi(1, 90, 500)).hasMessageContaining("bins is out of range: 1");
        assertThatThrownBy(() -> SamplingNoise.featureShift(0, 500)).hasMessageContaining("referenceSize");
    }

    @Test
    void aSmallProfileRaisesTheThresholdsAndALargeOneKeepsTheDefaults() {
        DriftMonitor small = new DriftMonitor(new Traffic(1, MIX, 2.5, 0).profile(90, true));
        // three classes: noise reaches a class PSI of 0.185 at 90 examples, under the default 0.2
        assertThat(SamplingNoise.psi(3, 90, 500)).isCloseTo(0.185, within(0.001));
        assertThat(small.thresholds().classPsi()).isEqualTo(DriftMonitor.DEFAULT_PSI_THRESHOLD);
        // confidence: 10 deciles would need 0.368, 5 quintiles 0.245; 2 halves stay under 0.2 (0.146)
        assertThat(SamplingNoise.psi(10, 90, 500)).isCloseTo(0.368, within(0.001));
        assertThat(small.thresholds().confidenceBins()).isEqualTo(2);
        assertThat(small.thresholds().confidencePsi()).isEqualTo(DriftMonitor.DEFAULT_PSI_THRESHOLD);
        assertThat(small.thresholds().featureShift()).isCloseTo(0.377, within(0.001));
        DriftMonitor large = new DriftMonitor(new Traffic(1, MIX, 2.5, 0).profile(2000, true));
        assertThat(large.thresholds())
                .isEqualTo(new DriftMonitor.Thresholds(
                        DriftMonitor.DEFAULT_PSI_THRESHOLD,
                        DriftMonitor.DEFAULT_PSI_THRESHOLD,
                        DriftMonitor.DEFAULT_FEATURE_THRESHOLD,
                        ReferenceProfile.CONFIDENCE_BINS));
        // at 50 examples even 2 bins are noisier than 0.2: the threshold rises
        DriftMonitor tiny = new DriftMonitor(new Traffic(1, MIX, 2.5, 0).profile(50, false));
        assertThat(tiny.thresholds().confidenceBins()).isEqualTo(2);
        assertThat(tiny.thresholds().confidencePsi()).isEqualTo(SamplingNoise.psi(2, 50, 500));
    }

    @Test
    void noiseAloneCrossesTheDefaultThresholdOfANinetyExampleProfileOnTenBinsButNotWithTheRule() {
        int trials = 400;
        int overDefault = 0;
        int alerted = 0;
        for (int t = 0; t < trials; t++) {
            ReferenceProfile profile = new Traffic(2L * t, MIX, 2.5, 0).profile(90, true);
            DriftMonitor monitor = new DriftMonitor(profile);
            // thresholds of 1 keep the 10 decile bins: the statistic as it was before the noise rule
            DriftMonitor deciles = new DriftMonitor(profile, DriftMonitor.DEFAULT_WINDOW, 50, 1, 1);
            Traffic live = new Traffic(2L * t + 1, MIX, 2.5, 0);
            for (int i = 0; i < DriftMonitor.DEFAULT_WINDOW; i++) {
                float[] p = live.probabilities();
                float[] f = live.features();
                monitor.observe(p, f);
                deciles.observe(p, f);
            }
            overDefault += deciles.status().confidencePsi() > DriftMonitor.DEFAULT_PSI_THRESHOLD ? 1 : 0;
            alerted += monitor.alerts().isEmpty() ? 0 : 1;
        }
        System.out.printf(
                "90-example profiles, first window of 500: %d of %d over confidence PSI 0.2, %d alerting%n",
                overDefault, trials, alerted);
        // expected: P(chi2(9) > 0.2 / (1/90 + 1/500)) = 8 % of first windows over 0.2 on 10 bins (32 of 400); at
        // most 0.1 % per statistic with the rule (about 1 of 400)
        assertThat(overDefault)
                .as("first windows whose confidence PSI is over 0.2")
                .isGreaterThanOrEqualTo(12);
        assertThat(alerted).as("first windows that alert").isLessThanOrEqualTo(4);
    }

    @Test
    void aNinetyExampleProfileStillCatchesAConfidenceDropAndAFeatureShift() {
        DriftMonitor monitor = new DriftMonitor(new Traffic(3, MIX, 2.5, 0).profile(90, true));
        feed(monitor, new Traffic(4, MIX, 2.5, 0), 5000);
        assertThat(monitor.alerts())
                .as("alerts over 5,000 in-distribution observations")
                .isEmpty();
        feed(monitor, new Traffic(5, MIX, 0.8, 0.6), DriftMonitor.DEFAULT_WINDOW);
        assertThat(monitor.alerts()).extracting(DriftAlert::statistic).contains("confidence_psi", "feature_shift");
    }

    private static void feed(DriftMonitor monitor, Traffic traffic, int count) {
        for (int i = 0; i < count; i++) {
            monitor.observe(traffic.probabilities(), traffic.features());
        }
    }
}
