package io.tl4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.Backbone;
import io.tl4j.core.LearningRateCurve;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.curve.CurveMethod;
import io.tl4j.core.curve.LearningCurve;
import io.tl4j.core.curve.LearningCurveResult;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.IntervalXYDataset;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learning-curve and learning-rate-finder charts: log axes, bands and marks as data, PNGs not blank. */
class CurvePlotsTest {

    /** A method whose accuracy is known exactly: (labels per class + 10 x seed) / 100 of 100 test examples. */
    private static final CurveMethod<float[]> KNOWN = (train, seed) -> test -> {
        int right = train.size() / 3 + 10 * (int) seed;
        int[] predicted = test.labels();
        for (int i = Math.min(right, predicted.length); i < predicted.length; i++) {
            predicted[i] = (predicted[i] + 1) % 3;
        }
        return ClassificationReport.of(test.labels(), predicted, test.classNames());
    };

    private static LearningCurveResult curve() {
        LabeledData<float[]> pool = ReportFixtures.blobs(1);
        LabeledData<float[]> test =
                LabeledData.concat(pool, ReportFixtures.blobs(2)).subset(range(100));
        return LearningCurve.<float[]>create()
                .method("known", KNOWN)
                .method(
                        "perfect",
                        (train, seed) -> t -> ClassificationReport.of(t.labels(), t.labels(), t.classNames()))
                .labelsPerClass(1, 2, 5, 10, 20)
                .seeds(1, 2, 3)
                .run(pool, test);
    }

    private static int[] range(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    private static LearningRateCurve rateCurve(OptionalDouble suggestion) {
        List<Double> rates = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double logRate = -7 + i * 0.13;
            rates.add(Math.pow(10, logRate));
            // a bowl: flat, falling around 1e-3, rising after 1e-1
            losses.add(1.1 - 0.9 / (1 + Math.exp(-(logRate + 3) * 2)) + Math.max(0, logRate + 1) * 1.5);
        }
        List<Double> raw = new ArrayList<>(losses);
        raw.set(59, Double.NaN);
        raw.set(55, 100.0);
        return new LearningRateCurve(rates, raw, losses, suggestion, "test curve");
    }

    @Test
    void learningCurveHasOneBandedLinePerMethodOnALogAxis(@TempDir Path dir) throws IOException {
        LearningCurveResult result = curve();
        JFreeChart chart = ReportCharts.learningCurve(result);
        XYPlot plot = chart.getXYPlot();
        assertThat(plot.getDomainAxis()).isInstanceOf(LogAxis.class);
        assertThat(plot.getRenderer()).isInstanceOf(DeviationRenderer.class);
        IntervalXYDataset data = (IntervalXYDataset) plot.getDataset();
        assertThat(data.getSeriesCount()).isEqualTo(2);
        assertThat(data.getSeriesKey(0)).isEqualTo("known");
        assertThat(data.getItemCount(0)).isEqualTo(5);
        // at 10 per class (item 3) the seeds give 0.20, 0.30 and 0.40: line at the mean, band from min to max
        assertThat(data.getXValue(0, 3)).isEqualTo(10);
        assertThat(data.getYValue(0, 3)).isCloseTo(0.30, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(data.getStartYValue(0, 3)).isCloseTo(0.20, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(data.getEndYValue(0, 3)).isCloseTo(0.40, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(data.getStartYValue(1, 0)).isEqualTo(1.0);
        assertThat(plot.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND))
                .singleElement()
                .extracting(m -> ((ValueMarker) m).getValue())
                .isEqualTo(1.0 / 3);

        Path png = CurvePlots.learningCurve(result, dir.resolve("curves/learning-curve.png"));
        TrainingReportTest.assertNotBlankPng(png);
    }

    @Test
    void learningRateChartMarksTheSuggestionOrSaysWhyThereIsNone(@TempDir Path dir) throws IOException {
        JFreeChart chart = CurvePlots.learningRateChart(rateCurve(OptionalDouble.of(1e-3)));
        XYPlot plot = chart.getXYPlot();
        assertThat(plot.getDomainAxis()).isInstanceOf(LogAxis.class);
        XYDataset data = plot.getDataset();
        assertThat(data.getItemCount(0)).as("the NaN loss is left out").isEqualTo(59);
        assertThat(plot.getRangeAxis().getUpperBound())
                .as("fitted to the smoothed loss, the raw spike of 100 clipped")
                .isLessThan(5);
        assertThat(plot.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND))
                .singleElement()
                .satisfies(m -> {
                    assertThat(((ValueMarker) m).getValue()).isEqualTo(1e-3);
                    assertThat(((ValueMarker) m).getLabel()).isEqualTo("suggested 0.0010");
                });
        TrainingReportTest.assertNotBlankPng(
                CurvePlots.learningRateCurve(rateCurve(OptionalDouble.of(1e-3)), dir.resolve("lr.png")));

        JFreeChart none = CurvePlots.learningRateChart(rateCurve(OptionalDouble.empty()));
        assertThat(none.getXYPlot().getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND))
                .isNull();
        assertThat(none.getSubtitles()).anySatisfy(t -> assertThat(t.toString()).isNotNull());
        assertThat(((org.jfree.chart.title.TextTitle) none.getSubtitle(1)).getText())
                .isEqualTo("No suggestion: test curve");

        List<Double> nan = java.util.Collections.nCopies(3, Double.NaN);
        LearningRateCurve diverged =
                new LearningRateCurve(List.of(1e-7, 1e-6, 1e-5), nan, nan, OptionalDouble.empty(), "diverged");
        assertThatThrownBy(() -> CurvePlots.learningRateCurve(diverged, dir.resolve("x.png")))
                .hasMessageContaining("no finite loss to plot");
    }

    @Test
    void aReportGivenARangeTestPlotsIt(@TempDir Path dir) throws IOException {
        try (Backbone<float[]> backbone = ReportFixtures.backbone();
                TransferModel<float[]> model = ReportFixtures.trained(backbone)) {
            LearningRateCurve found =
                    TransferLearner.from(backbone).unfreezeAll().batchSize(8).findLearningRate(ReportFixtures.blobs(1));
            Path html = TrainingReport.of(model).withLearningRateCurve(found).write(dir);
            TrainingReportTest.assertNotBlankPng(dir.resolve("lr-finder.png"));
            String page = Files.readString(html);
            assertThat(page).contains("id=\"lr-finder\"", "alt=\"Learning-rate finder\"");
            assertThat(Files.readString(TrainingReport.of(model).write(dir.resolve("plain"))))
                    .doesNotContain("lr-finder");
        }
    }
}
