package io.tl4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.Backbone;
import io.tl4j.core.LinearHeads;
import io.tl4j.core.TransferModel;
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

    private static void assertNotBlankPng(Path file) throws IOException {
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
                    .write(dir.resolve("report"));
            for (String chart : List.of("loss", "metrics", "learning-rate", "confusion-matrix")) {
                assertNotBlankPng(dir.resolve("report").resolve(chart + ".png"));
            }
            String page = Files.readString(html);
            assertThat(page.split("src=\"data:image/png;base64,", -1)).hasSize(5);
            assertThat(page)
                    .contains("id=\"per-class\"", "<td>green</td>", "Training settings", "Accuracy ")
                    .doesNotContain("<script", "http://", "https://", "Missing");
        }
    }

    @Test
    void aModelWithoutHistoryStillRendersAndSaysWhatIsMissing(@TempDir Path dir) throws IOException {
        try (Backbone<float[]> backbone = ReportFixtures.backbone();
                TransferModel<float[]> model =
                        LinearHeads.of(backbone, List.of("x", "y"), new float[2][6], new float[2])) {
            String page = Files.readString(TrainingReport.of(model).write(dir));
            assertThat(page)
                    .contains("No training history", "No evaluation", "No training settings", "<td>x, y</td>")
                    .doesNotContain("data:image/png");
            assertThat(dir.resolve("loss.png")).doesNotExist();
        }
    }
}
