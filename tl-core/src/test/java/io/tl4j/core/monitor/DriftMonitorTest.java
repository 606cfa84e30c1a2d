package io.tl4j.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift monitoring on synthetic traffic whose distribution is known: silent over in-distribution traffic,
 * alerting soon after the class mix, the confidence or the features move.
 */
class DriftMonitorTest {

    private static final double[] MIX = {0.5, 0.3, 0.2};

    private static ReferenceProfile reference(boolean withFeatures) {
        return new Traffic(1, MIX, 2.5, 0).profile(2000, withFeatures);
    }

    /** Feeds {@code count} observations and returns the number fed when the first alert came, or -1. */
    private static int feed(DriftMonitor monitor, Traffic traffic, int count, boolean withFeatures) {
        int before = monitor.alerts().size();
        for (int i = 0; i < count; i++) {
            monitor.observe(traffic.probabilities(), withFeatures ? traffic.features() : null);
            if (monitor.alerts().size() > before) {
                return i + 1;
            }
        }
        return -1;
    }

    @Test
    void thePopulationStabilityIndexOfAKnownPair() {
        // (0.9 - 0.5) ln(0.9 / 0.5) + (0.1 - 0.5) ln(0.1 / 0.5)
        double expected = 0.4 * Math.log(1.8) + 0.4 * Math.log(5);
        assertThat(PopulationStability.index(new double[] {0.5, 0.5}, new double[] {9, 1}))
                .isCloseTo(expected, within(1e-12));
        assertThat(PopulationStability.index(new double[] {1, 2, 3}, new double[] {2, 4, 6}))
                .isZero();
        assertThatThrownBy(() -> PopulationStability.index(new double[] {1, 1}, new double[] {1}))
                .hasMessageContaining("same number of bins");
        assertThatThrownBy(() -> PopulationStability.index(new double[] {1, Double.NaN}, new double[] {1, 1}))
                .hasMessageContaining("expected bin 1 is NaN");
    }

    @Test
    void staysSilentOverFiveThousandInDistributionObservations() {
        DriftMonitor monitor = new DriftMonitor(reference(true));
        assertThat(feed(monitor, new Traffic(2, MIX, 2.5, 0), 5000, true)).isEqualTo(-1);
        assertThat(monitor.observations()).isEqualTo(5000);
        DriftMonitor.DriftStatus status = monitor.status();
        assertThat(status.classPsi()).isLessThan(0.05);
        assertThat(status.confidencePsi()).isLessThan(0.06);
        assertThat(status.featureShift()).isLessThan(0.1);
    }

    @Test
    void aClassMixShiftAlertsWithinOneWindowAndOnlyOnce() {
        List<DriftAlert> heard = new ArrayList<>();
        DriftMonitor monitor = new DriftMonitor(reference(false)).listener(heard::add);
        assertThat(feed(monitor, new Traffic(3, MIX, 2.5, 0), 1000, false)).isEqualTo(-1);
        int after = feed(monitor, new Traffic(4, new double[] {0.2, 0.3, 0.5}, 2.5, 0), 2000, false);
        assertThat(after).isBetween(1, DriftMonitor.DEFAULT_WINDOW);
        assertThat(heard).hasSize(1);
        assertThat(heard.get(0).statistic()).isEqualTo("class_psi");
        assertThat(heard.get(0).value()).isGreaterThan(DriftMonitor.DEFAULT_PSI_THRESHOLD);
        // the shift goes on: the statistic stays above its threshold, so no second alert
        feed(monitor, new Traffic(5, new double[] {0.2, 0.3, 0.5}, 2.5, 0), 1000, false);
        assertThat(heard).hasSize(1);
    }

    @Test
    void aConfidenceShiftAlertsOnTheConfidence() {
        DriftMonitor monitor = new DriftMonitor(reference(false));
        feed(monitor, new Traffic(6, MIX, 2.5, 0), 600, false);
        int after = feed(monitor, new Traffic(7, MIX, 0.8, 0), 2000, false);
        assertThat(after).isBetween(1, DriftMonitor.DEFAULT_WINDOW);
        assertThat(monitor.alerts()).extracting(DriftAlert::statistic).contains("confidence_psi");
    }

