package io.tl4j.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Backbone;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The selection end to end on tiny backbones: a pretrained MLP beats its untrained copy and a narrow
 * random one on every score, failures are rows, the cost is measured, the report prints and the
 * recommendation respects constraints.
 */
class ModelSelectionTest {

    private static Backbone<float[]> pretrained;
    private static Backbone<float[]> narrow;
    private static SelectionReport report;
    private static final List<String> events = new ArrayList<>();

    @BeforeAll
    static void runSelection() {
        pretrained = TinyCandidates.pretrainedMlp();
        narrow = TinyCandidates.randomMlp(4);
        report = ModelSelection.of(
                        Candidate.of("pretrained", pretrained),
                        Candidate.of("narrow", narrow),
                        Candidate.<float[]>loading("missing", () -> {
                            throw new IllegalStateException("weights file /nowhere/model.safetensors not found");
                        }),
                        Candidate.loading("oom", TinyCandidates::runsOutOfMemory),
                        Candidate.<float[]>loading("unlinked", () -> {
                            throw new NoClassDefFoundError("io/tl4j/nlp/bert/Missing");
                        }))
                .scratchBaseline("pretrained", "narrow")
                .listener(new SelectionListener() {
                    @Override
                    public void started(String name, int index, int total) {
                        events.add("start " + index + "/" + total + " " + name);
                    }

                    @Override
                    public void finished(CandidateResult result, int index, int total) {
                        events.add("end " + index + "/" + total + " " + result.name());
                    }
                })
                .run(TinyCandidates.target(30, 5));
        System.out.println(report.table());
    }

    @AfterAll
    static void close() {
        pretrained.close();
        narrow.close();
    }

    @Test
    void thePretrainedBackboneRanksFirstOnEveryScoreAndAboveItsScratchCopy() {
        for (Score score : Score.values()) {
            SelectionReport by = report.rankedBy(score);
            assertThat(by.rows().get(0).name()).as(by.table()).isEqualTo("pretrained");
            assertThat(by.row("pretrained").score(score))
                    .as(score.name())
                    .isGreaterThan(by.row("pretrained (scratch)").score(score));
        }
        assertThat(report.rankedBy()).isEqualTo(Score.LOGME);
        assertThat(report.row("pretrained").score(Score.KNN)).isBetween(0.0, 1.0);
        assertThat(report.best().orElseThrow().name()).isEqualTo("pretrained");
    }

    @Test
    void failuresAreRowsWithTheirErrorAndTheOthersAreStillRanked() {
        List<String> order = report.rows().stream().map(CandidateResult::name).toList();
        assertThat(order.subList(3, 7)).containsExactly("narrow (scratch)", "missing", "oom", "unlinked");
        assertThat(report.row("missing").error())
                .isEqualTo("IllegalStateException: weights file /nowhere/model.safetensors not found");
        assertThat(report.row("oom").error()).startsWith("OutOfMemoryError: simulated");
        assertThat(report.row("unlinked").error()).isEqualTo("NoClassDefFoundError: io/tl4j/nlp/bert/Missing");
        assertThat(report.row("narrow (scratch)").error()).contains("no untrained copy");
        assertThat(report.rows().subList(0, 3)).noneMatch(CandidateResult::failed);
    }

    @Test
    void theCostIsMeasured() {
        Cost cost = report.row("pretrained").cost();
        // Linear 64->128 + BN(128) + Linear 128->64 + BN(64): weights, biases, gamma, beta
        assertThat(cost.parameters()).isEqualTo(64 * 128 + 128 + 2 * 128 + 128 * 64 + 64 + 2 * 64);
        assertThat(cost.featureSize()).isEqualTo(64);
        assertThat(report.row("narrow").cost().featureSize()).isEqualTo(4);
        assertThat(cost.inferenceMillisPerExample()).isPositive();
        assertThat(cost.trainStepMillisPerExample()).isPositive();
        assertThat(cost.peakMemoryMb()).isNotNaN().isGreaterThanOrEqualTo(0);
        assertThat(report.row("pretrained").source()).isEqualTo("synthetic source task");
        assertThat(report.row("pretrained (scratch)").source()).isEqualTo("untrained copy of pretrained");
    }

