package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The NLP quick start's claims on fixed seeds, with 32 labelled e-mails per class and 500 held-out
 * ones. Seed 1 (the main job, about 4 minutes) runs in CI; the three-seed run with the levers (about
 * 17 minutes) is tagged slow.
 *
 * <p>Measured over seeds 1-3 (mean): bag of words 0.903, fine-tune 0.892, features 0.855, scratch
 * 0.833, features at 512 tokens 0.893, SetFit 0.905, SetFit at 512 tokens 0.919, SetFit at 512
 * averaged with bag of words 0.931. The margins of 15 points over scratch are not asserted:
 * trained as long as the transfer path needs and with gradient clipping, the scratch transformer
 * reaches 0.79-0.87 on this task (the PyTorch reference's scratch run reached 0.55), so fine-tuning
 * leads it by 11.4, 6.8 and -0.4 points. What holds is asserted below.
 */
class NlpQuickStartTest {

    @Test
    void mainJobFineTuningReaches85PercentAndBeatsScratchOnSeedOne() throws IOException {
        long started = System.currentTimeMillis();
        NlpQuickStart.Result r = NlpQuickStart.run(new NlpQuickStart.Config(1, 32, 500, false));
        Path report = Path.of("target", "nlp-quickstart-report", "seed-1", "report.html");
        assertThat(Files.getLastModifiedTime(report).toMillis())
                .as("the fine-tuned model's report is written by this run")
                .isGreaterThanOrEqualTo(started - 2000);
        assertThat(Files.readString(report).split("<q>", -1))
                .as("the 12 worst-classified test e-mails, as snippets")
                .hasSize(13);
        assertThat(r.trainSize()).isEqualTo(64);
        assertThat(r.testSize()).isEqualTo(500);
        assertThat(NlpQuickStart.methods(r))
                .containsExactly("bag of words", "features 128", "centroid 128", "fine-tune 128", "scratch 128");
        assertThat(r.get("fine-tune 128")).isGreaterThanOrEqualTo(0.85);
        assertThat(r.get("fine-tune 128")).isGreaterThanOrEqualTo(r.get("scratch 128") + 0.05);
        assertThat(r.get("bag of words")).isGreaterThan(0.85);
    }

    @Tag("slow")
    @Test
    void leversBeatBagOfWordsOverThreeSeeds() {
        List<NlpQuickStart.Result> runs = LongStream.of(1, 2, 3)
                .mapToObj(seed -> NlpQuickStart.run(new NlpQuickStart.Config(seed, 32, 500, true)))
                .toList();
        for (NlpQuickStart.Result r : runs) {
            assertThat(r.get("fine-tune 128")).isGreaterThanOrEqualTo(0.85);
            // the best transfer path beats the same architecture from scratch on every seed
            assertThat(r.get("setfit 512")).isGreaterThanOrEqualTo(r.get("scratch 128") + 0.03);
            // each lever adds to frozen 128-token features
            assertThat(r.get("features 512")).isGreaterThan(r.get("features 128"));
            assertThat(r.get("setfit 512")).isGreaterThan(r.get("features 512"));
        }
        assertThat(mean(runs, "fine-tune 128")).isGreaterThanOrEqualTo(mean(runs, "scratch 128") + 0.03);
        assertThat(mean(runs, "setfit 512")).isGreaterThanOrEqualTo(mean(runs, "bag of words") + 0.01);
        assertThat(mean(runs, "setfit 512 + bag of words")).isGreaterThanOrEqualTo(mean(runs, "bag of words") + 0.02);
    }

    private static double mean(List<NlpQuickStart.Result> runs, String method) {
        return runs.stream().mapToDouble(r -> r.get(method)).average().orElseThrow();
    }
}
