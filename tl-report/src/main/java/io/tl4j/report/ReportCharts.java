package io.tl4j.report;

import io.tl4j.core.LearningRateCurve;
import io.tl4j.core.curve.CurvePoint;
import io.tl4j.core.curve.LearningCurveResult;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.metrics.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.GrayPaintScale;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** Builds the report's charts with JFreeChart and renders them as PNG. */
final class ReportCharts {

    /** Line colours, one per method of a learning curve, repeating. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd)
    };

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
     * Plots a learning-rate range test: raw and smoothed loss against the learning rate on a log axis,
     * the value axis fitted to the smoothed loss (raw spikes clipped), the suggested rate marked; without a
     * suggestion the chart says why in a subtitle.
     *
     * @param curve the range test's curve; must have at least one finite loss
     * @return the chart
     */
    static JFreeChart learningRateFinder(LearningRateCurve curve) {
        XYSeries raw = new XYSeries("loss");
        XYSeries smoothed = new XYSeries("smoothed loss");
        List<Double> rates = curve.learningRates();
        for (int i = 0; i < rates.size(); i++) {
            addFinite(raw, rates.get(i), curve.losses().get(i));
            addFinite(smoothed, rates.get(i), curve.smoothed().get(i));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(raw);
        data.addSeries(smoothed);
        JFreeChart chart = line("Learning-rate finder", "loss", data);
        XYPlot plot = chart.getXYPlot();
        LogAxis rateAxis = new LogAxis("learning rate (head)");
        rateAxis.setSmallestValue(1e-12);
        rateAxis.setNumberFormatOverride(new DecimalFormat("0.#E0"));
        plot.setDomainAxis(rateAxis);
        // the raw loss spikes as the sweep diverges: scale the value axis to the smoothed loss, clipping spikes
        if (smoothed.getItemCount() > 1 && smoothed.getMaxY() > smoothed.getMinY()) {
            double span = smoothed.getMaxY() - smoothed.getMinY();
            double low = Math.min(smoothed.getMinY(), raw.getMinY());
            plot.getRangeAxis().setRange(low - 0.05 * span, smoothed.getMaxY() + 0.15 * span);
        }
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        renderer.setSeriesPaint(0, new Color(0xb0b0b0));
        renderer.setSeriesPaint(1, PALETTE[0]);
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        if (curve.suggestion().isPresent()) {
            double rate = curve.suggestion().getAsDouble();
            ValueMarker marker = new ValueMarker(rate, PALETTE[1], new BasicStroke(1.5f));
            marker.setLabel(String.format(Locale.ROOT, "suggested %.2g", rate));
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(marker);
        } else {
            chart.addSubtitle(new TextTitle("No suggestion: " + curve.note()));
        }
        return chart;
    }

    /**
     * Plots a learning curve: mean test accuracy against labels per class on a log axis, one line per
     * method, with a band from the lowest to the highest seed's accuracy, and chance level dashed.
     *
     * @param result the learning curve
     * @return the chart
     */
    static JFreeChart learningCurve(LearningCurveResult result) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (String method : result.methods()) {
            YIntervalSeries series = new YIntervalSeries(method);
            for (CurvePoint p : result.points(method)) {
                series.add(p.labelsPerClass(), p.mean(), p.min(), p.max());
            }
            data.addSeries(series);
        }
        LogAxis labels = new LogAxis("labels per class");
        labels.setBase(2);
        labels.setSmallestValue(0.5);
        labels.setNumberFormatOverride(new DecimalFormat("0"));
        // one tick per power of two: 1, 2, 4, 8, ...
        labels.setAutoTickUnitSelection(false);
        labels.setTickUnit(new NumberTickUnit(1));
        int[] counts = result.labelsPerClass();
        labels.setRange(counts[0] / 1.25, counts[counts.length - 1] * 1.25);
        NumberAxis accuracy = new NumberAxis("test accuracy");
        accuracy.setRange(0, 1.02);
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        for (int m = 0; m < result.methods().size(); m++) {
            Color colour = PALETTE[m % PALETTE.length];
            renderer.setSeriesPaint(m, colour);
            renderer.setSeriesFillPaint(m, colour);
            renderer.setSeriesStroke(m, new BasicStroke(2f));
        }
        renderer.setAlpha(0.2f);
        XYPlot plot = new XYPlot(data, labels, accuracy, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ValueMarker chance = new ValueMarker(
                1.0 / result.classNames().size(),
                Color.GRAY,
                new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
        chance.setLabel("chance");
        chance.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        chance.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addRangeMarker(chance);
        JFreeChart chart = new JFreeChart("Learning curve", plot);
        chart.addSubtitle(new TextTitle(String.format(
                Locale.ROOT,
                "mean over %d seeds, band from min to max; %d test examples",
                result.seeds().length,
                result.testExamples())));
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

    private static void addFinite(XYSeries series, double x, double y) {
        if (Double.isFinite(x) && x > 0 && Double.isFinite(y)) {
            series.add(x, y);
        }
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
