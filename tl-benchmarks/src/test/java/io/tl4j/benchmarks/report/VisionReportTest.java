package io.tl4j.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vision report pairs tl4j with PyTorch within each round of each architecture. */
class VisionReportTest {

    private static void round(Path dir, int r, String model, double tl4jMsPerBatch, double pytorchImagesPerSecond)
            throws IOException {
        Files.writeString(
                dir.resolve("r" + r + "-tl4j-" + model + ".json"),
                String.format(
                        Locale.ROOT,
                        "[{\"benchmark\": \"io.tl4j.benchmarks.VisionInference.predict_tl4j\", \"params\":"
                                + " {\"model\": \"%s\", \"batch\": \"4\", \"device\": \"cpu\"}, \"primaryMetric\":"
                                + " {\"score\": %.1f, \"scoreError\": \"NaN\", \"scorePercentiles\": {\"50.0\": %.1f},"
                                + " \"scoreUnit\": \"ms/op\"}, \"secondaryMetrics\": {\"rss.peak\": {\"score\": 600.0,"
                                + " \"scoreUnit\": \"MiB\"}}}]",
                        model,
                        tl4jMsPerBatch,
                        tl4jMsPerBatch));
        Files.writeString(
                dir.resolve("r" + r + "-pytorch-" + model + ".json"),
                "[{\"case\": \"VisionInference.predict\", \"params\": {\"model\": \"" + model + "\", \"batch\": \"4\"},"
                        + " \"items_per_s\": " + pytorchImagesPerSecond + ", \"peak_rss_mib\": 400.0}]");
    }

    @Test
    void eachRoundsRatioUsesThatRoundsPyTorchAndRoundsMissingASideAreLeftOut(@TempDir Path dir) throws IOException {
        // tl4j: 4 images per 500 ms = 8/s; PyTorch 4, 8, 16 images/s
        round(dir, 1, "resnet50", 500, 4);
        round(dir, 2, "resnet50", 500, 8);
        round(dir, 3, "resnet50", 500, 16);
        round(dir, 1, "vit_b_16", 1000, 2);
        Files.delete(dir.resolve("r1-pytorch-vit_b_16.json"));
        VisionReport report = VisionReport.read(dir, List.of("resnet50", "vit_b_16", "convnext_tiny"));
        assertThat(report.rounds("resnet50"))
                .extracting(r -> r.tl4jImagesPerSecond() / r.pytorchImagesPerSecond())
                .containsExactly(2.0, 1.0, 0.5);
        assertThat(report.rounds("vit_b_16")).isEmpty();
        assertThat(report.markdown())
                .contains("| resnet50 | 4 | 3 | 8.00 | 8.00 | 1.00 (0.50-2.00) | 600 MiB | 400 MiB | 1.50 |")
                .doesNotContain("vit_b_16")
                .doesNotContain("convnext_tiny");
    }

    @Test
    void aDirectoryWithoutAPairedRoundIsRefusedNamingIt(@TempDir Path dir) {
        assertThatThrownBy(() -> VisionReport.read(dir, List.of("resnet50")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.toString());
    }
}
