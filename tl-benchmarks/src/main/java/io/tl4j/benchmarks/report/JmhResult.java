package io.tl4j.benchmarks.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of JMH's JSON output ({@code -rf json}), reduced to what the report needs. Benchmark
 * methods are named {@code <case>_<side>}, the side being {@code tl4j}, {@code djl} (the raw-DJL
 * baseline) or a variant such as {@code djlStaged}.
 *
 * @param group the benchmark class's simple name, e.g. {@code Inference}
 * @param caseName the method name before the side, e.g. {@code predict}
 * @param side the method name after the last underscore, e.g. {@code tl4j}
 * @param params the JMH parameters
 * @param allocator the allocator the run was labelled with ({@code glibc}, {@code tcmalloc})
 * @param score the mean score
 * @param error the 99.9% confidence half-width (NaN with too few iterations)
 * @param median the median of the iterations
 * @param unit the score's unit, e.g. {@code s/op}, {@code ms/op}
 * @param peakRssMiB the fork's peak RSS from {@code PeakRssProfiler}, or NaN
 * @param peakRssMeasuredMiB the peak RSS during the measurement iterations, or NaN
 */
public record JmhResult(
        String group,
        String caseName,
        String side,
        Map<String, String> params,
        String allocator,
        double score,
        double error,
        double median,
        String unit,
        double peakRssMiB,
        double peakRssMeasuredMiB) {

    /**
     * Reads a JMH JSON result file.
     *
     * @param file the file
     * @param allocator the label of the run
     * @return its rows
     * @throws IllegalArgumentException when the file is not JMH JSON, naming the file
     */
    public static List<JmhResult> read(Path file, String allocator) {
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException(file + " is not JMH JSON output (expected an array)");
        }
        List<JmhResult> rows = new ArrayList<>();
        JsonArray array = root.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            JsonObject row = array.get(i).getAsJsonObject();
            if (!row.has("benchmark") || !row.has("primaryMetric")) {
                throw new IllegalArgumentException(file + ": entry " + i + " has no benchmark or primaryMetric");
            }
            String benchmark = row.get("benchmark").getAsString();
            String[] parts = benchmark.split("\\.");
            String group = parts.length > 1 ? parts[parts.length - 2] : "";
            String method = parts[parts.length - 1];
            int underscore = method.lastIndexOf('_');
            String caseName = underscore < 0 ? method : method.substring(0, underscore);
            String side = underscore < 0 ? "" : method.substring(underscore + 1);
            Map<String, String> params = new TreeMap<>();
            if (row.has("params")) {
                row.getAsJsonObject("params")
                        .entrySet()
                        .forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
            }
            JsonObject primary = row.getAsJsonObject("primaryMetric");
            double rss = secondary(row, "rss.peak");
            double rssMeasured = secondary(row, "rss.peakMeasured");
            double median = primary.has("scorePercentiles")
                    ? number(primary.getAsJsonObject("scorePercentiles").get("50.0"))
                    : number(primary.get("score"));
            rows.add(new JmhResult(
                    group,
                    caseName,
                    side,
                    params,
                    allocator,
                    number(primary.get("score")),
                    number(primary.get("scoreError")),
                    median,
                    primary.get("scoreUnit").getAsString(),
                    rss,
                    rssMeasured));
        }
        return rows;
    }

    private static double secondary(JsonObject row, String metric) {
        if (row.has("secondaryMetrics")
                && row.getAsJsonObject("secondaryMetrics").has(metric)) {
            return number(row.getAsJsonObject("secondaryMetrics")
                    .getAsJsonObject(metric)
                    .get("score"));
        }
        return Double.NaN;
    }

    private static double number(JsonElement element) {
        return element == null || element.isJsonNull() ? Double.NaN : Double.parseDouble(element.getAsString());
    }

    /** Returns {@code group.case}, the key that pairs sides and matches the PyTorch reference. */
    public String key() {
        return group + "." + caseName;
    }

    /**
     * Returns the seconds one operation takes at the median.
     *
     * @return the seconds one operation takes at the median
     * @throws IllegalArgumentException for a unit the report does not know
     */
    public double medianSeconds() {
        return switch (unit) {
            case "s/op" -> median;
            case "ms/op" -> median / 1e3;
            case "us/op" -> median / 1e6;
            case "ns/op" -> median / 1e9;
            case "ops/s" -> 1 / median;
            case "ops/ms" -> 1 / (median * 1e3);
            default -> throw new IllegalArgumentException("Unknown JMH unit " + unit + " of " + key());
        };
    }

    /** Returns the items (images, texts, feature vectors, clips) one operation processes. */
    public double itemsPerOperation() {
        if (params.containsKey("samples") && !caseName.equals("predict")) {
            return Double.parseDouble(params.get("samples")) * Double.parseDouble(params.getOrDefault("epochs", "1"));
        }
        return Double.parseDouble(params.getOrDefault("batch", "1"));
    }

    /** Returns items per second at the median. */
    public double itemsPerSecond() {
        return itemsPerOperation() / medianSeconds();
    }

    /** Returns the parameters as {@code k=v} pairs, without {@code device} when it is cpu. */
    public String paramsText() {
        StringBuilder text = new StringBuilder();
        params.forEach((k, v) -> {
            if (!(k.equals("device") && v.equals("cpu"))) {
                text.append(text.length() == 0 ? "" : " ").append(k).append('=').append(v);
            }
        });
        return text.toString();
    }
}
