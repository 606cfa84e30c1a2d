package io.tl4j.core.selection;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a {@link SelectionReport} as a text table, JSON and CSV. */
final class ReportFormats {

    private static final String[] COST_HEADINGS = {
        "params", "features", "infer ms/ex", "step ms/ex", "peak MB", "seconds"
    };
    private static final String[] COST_KEYS = {
        "parameters",
        "feature_size",
        "inference_ms_per_example",
        "train_step_ms_per_example",
        "peak_memory_mb",
        "seconds"
    };

    private ReportFormats() {}

    static String table(SelectionReport report) {
        List<String[]> lines = new ArrayList<>();
        List<String> heading = new ArrayList<>(List.of("rank", "candidate"));
        report.scores().forEach(s -> heading.add(s.label()));
        heading.addAll(List.of(COST_HEADINGS));
        lines.add(heading.toArray(String[]::new));
        int rank = 0;
        for (CandidateResult row : report.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(row.failed() ? "-" : Integer.toString(++rank));
            cells.add(row.name());
            if (row.failed()) {
                cells.add("failed: " + row.error());
            } else {
                report.scores().forEach(s -> cells.add(String.format(Locale.ROOT, "%.4f", row.score(s))));
                Cost c = row.cost();
                cells.add(parameters(c.parameters()));
                cells.add(Long.toString(c.featureSize()));
                cells.add(String.format(Locale.ROOT, "%.3f", c.inferenceMillisPerExample()));
                cells.add(String.format(Locale.ROOT, "%.4f", c.trainStepMillisPerExample()));
                cells.add(
                        Double.isNaN(c.peakMemoryMb()) ? "n/a" : String.format(Locale.ROOT, "%.0f", c.peakMemoryMb()));
                cells.add(String.format(Locale.ROOT, "%.1f", row.seconds()));
            }
            lines.add(cells.toArray(String[]::new));
        }
        int columns = heading.size();
        int[] width = new int[columns];
        for (String[] line : lines) {
            if (line.length == columns) {
                for (int i = 0; i < columns; i++) {
                    width[i] = Math.max(width[i], line[i].length());
                }
            }
        }
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "Model selection: %d candidates on %d examples of %d classes, ranked by %s, %.1f s%n",
                report.rows().size(),
                report.examples(),
                report.classNames().size(),
                report.rankedBy().label(),
                report.seconds()));
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                String cell = line[i];
                boolean left = i == 1 || (line.length < columns && i == 2);
                int w = line.length < columns && i == 2 ? 0 : width[i];
                text.append(i == 0 ? "" : "  ").append(left ? pad(cell, w, false) : pad(cell, w, true));
            }
            out.append(text.toString().stripTrailing()).append(System.lineSeparator());
        }
        return out.toString();
    }

    static String json(SelectionReport report) {
        JsonObject root = new JsonObject();
        root.addProperty("examples", report.examples());
        JsonArray classes = new JsonArray();
        report.classNames().forEach(classes::add);
        root.add("classes", classes);
        root.addProperty("ranked_by", report.rankedBy().key());
        root.add("seconds", number(report.seconds()));
        JsonArray rows = new JsonArray();
        int rank = 0;
        for (CandidateResult row : report.rows()) {
            JsonObject o = new JsonObject();
            o.add("rank", row.failed() ? JsonNull.INSTANCE : new JsonPrimitive(++rank));
            o.addProperty("name", row.name());
            o.addProperty("baseline", row.baseline());
            o.addProperty("source", row.source());
            JsonObject scores = new JsonObject();
            report.scores().forEach(s -> scores.add(s.key(), number(row.score(s))));
            o.add("scores", scores);
            JsonObject cost = new JsonObject();
            double[] values = costValues(row);
            for (int i = 0; i < COST_KEYS.length - 1; i++) {
                cost.add(COST_KEYS[i], number(values[i]));
            }
            o.add("cost", row.cost() == null ? JsonNull.INSTANCE : cost);
            o.add("seconds", number(row.seconds()));
            o.add("error", row.error() == null ? JsonNull.INSTANCE : new JsonPrimitive(row.error()));
            rows.add(o);
        }
        root.add("candidates", rows);
        return new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(root);
    }

    static String csv(SelectionReport report) {
        List<String> header = new ArrayList<>(List.of("rank", "name", "baseline", "source"));
        report.scores().forEach(s -> header.add(s.key()));
        header.addAll(List.of(COST_KEYS));
        header.add("error");
        StringBuilder out = new StringBuilder(String.join(",", header)).append("\r\n");
        int rank = 0;
        for (CandidateResult row : report.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(row.failed() ? "" : Integer.toString(++rank));
            cells.add(quote(row.name()));
            cells.add(Boolean.toString(row.baseline()));
            cells.add(quote(row.source()));
            report.scores().forEach(s -> cells.add(plain(row.score(s))));
            double[] values = costValues(row);
            for (double v : values) {
                cells.add(plain(v));
            }
            cells.add(row.error() == null ? "" : quote(row.error()));
            out.append(String.join(",", cells)).append("\r\n");
        }
        return out.toString();
    }

    /** The cost values in {@link #COST_KEYS} order; NaN where not measured. */
    private static double[] costValues(CandidateResult row) {
        Cost c = row.cost();
        if (c == null) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, row.seconds()};
        }
        return new double[] {
            c.parameters(),
            c.featureSize(),
            c.inferenceMillisPerExample(),
            c.trainStepMillisPerExample(),
            c.peakMemoryMb(),
            row.seconds()
        };
    }

    private static JsonElement number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return JsonNull.INSTANCE;
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? new JsonPrimitive((long) v) : new JsonPrimitive(v);
    }

    private static String plain(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static String parameters(long p) {
        if (p >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f M", p / 1e6);
        }
        if (p >= 1_000) {
            return String.format(Locale.ROOT, "%.1f k", p / 1e3);
        }
        return Long.toString(p);
    }

    private static String pad(String s, int width, boolean right) {
        if (s.length() >= width) {
            return s;
        }
        String space = " ".repeat(width - s.length());
        return right ? space + s : s + space;
    }
}
