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
 * One case measured by {@code scripts/pytorch_reference.py}: the same work in PyTorch eager.
 *
 * @param key the JMH benchmark it mirrors, {@code group.case}
 * @param params the parameters it ran with (a subset of the JMH row's)
 * @param itemsPerSecond its throughput
 * @param peakRssMiB the peak RSS of the process that ran only this case
 * @param peakRssMeasuredMiB its peak RSS during the timed operations alone, or NaN
 */
public record ReferenceResult(
        String key, Map<String, String> params, double itemsPerSecond, double peakRssMiB, double peakRssMeasuredMiB) {

    /**
     * Reads the cases of the PyTorch reference script's JSON output.
     *
     * @param file the script's JSON output
     * @return its cases
     * @throws IllegalArgumentException when an entry lacks a field, naming the file and entry
     */
    public static List<ReferenceResult> read(Path file) {
        List<ReferenceResult> results = new ArrayList<>();
        try {
            JsonArray array = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                JsonObject o = array.get(i).getAsJsonObject();
                for (String field : List.of("case", "params", "items_per_s", "peak_rss_mib")) {
                    if (!o.has(field)) {
                        throw new IllegalArgumentException(file + ": entry " + i + " has no '" + field + "'");
                    }
                }
                Map<String, String> params = new TreeMap<>();
                for (Map.Entry<String, JsonElement> e :
                        o.getAsJsonObject("params").entrySet()) {
                    params.put(e.getKey(), e.getValue().getAsString());
                }
                results.add(new ReferenceResult(
                        o.get("case").getAsString(),
                        params,
                        o.get("items_per_s").getAsDouble(),
                        o.get("peak_rss_mib").getAsDouble(),
                        o.has("peak_rss_measured_mib")
                                ? o.get("peak_rss_measured_mib").getAsDouble()
                                : Double.NaN));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (IllegalStateException | com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException(file + " is not the reference script's JSON: " + e.getMessage(), e);
        }
        return results;
    }

    /**
     * Tells whether a JMH row is the same benchmark with the same values for this case's parameters.
     *
     * @param row a JMH row
     * @return true when the row is the same benchmark with the same values for this case's parameters
     */
    public boolean matches(JmhResult row) {
        if (!row.key().equals(key)) {
            return false;
        }
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (!p.getValue().equals(row.params().get(p.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
