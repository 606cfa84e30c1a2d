package io.tl4j.report;

import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/** Finds the examples a model gives the lowest probability to their true class, as an HTML table. */
final class WorstExamples {

    private WorstExamples() {}

    /**
     * Returns the report section of the {@code count} worst-classified examples, worst first.
     *
     * @param model the model
     * @param data labelled examples, with the model's classes
     * @param view shows one input
     * @param count how many examples to show
     * @param <I> the raw input type
     * @return the HTML section
     * @throws IllegalArgumentException when {@code count} is not positive or the classes differ
     */
    static <I> String html(TransferModel<I> model, LabeledData<I> data, ExampleView<I> view, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        if (!data.classNames().equals(model.classNames())) {
            throw new IllegalArgumentException(
                    "The examples' classes " + data.classNames() + " are not the model's " + model.classNames());
        }
        float[][] probabilities = model.probabilities(data.inputs());
        List<Integer> worst = IntStream.range(0, data.size())
                .boxed()
                .sorted(Comparator.comparingDouble(i -> probabilities[i][data.label(i)]))
                .limit(count)
                .toList();
        List<String> names = model.classNames();
        StringBuilder html = new StringBuilder("<h2>Worst-classified examples</h2>\n<table id=\"worst\">\n"
                + "<tr><th>Example</th><th>True</th><th>Predicted</th><th>P(true)</th></tr>\n");
        for (int i : worst) {
            float[] p = probabilities[i];
            int predicted = 0;
            for (int c = 1; c < p.length; c++) {
                predicted = p[c] > p[predicted] ? c : predicted;
            }
            html.append("<tr><td>")
                    .append(view.toHtml(data.input(i)))
                    .append("</td><td>")
                    .append(Html.escape(names.get(data.label(i))))
                    .append("</td><td>")
                    .append(Html.escape(names.get(predicted)))
                    .append(String.format(Locale.ROOT, "</td><td>%.3f</td></tr>%n", p[data.label(i)]));
        }
        return html.append("</table>\n").toString();
    }
}
