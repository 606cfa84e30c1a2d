package io.tl4j.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report pairs sides, computes ratios and targets, and renders the markdown tables. */
class ResultsReportTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ResultsReportTest.class.getResource("/report/" + name).toURI());
    }

    @Test
    void readsJmhJson() throws URISyntaxException {
        List<JmhResult> rows = JmhResult.read(resource("jmh.json"), "tcmalloc");
        assertThat(rows).hasSize(7);
        JmhResult first = rows.get(0);
        assertThat(first.key()).isEqualTo("Inference.predict");
        assertThat(first.side()).isEqualTo("tl4j");
        assertThat(first.median()).isEqualTo(810.0);
        assertThat(first.medianSeconds()).isCloseTo(0.81, within(1e-12));
        assertThat(first.itemsPerSecond()).isCloseTo(16 / 0.81, within(1e-9));
        assertThat(first.peakRssMiB()).isEqualTo(2000.0);
        assertThat(first.peakRssMeasuredMiB()).isEqualTo(1500.0);
        assertThat(rows.get(1).peakRssMeasuredMiB()).isNaN();
        assertThat(first.paramsText()).isEqualTo("batch=16 model=resnet50");
        assertThat(rows.get(3).itemsPerOperation()).isEqualTo(320.0);
        JmhResult bertPredict = new JmhResult(
                "BertInference",
                "predict",
                "tl4j",
                java.util.Map.of("batch", "16", "length", "128", "samples", "64"),
                "tcmalloc",
                400,
                1,
                400,
                "ms/op",
                900,
                900);
        assertThat(bertPredict.itemsPerOperation())
                .as("predict processes one batch")
                .isEqualTo(16.0);
    }

    @Test
    void pairsEachSideWithItsBaseline() throws URISyntaxException {
        ResultsReport report = new ResultsReport().addJmh(JmhResult.read(resource("jmh.json"), "tcmalloc"));
        List<JmhResult> rows = JmhResult.read(resource("jmh.json"), "tcmalloc");
        assertThat(report.ratio(rows.get(0)))
                .hasValueSatisfying(r -> assertThat(r).isCloseTo(810.0 / 800, within(1e-12)));
        assertThat(report.ratio(rows.get(1))).isEmpty();
        assertThat(report.ratio(rows.get(2)))
                .hasValueSatisfying(r -> assertThat(r).isCloseTo(1.0, within(1e-12)));
        // another allocator's baseline does not pair
        JmhResult glibc = JmhResult.read(resource("jmh.json"), "glibc").get(0);
        assertThat(report.ratio(glibc)).isEmpty();
    }

    @Test
    void rendersTablesTargetsReferenceAndSoak(@TempDir Path dir) throws Exception {
        Path machine = dir.resolve("machine.txt");
        Files.writeString(machine, "CPU: Test CPU\nCores: 2\n");
        Path out = dir.resolve("latest.md");
        ResultsReport.main(new String[] {
            "--out",
            out.toString(),
            "--jmh",
            "tcmalloc=" + resource("jmh.json"),
            "--pytorch",
            resource("pytorch.json").toString(),
            "--soak",
            resource("soak.json").toString(),
            "--machine",
            machine.toString(),
            "--note",
            "measured under contention"
        });
        String md = Files.readString(out);
        assertThat(md).contains("> measured under contention", "- CPU: Test CPU");
        assertThat(md)
                .contains(
                        "| Inference.predict | tl4j | batch=16 model=resnet50 | tcmalloc | 810 | 810 | ms/op | 19.8 | 2000 | 1500 | 1.013 |");
        assertThat(md)
                .contains(
                        "| Inference.predict | djlStaged | batch=16 model=resnet50 | tcmalloc | 800 | 797 | ms/op | 20.0 | 900 |  | 1.000 |");
        assertThat(md).contains("- Inference.predict batch=16 model=resnet50 [tcmalloc]: 1.013 (met)");
        assertThat(md).contains("- FeatureExtraction.naive batch=16 epochs=10 samples=32 [tcmalloc]: 1.053 (NOT met)");
        assertThat(md).contains("- tl4j batch=16 epochs=10 samples=32 [tcmalloc]: 8.0× (met)");
        assertThat(md)
                .contains(
                        "| Inference.predict | batch=16 model=resnet50 | tcmalloc | 19.8 | 20.0 | 25.0 | 0.79 (NOT met) | 0.80 | 2000 | 650 | 3.08 (NOT met) | 2.50 |");
        assertThat(md).contains("| 1000 | 404 |", "growth +1.0%");
    }

    @Test
    void rejectsFilesThatAreNotJmhOutput(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"benchmark\": 1}");
        assertThatThrownBy(() -> JmhResult.read(bad, "glibc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.json")
                .hasMessageContaining("expected an array");
        Files.writeString(bad, "[{\"case\": \"x\"}]");
        assertThatThrownBy(() -> ReferenceResult.read(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 0 has no 'params'");
    }
}