    @Test
    void aFeatureShiftAlertsOnTheFeaturesAlone() {
        DriftMonitor monitor = new DriftMonitor(reference(true));
        feed(monitor, new Traffic(8, MIX, 2.5, 0), 600, true);
        int after = feed(monitor, new Traffic(9, MIX, 2.5, 0.6), 2000, true);
        assertThat(after).isBetween(1, DriftMonitor.DEFAULT_WINDOW);
        assertThat(monitor.alerts()).extracting(DriftAlert::statistic).containsExactly("feature_shift");
    }

    @Test
    void aSavedProfileLoadsBackAndMonitorsAlike(@TempDir Path dir) throws IOException {
        ReferenceProfile profile = reference(true);
        Path file = dir.resolve("profile.json");
        profile.save(file);
        ReferenceProfile loaded = ReferenceProfile.load(file);
        assertThat(loaded.classFractions()).containsExactly(profile.classFractions());
        assertThat(loaded.confidenceFractions()).containsExactly(profile.confidenceFractions());
        assertThat(loaded.featureSize()).isEqualTo(Traffic.DIMS);
        DriftMonitor a = new DriftMonitor(profile);
        DriftMonitor b = new DriftMonitor(loaded);
        feed(a, new Traffic(10, MIX, 1.5, 0.2), 700, true);
        feed(b, new Traffic(10, MIX, 1.5, 0.2), 700, true);
        assertThat(b.status()).isEqualTo(a.status());

        Files.writeString(dir.resolve("broken.json"), "{\"examples\": 3}");
        assertThatThrownBy(() -> ReferenceProfile.load(dir.resolve("broken.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.json");
    }

    @Test
    void badInputIsRefusedNamingWhatAndWhere() {
        assertThatThrownBy(() -> ReferenceProfile.of(new float[10][3], null))
                .hasMessageContaining("at least 50 held-out examples, got 10");
        DriftMonitor monitor = new DriftMonitor(reference(false));
        assertThatThrownBy(() -> monitor.observe(new float[] {0.5f, 0.5f}))
                .hasMessageContaining("Observation 0 has 2 class probabilities, expected 3");
        assertThatThrownBy(() -> monitor.observe(new float[] {0.5f, Float.NaN, 0.5f}))
                .hasMessageContaining("Observation 0 holds NaN for class 1");
        assertThatThrownBy(() -> monitor.observe(new float[] {0.5f, 0.3f, 0.2f}, new float[Traffic.DIMS]))
                .hasMessageContaining("no features");
        assertThatThrownBy(() -> new DriftMonitor(reference(false), 10, 5, 0.2, 0.25))
                .hasMessageContaining("window must be at least 50");
        assertThat(monitor.observations()).isZero();
    }

    @Test
    void profilesATrainedModelsPredictionsOnHeldOutInputs() {
        Random random = new Random(11);
        List<float[]> inputs = new ArrayList<>();
        int[] labels = new int[120];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            float[] x = new float[4];
            for (int d = 0; d < 4; d++) {
                x[d] = (float) random.nextGaussian() + (labels[i] == 0 ? 1 : -1);
            }
            inputs.add(x);
        }
        try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                        .setArchitecture(Architectures.mlp(8))
                        .setPipeline(TensorPipeline.of(new Shape(4)))
                        .build();
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .epochs(2)
                        .progressBar(false)
                        .fit(LabeledData.of(inputs, labels, List.of("up", "down")))) {
            ReferenceProfile profile = ReferenceProfile.of(model, inputs);
            int[] predicted = model.predict(inputs);
            double ones = 0;
            for (int p : predicted) {
                ones += p;
            }
            assertThat(profile.examples()).isEqualTo(120);
            assertThat(profile.classFractions()[1]).isCloseTo(ones / 120, within(1e-12));
            assertThat(profile.featureSize()).isZero();
        }
    }
}
