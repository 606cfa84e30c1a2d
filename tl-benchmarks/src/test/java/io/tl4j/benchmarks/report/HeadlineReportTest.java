package io.tl4j.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The headline pairs tl4j with its alternative within each round, then takes medians over rounds. */
class HeadlineReportTest {

    private static String jmhRow(String method, String params, double msPerOp, double rssMiB) {
        return String.format(
                Locale.ROOT,
                "{\"benchmark\": \"io.tl4j.benchmarks.%s\", \"params\": {%s}, \"primaryMetric\": {\"score\": %.1f,"
                        + " \"scoreError\": \"NaN\", \"scorePercentiles\": {\"50.0\": %.1f}, \"scoreUnit\": \"ms/op\"},"
                        + " \"secondaryMetrics\": {\"rss.peak\": {\"score\": %.1f, \"scoreUnit\": \"MiB\"}}}",
                method,
                params,
                msPerOp,
                msPerOp,
                rssMiB);
    }

    /** Writes round r: tl4j takes {@code tl4jMs} per batch in both cases, the alternatives their own. */
    private static void round(Path dir, int r, double tl4jMs, double ortMs, double pytorchImagesPerSecond)
            throws IOException {
        Files.writeString(
                dir.resolve("r" + r + "-tl4j-inference.json"),
                "[" + jmhRow("Inference.predict_tl4j", "\"model\": \"resnet50\", \"batch\": \"16\"", tl4jMs, 3000)
                        + ","
                        + jmhRow(
                                "Inference.predict_tl4jOnnx",
                                "\"model\": \"resnet50\", \"batch\": \"16\"",
                                tl4jMs / 2,
                                1500)
                        + "]");
        Files.writeString(
                dir.resolve("r" + r + "-tl4j-bert.json"),
                "[" + jmhRow("BertInference.predict_tl4j", "\"batch\": \"16\", \"length\": \"128\"", 2 * tl4jMs, 900)
                        + "," + jmhRow("BertInference.predict_tl4jOnnx", "\"batch\": \"16\"", tl4jMs, 900) + "]");
        Files.writeString(
                dir.resolve("r" + r + "-ort.json"),
                "[" + jmhRow("BertInference.predict_ort", "\"batch\": \"16\", \"length\": \"128\"", ortMs, 500) + "]");
        Files.writeString(
                dir.resolve("r" + r + "-pytorch.json"),
                "[{\"case\": \"Inference.predict\", \"params\": {\"model\": \"resnet50\", \"batch\": \"16\"},"
                        + " \"items_per_s\": " + pytorchImagesPerSecond + ", \"peak_rss_mib\": 1000.0}]");
    }

    @Test
    void eachRoundsRatioUsesThatRoundsAlternativeAndTheLineShowsMedians(@TempDir Path dir) throws IOException {
        // tl4j: 16 items per 800 ms = 20/s in every round; ORT 400, 800, 1600 ms; PyTorch 10, 20, 40 images/s
        round(dir, 1, 800, 400, 10);
        round(dir, 2, 800, 800, 20);
        round(dir, 3, 800, 1600, 40);
        Files.writeString(dir.resolve("r1-tl4j-inference.log"), "JMH's console output, not JSON");
        HeadlineReport report = HeadlineReport.read(dir);
        assertThat(report.values("bert_infer_vs_ort")).containsExactly(0.5, 1.0, 2.0);
        assertThat(report.values("bert_libtorch_vs_ort")).containsExactly(0.25, 0.5, 1.0);
        assertThat(report.values("resnet50_infer_vs_pytorch")).containsExactly(2.0, 1.0, 0.5);
        assertThat(report.values("rss_resnet50_vs_pytorch")).containsExactly(3.0, 3.0, 3.0);
        assertThat(report.values("resnet50_onnx_vs_pytorch")).containsExactly(4.0, 2.0, 1.0);
        assertThat(report.values("rss_resnet50_onnx_vs_pytorch")).containsExactly(1.5, 1.5, 1.5);
        assertThat(report.values("head_vs_pytorch")).isEmpty();
        assertThat(report.resultLine())
                .isEqualTo(
                        "RESULT perf bert_infer_vs_ort=1.000 bert_libtorch_vs_ort=0.500 resnet50_infer_vs_pytorch=1.000 features_vs_pytorch=n/a"
                                + " features_onnx_vs_pytorch=n/a resnet18_train_vs_pytorch=n/a head_vs_pytorch=n/a rss_resnet50_vs_pytorch=3.000"
                                + " resnet50_onnx_vs_pytorch=2.000 rss_resnet50_onnx_vs_pytorch=1.500");
        assertThat(report.markdown())
                .contains("| bert_infer_vs_ort |")
                .contains("| 3 | 1.000 | 0.500-2.000 | 150 % | [0.500, 1.000, 2.000] |");
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(HeadlineReport.median(List.of(4.0, 1.0, 3.0, 2.0))).isCloseTo(2.5, within(1e-12));
        assertThat(HeadlineReport.median(List.of())).isNaN();
    }

    @Test
    void aDirectoryWithoutRoundsIsRefusedNamingIt(@TempDir Path dir) {
        assertThatThrownBy(() -> HeadlineReport.read(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.toString());
    }

    @Test
    void featuresOnOnnxRuntimeAreTheirOwnRatioBesideTheEngines(@TempDir Path dir) throws IOException {
        // 32 samples x 10 epochs: tl4j 8 s (40 items/s) on the engine, 4 s (80/s) on ONNX Runtime; PyTorch 50/s
        String params = "\"samples\": \"32\", \"epochs\": \"10\"";
        Files.writeString(
                dir.resolve("r1-tl4j-resnet18.json"),
                "[" + jmhRow("FeatureExtraction.cached_tl4j", params, 8000, 900) + ","
                        + jmhRow("FeatureExtraction.cached_tl4jOnnx", params, 4000, 900) + "]");
        Files.writeString(
                dir.resolve("r1-pytorch.json"),
                "[{\"case\": \"FeatureExtraction.cached\", \"params\": {" + params + "},"
                        + " \"items_per_s\": 50.0, \"peak_rss_mib\": 700.0}]");
        HeadlineReport report = HeadlineReport.read(dir);
        assertThat(report.values("features_vs_pytorch")).containsExactly(0.8);
        assertThat(report.values("features_onnx_vs_pytorch")).containsExactly(1.6);
        assertThat(report.resultLine()).contains(" features_vs_pytorch=0.800 features_onnx_vs_pytorch=1.600 ");
    }
}
