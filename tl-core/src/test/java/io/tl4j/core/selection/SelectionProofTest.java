package io.tl4j.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tau, regret and time of a selection against fine-tuned accuracies worked out by hand. */
class SelectionProofTest {

    private static CandidateResult row(String name, double logMe, double knn) {
        return new CandidateResult(name, false, "", Map.of(Score.LOGME, logMe, Score.KNN, knn), null, 1.0, null);
    }

    private static SelectionReport report() {
        List<CandidateResult> rows = List.of(
                row("a", -0.3, 0.80),
                row("b", -0.5, 0.90),
                row("c", -0.4, 0.70),
                row("d", -0.9, 0.60),
                CandidateResult.ofError("broken", false, "", 0.5, "IllegalStateException: no artifact"));
        return new SelectionReport(rows, List.of(Score.LOGME, Score.KNN), Score.LOGME, 64, List.of("x", "y"), 12.0);
    }

    /** Means: a 0.90, b 0.85, c 0.88, d 0.70; fine-tuning orders them a > c > b > d. */
    private static Map<String, double[]> accuracies() {
        Map<String, double[]> acc = new LinkedHashMap<>();
        acc.put("a", new double[] {0.91, 0.89});
        acc.put("b", new double[] {0.86, 0.84});
        acc.put("c", new double[] {0.88, 0.88});
        acc.put("d", new double[] {0.72, 0.68});
        return acc;
    }

    @Test
    void logMeThatOrdersAsFineTuningHasTauOneAndNoRegret() {
        SelectionProof proof = SelectionProof.of(report(), accuracies(), 240);
        assertThat(proof.candidates()).containsExactly("a", "c", "b", "d");
        assertThat(proof.meanAccuracy("a")).isCloseTo(0.90, within(1e-12));
        assertThat(proof.best()).isEqualTo("a");
        assertThat(proof.picked(Score.LOGME)).isEqualTo("a");
        assertThat(proof.kendallTau(Score.LOGME)).isEqualTo(1.0);
        assertThat(proof.topOneRegret(Score.LOGME)).isEqualTo(0.0);
    }

    @Test
    void knnThatSwapsTwoPairsHasTauOneThirdAndPicksAWorseCandidate() {
        SelectionProof proof = SelectionProof.of(report(), accuracies(), 240);
        // kNN orders b > a > c > d: pairs (a,b) and (b,c) discordant, 4 concordant: (4 - 2) / 6
        assertThat(proof.kendallTau(Score.KNN)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(proof.picked(Score.KNN)).isEqualTo("b");
        // 0.90 - 0.85 = 5 points
        assertThat(proof.topOneRegret(Score.KNN)).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void oneSeedAloneHasItsOwnTauAndRegret() {
        SelectionProof proof = SelectionProof.of(report(), accuracies(), 240);
        assertThat(proof.seeds()).isEqualTo(2);
        assertThat(proof.scores()).containsExactly(Score.LOGME, Score.KNN);
        // seed 2: a 0.89, b 0.84, c 0.88, d 0.68: same order as the means
        assertThat(proof.seed(1).kendallTau(Score.LOGME)).isEqualTo(1.0);
        assertThat(proof.seed(1).meanAccuracy("a")).isEqualTo(0.89);
        assertThat(proof.seed(1).seeds()).isEqualTo(1);
        // seed 1 with c and b swapped in fine-tuning makes LogME's order wrong on that seed only
        Map<String, double[]> swapped = accuracies();
        swapped.put("b", new double[] {0.89, 0.84});
        swapped.put("c", new double[] {0.87, 0.88});
        SelectionProof other = SelectionProof.of(report(), swapped, 240);
        assertThat(other.seed(0).kendallTau(Score.LOGME)).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(other.seed(1).kendallTau(Score.LOGME)).isEqualTo(1.0);
        assertThatThrownBy(() -> proof.seed(2)).hasMessageContaining("Seed index 2 out of range: 2 seed(s)");
    }

    @Test
    void timeIsTheSelectionsAgainstFineTuningAll() {
        SelectionProof proof = SelectionProof.of(report(), accuracies(), 240);
        assertThat(proof.selectionSeconds()).isEqualTo(12.0);
        assertThat(proof.timeRatio()).isCloseTo(0.05, within(1e-12));
        assertThat(proof.table())
                .contains("| a | -0.300 | 0.800 | 0.900 ± 0.014 |")
                .contains("| Kendall's tau | 1.00 | 0.33 |")
                .contains("| top-1 regret (points) | 0.0 | 5.0 |")
                .contains("selection 12 s against fine-tuning every candidate 240 s (0.05 of it)");
        assertThat(proof.summary())
                .isEqualTo("kendall_tau=1.00 top1_regret=0.0 candidates=4 selection_seconds=12"
                        + " finetune_all_seconds=240 knn_accuracy_tau=0.33 knn_accuracy_regret=5.0");
    }

    @Test
    void badInputNamesTheCandidate() {
        Map<String, double[]> acc = accuracies();
        acc.put("broken", new double[] {0.5, 0.5});
        assertThatThrownBy(() -> SelectionProof.of(report(), acc, 240))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'broken' failed");
        Map<String, double[]> uneven = accuracies();
        uneven.put("d", new double[] {0.7});
        assertThatThrownBy(() -> SelectionProof.of(report(), uneven, 240)).hasMessageContaining("'d' has 1");
        Map<String, double[]> percent = accuracies();
        percent.put("d", new double[] {70, 72});
        assertThatThrownBy(() -> SelectionProof.of(report(), percent, 240)).hasMessageContaining("in [0, 1]");
        assertThatThrownBy(() -> SelectionProof.of(
                        report(), Map.of("zz", new double[] {0.5, 0.5}, "a", new double[] {0.5, 0.5}), 240))
                .hasMessageContaining("No row named 'zz'");
        assertThatThrownBy(() -> SelectionProof.of(report(), Map.of("a", new double[] {0.5}), 240))
                .hasMessageContaining("at least 2 candidates");
    }
}
