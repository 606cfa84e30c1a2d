package io.tl4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.Backbone;
import io.tl4j.core.LinearHeads;
import io.tl4j.core.TransferModel;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report of a trained model holds every chart, inlined and as PNG; a model without history still renders. */
class TrainingReportTest {

    static void assertNotBlankPng(Path file) throws IOException {
        assertThat(Files.size(file)).isGreaterThan(5_000);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(720);
        assertThat(image.getHeight()).isEqualTo(400);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("distinct colours in %s", file).hasSizeGreaterThan(3);
    }

    @Test
    void reportOfATrainedModelInlinesEveryChartAndWritesThemAsPng(@TempDir Path dir) throws IOException {
        try (Backbone<float[]> backbone = ReportFixtures.backbone();
                TransferModel<float[]> model = ReportFixtures.trained(backbone)) {
            Path html = TrainingReport.of(model)
                    .withEvaluation(model.evaluate(ReportFixtures.blobs(2)))
                    .withWorstExamples(ReportFixtures.blobs(2), ExampleView.image(TrainingReportTest::strip, 32), 5)
                    .write(dir.resolve("report"));
            for (String chart : List.of("loss", "metrics", "learning-rate", "confusion-matrix")) {
                assertNotBlankPng(dir.resolve("report").resolve(chart + ".png"));
            }
            String page = Files.readString(html);
            assertThat(page.split("<img class=\"chart\"", -1)).hasSize(5);
            assertThat(page.split("<img class=\"example\" width=\"32\" height=\"4\"", -1))
                    .hasSize(6);
            assertThat(page)
                    .contains("id=\"per-class\"", "<td>green</td>", "Training settings", "Accuracy ")
                    .doesNotContain("<script", "http://", "https://", "Missing");
        }
    }

    /** Draws an input as a strip of gray cells, one per feature. */
    private static BufferedImage strip(float[] input) {
        BufferedImage image = new BufferedImage(input.length, 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int f = 0; f < input.length; f++) {
            int level = Math.max(0, Math.min(255, (int) (input[f] * 40 + 128)));
            image.setRGB(f, 0, new Color(level, level, level).getRGB());
        }
        return image;
    }

    @Test
    void textExamplesAreEscapedAndCut() {
        assertThat(ExampleView.text(13).toHtml("<b>free</b> money now"))
                .isEqualTo("<q>&lt;b&gt;free&lt;/b&gt; m\u2026</q>");
        assertThat(ExampleView.text(100).toHtml("short")).isEqualTo("<q>short</q>");
        assertThatThrownBy(() -> ExampleView.text(0)).hasMessageContaining("maxChars must be positive, got 0");
    }

    @Test
    void aModelWithoutHistoryStillRendersAndSaysWhatIsMissing(@TempDir Path dir) throws IOException {
        try (Backbone<float[]> backbone = ReportFixtures.backbone();
                TransferModel<float[]> model =
                        LinearHeads.of(backbone, List.of("x", "y"), new float[2][6], new float[2])) {
            String page = Files.readString(TrainingReport.of(model).write(dir));
            assertThat(page)
                    .contains(
                            "No training history",
                            "No evaluation",
                            "No training settings",
                            "No worst-classified examples",
                            "<td>x, y</td>")
                    .doesNotContain("data:image/png");
            assertThat(dir.resolve("loss.png")).doesNotExist();
        }
    }
}
