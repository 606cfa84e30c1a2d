package io.tl4j.report;

import io.tl4j.core.LearningRateCurve;
import io.tl4j.core.curve.LearningCurveResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jfree.chart.JFreeChart;

/**
 * Writes the charts of runs that are not one model's training, as 720 x 400 PNG files in the training
 * report's style: a {@link io.tl4j.core.curve.LearningCurve learning curve} (accuracy against labels per
 * class, log axis, a band per method for the seeds' spread) and a {@link LearningRateCurve} (loss against
 * learning rate, log axis, the suggested rate marked).
 */
public final class CurvePlots {

    static final int WIDTH = 720;
    static final int HEIGHT = 400;

    private CurvePlots() {}

    /**
     * Writes a learning curve's chart.
     *
     * @param result the learning curve
     * @param png the PNG file to write; its directory is created when absent
     * @return the file
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static Path learningCurve(LearningCurveResult result, Path png) {
        return write(ReportCharts.learningCurve(Objects.requireNonNull(result, "result")), png);
    }

    /**
     * Writes a learning-rate range test's chart.
     *
     * @param curve the range test's curve, from {@code learner.findLearningRate(data)}
     * @param png the PNG file to write; its directory is created when absent
     * @return the file
     * @throws IllegalArgumentException when the curve has no finite loss to plot
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static Path learningRateCurve(LearningRateCurve curve, Path png) {
        return write(learningRateChart(curve), png);
    }

    /** Builds the range test's chart, refusing a curve without a single finite loss. */
    static JFreeChart learningRateChart(LearningRateCurve curve) {
        Objects.requireNonNull(curve, "curve");
        if (curve.losses().stream().noneMatch(Double::isFinite)) {
            throw new IllegalArgumentException("The learning-rate curve has no finite loss to plot: " + curve);
        }
        return ReportCharts.learningRateFinder(curve);
    }

    private static Path write(JFreeChart chart, Path png) {
        Objects.requireNonNull(png, "png");
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(png, ReportCharts.png(chart, WIDTH, HEIGHT));
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the chart " + png, e);
        }
    }
}
