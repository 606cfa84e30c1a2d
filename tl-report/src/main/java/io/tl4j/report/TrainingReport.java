package io.tl4j.report;

import io.tl4j.core.LearningRateCurve;
import io.tl4j.core.Provenance;
import io.tl4j.core.TrainingConfig;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.core.metrics.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jfree.chart.JFreeChart;

/**
 * Writes a model's training report: one self-contained HTML file that needs no network (every chart
 * is an inlined PNG, the style is inlined, there is no script) and the same charts as PNG files beside
 * it.
 *
 * <p>The report shows the settings and provenance, the training and validation loss and metrics per
 * epoch, the learning-rate schedule and, given an evaluation, the confusion matrix as a heat map and
 * the per-class precision, recall and F1. What the model does not carry (a history, training
 * settings, an evaluation) is named in the report rather than left out silently. The worst-classified
 * examples are shown through an {@link ExampleView} that the input's domain supplies. Given the
 * {@link LearningRateCurve} of a learning-rate range test, the report also plots it.
 *
 * @param <I> the model's raw input type
 */
public final class TrainingReport<I> {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 400;

    private final TransferModel<I> model;
    private final ClassificationReport evaluation;
    private final String worstExamples;
    private final LearningRateCurve rateCurve;

    private TrainingReport(
            TransferModel<I> model,
            ClassificationReport evaluation,
            String worstExamples,
            LearningRateCurve rateCurve) {
        this.model = Objects.requireNonNull(model, "model");
        this.evaluation = evaluation;
        this.worstExamples = worstExamples;
        this.rateCurve = rateCurve;
    }

    /**
     * Starts a report of a model, from what the model carries (settings, provenance, history).
     *
     * @param model the model
     * @param <I> the model's raw input type
     * @return a report without an evaluation
     */
    public static <I> TrainingReport<I> of(TransferModel<I> model) {
        return new TrainingReport<>(model, null, null, null);
    }

    /**
     * Returns a report that also shows an evaluation: confusion matrix and per-class scores.
     *
     * @param evaluation the model's evaluation on held-out data, e.g. {@code model.evaluate(test)}
     * @return a report with the evaluation
     */
    public TrainingReport<I> withEvaluation(ClassificationReport evaluation) {
        return new TrainingReport<>(model, Objects.requireNonNull(evaluation, "evaluation"), worstExamples, rateCurve);
    }

    /**
     * Returns a report that also shows the examples the model gives the lowest probability to their true
     * class, worst first, each through a view (see {@link ExampleView#text} and {@link ExampleView#image}).
     *
     * @param data labelled examples, with the model's classes
     * @param view shows one input
     * @param count how many examples to show
     * @return a report with them
     * @throws IllegalArgumentException when {@code count} is not positive or the classes differ
     */
    public TrainingReport<I> withWorstExamples(LabeledData<I> data, ExampleView<I> view, int count) {
        return new TrainingReport<>(model, evaluation, WorstExamples.html(model, data, view, count), rateCurve);
    }

    /**
     * Returns a report that also plots a learning-rate range test: loss against learning rate, the
     * suggested rate marked (or, without one, the reason).
     *
     * @param curve the range test's curve, from {@code learner.findLearningRate(data)}
     * @return a report with the plot
     * @throws IllegalArgumentException when the curve has no finite loss to plot
     */
    public TrainingReport<I> withLearningRateCurve(LearningRateCurve curve) {
        CurvePlots.learningRateChart(curve);
        return new TrainingReport<>(model, evaluation, worstExamples, curve);
    }