    @Test
    void progressIsReportedPerRow() {
        assertThat(events)
                .containsExactly(
                        "start 1/7 pretrained",
                        "end 1/7 pretrained",
                        "start 2/7 pretrained (scratch)",
                        "end 2/7 pretrained (scratch)",
                        "start 3/7 narrow",
                        "end 3/7 narrow",
                        "start 4/7 narrow (scratch)",
                        "end 4/7 narrow (scratch)",
                        "start 5/7 missing",
                        "end 5/7 missing",
                        "start 6/7 oom",
                        "end 6/7 oom",
                        "start 7/7 unlinked",
                        "end 7/7 unlinked");
    }

    @Test
    void theRecommendationDropsEachCandidateThatBreaksAConstraintWithItsReason() {
        Recommendation none = report.recommend(Constraints.none());
        assertThat(none.choice().orElseThrow().name()).isEqualTo("pretrained");
        assertThat(none.dropped())
                .extracting(Recommendation.Dropped::name)
                .containsExactlyInAnyOrder("pretrained (scratch)", "missing", "oom", "unlinked", "narrow (scratch)");

        Recommendation small = report.recommend(Constraints.none().maxParameters(1000));
        assertThat(small.choice().orElseThrow().name()).isEqualTo("narrow");
        assertThat(small.dropped().get(0))
                .isEqualTo(new Recommendation.Dropped("pretrained", "16,960 parameters > max 1,000"));
        assertThat(small.dropped().stream()
                        .filter(d -> d.name().equals("missing"))
                        .findFirst()
                        .orElseThrow()
                        .reason())
                .startsWith("failed: IllegalStateException");

        Recommendation fast =
                report.recommend(Constraints.none().maxMillisPerExample(1e-9).maxMemoryMb(1e6));
        assertThat(fast.choice()).isEmpty();
        assertThat(fast.dropped().get(0).reason()).startsWith("inference ").contains("ms/example > max 0.000");
        assertThat(fast.toString()).startsWith("recommended: none");
        assertThatThrownBy(() -> Constraints.none().maxMemoryMb(0)).hasMessageContaining("positive");
    }

    @Test
    void theReportPrintsAsATableJsonAndCsv() {
        String table = report.table();
        assertThat(table).contains("ranked by LogME").contains("LogME", "kNN acc", "probe acc", "infer ms/ex");
        assertThat(table.lines().filter(l -> l.startsWith("   1  pretrained"))).hasSize(1);
        assertThat(table).containsPattern("(?m)^   -  missing +failed: IllegalStateException: weights file");

        JsonObject json = JsonParser.parseString(report.toJson()).getAsJsonObject();
        assertThat(json.get("ranked_by").getAsString()).isEqualTo("logme");
        assertThat(json.get("examples").getAsInt()).isEqualTo(150);
        JsonArray rows = json.getAsJsonArray("candidates");
        assertThat(rows).hasSize(7);
        JsonObject first = rows.get(0).getAsJsonObject();
        assertThat(first.get("rank").getAsInt()).isEqualTo(1);
        assertThat(first.getAsJsonObject("scores").get("logme").getAsDouble())
                .isEqualTo(report.row("pretrained").score(Score.LOGME));
        assertThat(first.getAsJsonObject("cost").get("parameters").getAsLong()).isEqualTo(16_960);
        assertThat(rows.get(3).getAsJsonObject().get("cost").isJsonNull()).isTrue();

        List<String> csv = report.toCsv().lines().toList();
        assertThat(csv).hasSize(8);
        assertThat(csv.get(0))
                .isEqualTo(
                        "rank,name,baseline,source,logme,knn_accuracy,linear_probe_accuracy,parameters,"
                                + "feature_size,inference_ms_per_example,train_step_ms_per_example,peak_memory_mb,seconds,error");
        assertThat(csv.get(1)).startsWith("1,pretrained,false,synthetic source task,");
        assertThat(csv.get(1).split(",", -1)).hasSize(14);
    }
}
