package io.tl4j.report;

import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.metrics.History;
import java.awt.Color;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.GrayPaintScale;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Builds the report's charts with JFreeChart and renders them as PNG. */
final class ReportCharts {

    private ReportCharts() {}

    /**
     * Plots the training loss and, when recorded, the validation loss per epoch.
     *
     * @param history the run's history; must have at least one epoch
     * @return the chart
     */
    static JFreeChart loss(History history) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries train = new XYSeries("training loss");
        XYSeries validation = new XYSeries("validation loss");
        for (EpochRecord epoch : history.epochs()) {
            train.add(epoch.epoch(), epoch.trainLoss());
            Double value = epoch.metrics().get("val_loss");
            if (value != null) {
                validation.add(epoch.epoch(), value);
            }
        }
        data.addSeries(train);
        if (validation.getItemCount() > 0) {
            data.addSeries(validation);
        }
        return line("Loss per epoch", "loss", data);
    }

    /**
     * Plots every recorded metric other than the validation loss per epoch.
     *
     * @param history the run's history
     * @return the chart, or null when no epoch records such a metric
     */
    static JFreeChart metrics(History history) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (EpochRecord epoch : history.epochs()) {
            epoch.metrics().forEach((name, value) -> {
                if (!name.equals("val_loss")) {
                    series.computeIfAbsent(name, XYSeries::new).add(epoch.epoch(), value);
                }
            });
        }
        if (series.isEmpty()) {
            return null;
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        return line("Metrics per epoch", "value", data);
    }

    /**
     * Plots the learning rate at the end of each epoch.
     *
     * @param history the run's history; must have at least one epoch
     * @return the chart
     */
    static JFreeChart learningRate(History history) {
        XYSeries rate = new XYSeries("learning rate");
        history.epochs().forEach(epoch -> rate.add(epoch.epoch(), epoch.learningRate()));
        return line("Learning-rate schedule", "learning rate", new XYSeriesCollection(rate));
    }

    /**
     * Draws the confusion matrix as a heat map: true class down, predicted class across, darker for more.
     *
     * @param evaluation the evaluation
     * @return the chart
     */
    static JFreeChart confusion(ClassificationReport evaluation) {
        int[][] matrix = evaluation.confusionMatrix();
        int classes = matrix.length;
        double[][] series = new double[3][classes * classes];
        int max = 1;
        for (int truth = 0; truth < classes; truth++) {
            for (int predicted = 0; predicted < classes; predicted++) {
                int k = truth * classes + predicted;
                series[0][k] = predicted;
                series[1][k] = truth;
                series[2][k] = matrix[truth][predicted];
                max = Math.max(max, matrix[truth][predicted]);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("count", series);
        String[] names = evaluation.classNames().toArray(String[]::new);
        SymbolAxis predictedAxis = new SymbolAxis("predicted", names);
        SymbolAxis truthAxis = new SymbolAxis("true", names);
        truthAxis.setInverted(true);
        XYBlockRenderer renderer = new XYBlockRenderer();
        // counts from 0 (white) to the largest cell (black): reversed gray
        GrayPaintScale gray = new GrayPaintScale(0, max);
        renderer.setPaintScale(new InvertedScale(gray));
        XYPlot plot = new XYPlot(data, predictedAxis, truthAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart chart = new JFreeChart("Confusion matrix", plot);
        chart.removeLegend();
        NumberAxis scaleAxis = new NumberAxis("count");
        scaleAxis.setRange(0, max);
        PaintScaleLegend legend = new PaintScaleLegend(new InvertedScale(gray), scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * Renders a chart as PNG bytes.
     *
     * @param chart the chart
     * @param width the width in pixels
     * @param height the height in pixels
     * @return the PNG file's bytes
     */
    static byte[] png(JFreeChart chart, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot render the chart '" + chart.getTitle().getText() + "'", e);
        }
        return out.toByteArray();
    }

    private static JFreeChart line(String title, String valueLabel, XYSeriesCollection data) {
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, "epoch", valueLabel, data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }

    /** A gray scale from white at the lower bound to black at the upper: more counts, darker cells. */
    private record InvertedScale(GrayPaintScale gray) implements PaintScale {
        @Override
        public double getLowerBound() {
            return gray.getLowerBound();
        }

        @Override
        public double getUpperBound() {
            return gray.getUpperBound();
        }

        @Override
        public Paint getPaint(double value) {
            return gray.getPaint(gray.getUpperBound() - value + gray.getLowerBound());
        }
    }
}
