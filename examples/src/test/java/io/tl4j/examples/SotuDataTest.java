package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.data.LabeledData;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The vendored State of the Union passages read as the drift phase uses them: 699 distinct passages of 300-800
 * characters, labelled with the president's party, and the drift thresholds read back from the server's metrics.
 */
class SotuDataTest {

    @Test
    void readsEveryPassageWithItsParty() {
        LabeledData<String> passages = SotuData.load();
        assertThat(passages.size()).isEqualTo(699);
        assertThat(passages.classNames()).contains("Democratic", "Republican", "Federalist", "none");
        Set<String> distinct = new HashSet<>(passages.inputs());
        assertThat(distinct).hasSize(699);
        for (String passage : passages.inputs()) {
            assertThat(passage.length()).as(passage).isBetween(300, 800);
        }
        assertThat(passages.input(0)).startsWith("Fellow-Citizens of the Senate and House of Representatives");
    }

    @Test
    void driftThresholdsAreReadPerStatistic() {
        String metrics = "tl4j_drift_threshold{model=\"spam\",statistic=\"class_psi\"} 0.2\n"
                + "tl4j_drift_threshold{model=\"spam\",statistic=\"feature_shift\"} 0.377\n";
        assertThat(ServingDrift.threshold(metrics, "feature_shift")).isEqualTo(0.377);
        assertThat(ServingDrift.threshold(metrics, "class_psi")).isEqualTo(0.2);
    }
}
