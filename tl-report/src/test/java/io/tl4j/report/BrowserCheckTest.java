package io.tl4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a report in headless Chromium: no console messages, every chart decoded with its full size,
 * and a screenshot. Skipped where {@code chromium} is not installed (CI installs it).
 */
@Tag("browser")
class BrowserCheckTest {

    /** Marks the body with how many chart images decoded at their full size once the page has loaded. */
    private static final String PROBE = "<script>window.addEventListener('load', () => {"
            + " const charts = [...document.querySelectorAll('img.chart')];"
            + " const ok = charts.filter(i => i.complete && i.naturalWidth === 720 && i.naturalHeight === 400);"
            + " document.body.setAttribute('data-charts', ok.length + '/' + charts.length); });</script>";

    @Test
    void reportRendersInChromiumWithoutConsoleMessages(@TempDir Path dir) throws Exception {
        Optional<HeadlessChromium> browser = HeadlessChromium.find(dir);
        assumeTrue(browser.isPresent(), "chromium is not installed");
        Path html;
        try (Backbone<float[]> backbone = ReportFixtures.backbone();
                TransferModel<float[]> model = ReportFixtures.trained(backbone)) {
            html = TrainingReport.of(model)
                    .withEvaluation(model.evaluate(ReportFixtures.blobs(2)))
                    .write(dir.resolve("report"));
        }
        Path screenshot = Path.of("target", "report-screenshot.png");
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);

        assertThat(browser.get().screenshot(html, screenshot)).isEmpty();
        assertThat(Files.size(screenshot)).isGreaterThan(20_000);

        Path probed = dir.resolve("report").resolve("probed.html");
        Files.writeString(probed, Files.readString(html).replace("</body>", PROBE + "</body>"));
        assertThat(browser.get().dumpDom(probed)).contains("data-charts=\"4/4\"");
    }

    @Test
    void theConsoleCheckSeesAPageThatLogsAnError(@TempDir Path dir) throws Exception {
        Optional<HeadlessChromium> browser = HeadlessChromium.find(dir);
        assumeTrue(browser.isPresent(), "chromium is not installed");
        Path page = dir.resolve("broken.html");
        Files.writeString(
                page, "<!DOCTYPE html><html><body><script>console.error('broken chart')</script></body></html>");
        assertThat(browser.get().screenshot(page, dir.resolve("broken.png")))
                .singleElement()
                .asString()
                .contains("broken chart");
    }
}
