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
 * untrained copy on the spam task, and the slow proof over seeds 1-3 on the recipe the quick start
 * defaults to ({@link SelectionRecipe#TOP_LAYER}). The slow test asserts what the measured seeds meet:
 * kNN accuracy's Kendall tau of at least 0.6 and top-1 regret of at most 1 point. It asserts neither
 * LogME's goals nor the time goal, which fail on this task with this recipe. Measured, seeds 1 / 2 / 3
 * (MiniLM 0.856 / 0.860 / 0.862, bge-small-en 0.884 / 0.862 / 0.858, e5-small 0.888 / 0.888 / 0.870,
 * bge-small-zh 0.844 / 0.826 / 0.848): LogME tau 0.33 on the means (it puts bge-small-en above
 * e5-small and the Chinese encoder above MiniLM), regret 1.4 points on the means (0.4 / 2.6 / 1.2);
 * kNN tau 0.67 on the means, regret 0 on every seed. Near idle (seed 3, load 1-2) the selection took
 * 44 s against 185 s of fine-tuning all four: 0.24, over the fifth the issue asks (seeds 1 and 2 at
 * load 10-16: 0.07 and 0.19). These four candidates with this recipe have run over seeds 1-3 in one
 * process, with BERT-base beside them ({@code ModelSelectionQuickStart --bert --seeds=1,2,3}): the same
 * accuracies to the last digit, and kNN's tau 0.67 and regret 0 on the four.
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
    void knnPredictsFineTuningOfTheFourEncodersOverThreeSeeds() {
        SelectionProof proof = ModelSelectionQuickStart.run(new ModelSelectionQuickStart.Plan(
                        ModelSelectionQuickStart.DEFAULT, new long[] {1, 2, 3}, SelectionRecipe.TOP_LAYER))
                .proof();
        assertThat(proof.candidates()).hasSize(4);
        assertThat(proof.kendallTau(Score.KNN)).isGreaterThanOrEqualTo(0.6);
        assertThat(proof.topOneRegret(Score.KNN)).isLessThanOrEqualTo(1.0);
    }
}