    /**
     * Writes {@code report.html} and a PNG file per chart into a directory, creating it when absent.
     *
     * @param directory where to write
     * @return the HTML file
     * @throws UncheckedIOException when a file cannot be written, naming it
     */
    public Path write(Path directory) {
        List<Chart> charts = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        History history = model.history();
        if (history.size() == 0) {
            missing.add("No training history: the model was loaded without one or never trained here,"
                    + " so there are no loss, metric or learning-rate charts.");
        } else {
            charts.add(new Chart("loss", ReportCharts.loss(history)));
            JFreeChart metrics = ReportCharts.metrics(history);
            if (metrics == null) {
                missing.add("No metrics per epoch: the run had no validation data.");
            } else {
                charts.add(new Chart("metrics", metrics));
            }
            charts.add(new Chart("learning-rate", ReportCharts.learningRate(history)));
        }
        if (rateCurve != null) {
            charts.add(new Chart("lr-finder", CurvePlots.learningRateChart(rateCurve)));
        }
        if (evaluation == null) {
            missing.add("No evaluation: pass model.evaluate(testData) to withEvaluation for the confusion"
                    + " matrix and per-class scores.");
        } else {
            charts.add(new Chart("confusion-matrix", ReportCharts.confusion(evaluation)));
        }
        if (worstExamples == null) {
            missing.add("No worst-classified examples: pass labelled data and a view to withWorstExamples.");
        }
        Optional<TrainingConfig> config = model.trainingConfig();
        if (config.isEmpty()) {
            missing.add("No training settings: the model was saved without them.");
        }
        try {
            Files.createDirectories(directory);
            StringBuilder html = new StringBuilder();
            head(html);
            html.append("<h2>Settings and provenance</h2>\n<table>\n");
            row(html, "Classes", String.join(", ", model.classNames()));
            Provenance provenance = model.provenance();
            row(html, "Backbone weights", provenance.source());
            row(html, "SHA-256", provenance.sha256());
            row(html, "Licence", provenance.licence());
            row(html, "Note", provenance.note());
            config.ifPresent(c -> row(html, "Training settings", c.toString()));
            html.append("</table>\n");
            if (!missing.isEmpty()) {
                html.append("<h2>Missing</h2>\n<ul class=\"missing\">\n");
                missing.forEach(m -> html.append("<li>").append(Html.escape(m)).append("</li>\n"));
                html.append("</ul>\n");
            }
            for (Chart chart : charts) {
                byte[] png = ReportCharts.png(chart.chart(), WIDTH, HEIGHT);
                Files.write(directory.resolve(chart.name() + ".png"), png);
                html.append("<figure><img class=\"chart\" id=\"")
                        .append(chart.name())
                        .append("\" alt=\"")
                        .append(Html.escape(chart.chart().getTitle().getText()))
                        .append("\" width=\"" + WIDTH + "\" height=\"" + HEIGHT + "\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(png))
                        .append("\"></figure>\n");
            }
            if (evaluation != null) {
                perClass(html);
            }
            if (worstExamples != null) {
                html.append(worstExamples);
            }
            html.append("</body>\n</html>\n");
            Path file = directory.resolve("report.html");
            Files.writeString(file, html, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the training report into " + directory, e);
        }
    }

    private void head(StringBuilder html) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Html.escape("Training report: " + String.join(", ", model.classNames())))
                .append("</title>\n<style>\nbody{font-family:sans-serif;margin:2em;max-width:60em}\n")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;")
                .append("text-align:left;vertical-align:top}\n.missing{color:#a40}\nfigure{margin:1em 0}\n")
                .append("</style>\n</head>\n<body>\n<h1>Training report</h1>\n");
    }

    private void perClass(StringBuilder html) {
        html.append("<h2>Per-class scores</h2>\n<table id=\"per-class\">\n")
                .append("<tr><th>Class</th><th>Precision</th><th>Recall</th><th>F1</th><th>Support</th></tr>\n");
        List<String> names = evaluation.classNames();
        for (int c = 0; c < names.size(); c++) {
            html.append("<tr><td>")
                    .append(Html.escape(names.get(c)))
                    .append(String.format(
                            Locale.ROOT,
                            "</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%d</td></tr>%n",
                            evaluation.precision(c),
                            evaluation.recall(c),
                            evaluation.f1(c),
                            evaluation.support(c)));
        }
        html.append(String.format(
                Locale.ROOT,
                "</table>\n<p>Accuracy %.3f, macro F1 %.3f over %d examples.</p>%n",
                evaluation.accuracy(),
                evaluation.macroF1(),
                evaluation.size()));
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>")
                .append(Html.escape(name))
                .append("</th><td>")
                .append(Html.escape(value == null || value.isBlank() ? "(not recorded)" : value))
                .append("</td></tr>\n");
    }

    private record Chart(String name, JFreeChart chart) {}
}
