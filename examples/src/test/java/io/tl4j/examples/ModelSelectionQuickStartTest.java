package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.selection.CandidateResult;
import io.tl4j.core.selection.Score;
import io.tl4j.core.selection.SelectionProof;
import io.tl4j.core.selection.SelectionReport;
import io.tl4j.examples.catalog.TextBackbones;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The model-selection quick start: a fast check that the selection ranks two encoders and an
 * untrained copy on the spam task, and the slow proof over seeds 1-3 that LogME predicts the
 * fine-tuned ranking of the four default encoders (the goals: tau at least 0.6, top-1 regret at
 * most 1 point, selection at most a fifth of fine-tuning them all). The slow test has not run to
 * completion in one process: on the shared 2 cores (load 6-15) one 12-layer fine-tune takes 25-47
 * minutes. Seeds 1 and 2, run separately (seed 3 reached only MiniLM, 0.894): fine-tuned e5-small
 * 0.922, bge-small-en 0.915, MiniLM 0.901, bge-small-zh 0.866 (means); LogME's tau 0.55 on seed 1,
 * 0.33 on seed 2 and 0.33 on the means (it puts bge-small-zh above MiniLM, and bge-small-en above
 * e5-small on seed 2), regret 0.7 points on the means, selection 0.06 of fine-tuning all. On these
 * numbers the slow test fails on tau.
 */
class ModelSelectionQuickStartTest {

    @Test
    void ranksTwoEncodersAndAnUntrainedCopyOnTheSpamTask() {
        ModelSelectionQuickStart.SpamTask task = ModelSelectionQuickStart.SpamTask.load();
        assertThat(task.train().size()).isEqualTo(64);
        assertThat(task.test().size()).isEqualTo(500);
        SelectionReport report = ModelSelectionQuickStart.select(
                List.of(TextBackbones.ALL_MINILM_L6_V2, TextBackbones.BGE_SMALL_ZH_V15), task);
        assertThat(report.rows()).hasSize(3).noneMatch(CandidateResult::failed);
        assertThat(report.row("all-MiniLM-L6-v2 (scratch)").baseline()).isTrue();
        for (CandidateResult row : report.rows()) {
            assertThat(row.score(Score.LOGME)).isFinite();
            assertThat(row.score(Score.KNN)).isBetween(0.5, 1.0);
        }
        assertThat(report.best()).isPresent();
        assertThat(report.best().orElseThrow().baseline()).isFalse();
    }

    @Tag("slow")
    @Test
    void logMePredictsFineTuningOfTheFourEncodersOverThreeSeeds() {
        SelectionProof proof = ModelSelectionQuickStart.run(new ModelSelectionQuickStart.Plan(
                        ModelSelectionQuickStart.DEFAULT, new long[] {1, 2, 3}, SelectionRecipe.TOP_LAYER))
                .proof();
        assertThat(proof.candidates()).hasSize(4);
        assertThat(proof.kendallTau(Score.LOGME)).isGreaterThanOrEqualTo(0.6);
        assertThat(proof.topOneRegret(Score.LOGME)).isLessThanOrEqualTo(1.0);
        assertThat(proof.timeRatio()).isLessThanOrEqualTo(0.2);
    }
}
