package io.tl4j.core.curve;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a {@link LearningCurveResult} as a text table, JSON and CSV. */
final class CurveFormats {

    private CurveFormats() {}

    static String table(LearningCurveResult result) {
        List<String[]> lines = new ArrayList<>();
        List<String> heading = new ArrayList<>(List.of("method", "labels/class", "mean", "min", "max"));
        for (long seed : result.seeds()) {
            heading.add("seed " + seed);
        }
        heading.add("s/fit");
        lines.add(heading.toArray(String[]::new));
        for (CurvePoint p : result.points()) {
            List<String> cells = new ArrayList<>(
                    List.of(p.method(), Integer.toString(p.labelsPerClass()), f3(p.mean()), f3(p.min()), f3(p.max())));
            for (double a : p.accuracies()) {
                cells.add(f3(a));
            }
            cells.add(String.format(Locale.ROOT, "%.1f", p.meanSeconds()));
            lines.add(cells.toArray(String[]::new));
        }
        int[] width = new int[heading.size()];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "Learning curve: test accuracy on %d examples of %d classes, %d seeds%n",
                result.testExamples(),
                result.classNames().size(),
                result.seeds().length));
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                String pad = " ".repeat(width[i] - line[i].length());
                text.append(i == 0 ? "" : "  ").append(i == 0 ? line[i] + pad : pad + line[i]);
            }
            out.append(text.toString().stripTrailing()).append(System.lineSeparator());
        }
        return out.toString();
    }

    static String json(LearningCurveResult result) {
        JsonObject root = new JsonObject();
        JsonArray classes = new JsonArray();
        result.classNames().forEach(classes::add);
        root.add("classes", classes);
        root.addProperty("test_examples", result.testExamples());
        JsonArray counts = new JsonArray();
        for (int count : result.labelsPerClass()) {
            counts.add(count);
        }
        root.add("labels_per_class", counts);
        JsonArray seeds = new JsonArray();
        for (long seed : result.seeds()) {
            seeds.add(seed);
        }
        root.add("seeds", seeds);
        JsonArray methods = new JsonArray();
        for (String method : result.methods()) {
            JsonObject m = new JsonObject();
            m.addProperty("name", method);
            JsonArray points = new JsonArray();
            for (CurvePoint p : result.points(method)) {
                JsonObject o = new JsonObject();
                o.addProperty("labels_per_class", p.labelsPerClass());
                JsonArray accuracies = new JsonArray();
                for (double a : p.accuracies()) {
                    accuracies.add(number(a));
                }
                o.add("accuracies", accuracies);
                o.add("mean", number(p.mean()));
                o.add("min", number(p.min()));
                o.add("max", number(p.max()));
                o.add("seconds_mean", number(p.meanSeconds()));
                points.add(o);
            }
            m.add("points", points);
            methods.add(m);
        }
        root.add("methods", methods);
        return new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(root);
    }

    static String csv(LearningCurveResult result) {
        List<String> header =
                new ArrayList<>(List.of("method", "labels_per_class", "mean", "min", "max", "seconds_mean"));
        for (long seed : result.seeds()) {
            header.add("seed_" + seed);
        }
        StringBuilder out = new StringBuilder(String.join(",", header)).append("\r\n");
        for (CurvePoint p : result.points()) {
            List<String> cells = new ArrayList<>(List.of(
                    quote(p.method()),
                    Integer.toString(p.labelsPerClass()),
                    plain(p.mean()),
                    plain(p.min()),
                    plain(p.max()),
                    plain(p.meanSeconds())));
            for (double a : p.accuracies()) {
                cells.add(plain(a));
            }
            out.append(String.join(",", cells)).append("\r\n");
        }
        return out.toString();
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static JsonElement number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? JsonNull.INSTANCE : new JsonPrimitive(v);
    }

    private static String plain(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
