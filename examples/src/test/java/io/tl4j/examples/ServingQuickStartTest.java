package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A short run of the serving quick start (16 training e-mails, 32 tokens, 96 requests from 8 clients per server): no
 * request fails, the batched server really forms batches while the unbatched one runs one input per forward pass, the
 * percentiles are ordered and the served spam filter is right on most held-out e-mails. Speed is not asserted: the
 * quick start measures it. The drift phase (a model with a fit-time profile of 400 held-out e-mails, window 200: 400
 * unseen e-mails then ham only, and on a second server 400 unseen e-mails then State of the Union passages) is tagged
 * slow; {@link TextSourceDriftSplitsTest} repeats the source shift over 50 profile/traffic splits without the server.
 */
class ServingQuickStartTest {

    /** Requests after the switch to State of the Union passages within which the alert must come. */
    private static final int SOURCE_ALERT_WITHIN = 300;

    @Test
    void bothServersAnswerEveryRequestAndOnlyTheBatchedOneBatches() {
        ServingQuickStart.Report report =
                ServingQuickStart.run(new ServingQuickStart.Config(8, 32, 96, new int[] {8}, 0, 0, 0));
        assertThat(report.drift()).isNull();
        List<ServingQuickStart.Measurement> table = report.table();
        assertThat(table).hasSize(2);
        ServingQuickStart.Measurement batched = table.get(0);
        ServingQuickStart.Measurement unbatched = table.get(1);
        assertThat(batched.batched()).isTrue();
        assertThat(unbatched.batched()).isFalse();
        for (ServingQuickStart.Measurement m : table) {
            assertThat(m.failed()).as("failed requests, %s", m).isZero();
            assertThat(m.requestsPerSecond()).isPositive();
            assertThat(m.p50Millis()).isPositive().isLessThanOrEqualTo(m.p99Millis());
            assertThat(m.accuracy()).as("served accuracy, %s", m).isGreaterThan(0.7);
        }
        assertThat(batched.meanBatch()).as("8 clients share forward passes").isGreaterThan(1.5);
        assertThat(unbatched.meanBatch()).isEqualTo(1.0);
    }

    @Tag("slow")
    @Test
    void heldOutTrafficRaisesNoDriftAlertAndHamOnlyOrAnotherTextSourceDoes() {
        ServingQuickStart.Report report =
                ServingQuickStart.run(new ServingQuickStart.Config(8, 32, 16, new int[] {4}, 200, 0, 0));
        assertThat(report.drift().inDistribution()).isEqualTo(400);
        assertThat(report.drift().falseAlarms()).isZero();
        assertThat(report.drift().detectedAfter()).isBetween(1, 600);
        ServingDrift source = report.sourceDrift();
        assertThat(source.inDistribution()).isEqualTo(400);
        assertThat(source.falseAlarms()).as("alerts over the unseen e-mails").isZero();
        assertThat(source.detectedAfter())
                .as("State of the Union passages before the alert")
                .isBetween(1, SOURCE_ALERT_WITHIN);
        assertThat(source.fired()).isNotEmpty();
    }

    @Test
    void percentilesAreNearestRankOverAnsweredRequests() {
        LoadClient.Outcome outcome =
                new LoadClient.Outcome(new long[] {1_000_000, 2_000_000, 3_000_000, 4_000_000}, 1, 2.0, 3);
        assertThat(outcome.percentileMillis(50)).isEqualTo(2.0);
        assertThat(outcome.percentileMillis(99)).isEqualTo(4.0);
        assertThat(outcome.answered()).isEqualTo(4);
        assertThat(outcome.accuracy()).isEqualTo(0.75);
        assertThat(ServingQuickStart.metric("a_sum{model=\"spam\"} 412.0\na_count{model=\"spam\"} 2.0\n", "a_count"))
                .isEqualTo(2.0);
    }
}
