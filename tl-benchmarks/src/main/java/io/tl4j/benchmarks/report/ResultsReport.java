package io.tl4j.benchmarks.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes {@code results/latest.md} from JMH JSON files (one per allocator), the PyTorch reference's
 * JSON, the soak run's JSON and a machine description: the results table with tl4j/baseline ratios,
 * the targets and whether they were met, tl4j against PyTorch eager, and native-memory growth.
 *
 * <pre>
 * java -cp benchmarks.jar io.tl4j.benchmarks.report.ResultsReport --out results/latest.md \
 *     --jmh tcmalloc=jmh-tcmalloc.json --jmh glibc=jmh-glibc.json --pytorch pytorch.json \
 *     --soak soak.json --machine machine.txt --note "measured under contention"
 * </pre>
 */
public final class ResultsReport {

    /** The side name of the raw-DJL baseline. */
    public static final String BASELINE = "djl";
    /** The side name of tl4j. */
    public static final String TL4J = "tl4j";
    /** The largest tl4j/baseline time ratio the overhead target allows. */
    public static final double MAX_OVERHEAD = 1.03;
    /** The least speed-up of a cached feature-extraction run over the naive one. */
    public static final double MIN_CACHE_SPEEDUP = 8;
    /** The largest tl4j/PyTorch peak RSS ratio allowed. */
    public static final double MAX_RSS_RATIO = 1.5;

    private final List<JmhResult> rows = new ArrayList<>();
    private final List<ReferenceResult> reference = new ArrayList<>();
    private final Map<String, String> machine = new LinkedHashMap<>();
    private JsonObject soak;
    private String note = "";

    /**
     * Adds JMH rows to the report.
     *
     * @param results JMH rows to report
     * @return this report
     */
    public ResultsReport addJmh(List<JmhResult> results) {
        rows.addAll(results);
        return this;
    }

    /**
     * Adds the PyTorch reference's cases to the report.
     *
     * @param results the PyTorch reference's cases
     * @return this report
     */
    public ResultsReport addReference(List<ReferenceResult> results) {
        reference.addAll(results);
        return this;
    }

    /**
     * Adds a line describing the machine.
     *
     * @param key e.g. {@code CPU}
     * @param value e.g. {@code Intel Xeon ...}
     * @return this report
     */
    public ResultsReport machine(String key, String value) {
        machine.put(key, value);
        return this;
    }

    /**
     * Adds the soak test's results to the report.
     *
     * @param soakJson the output of {@code io.tl4j.benchmarks.Soak}
     * @return this report
     */
    public ResultsReport soak(JsonObject soakJson) {
        this.soak = soakJson;
        return this;
    }

    /**
     * Adds a remark shown at the top, e.g. that the machine was contended.
     *
     * @param text a remark shown at the top, e.g. that the machine was contended
     * @return this report
     */
    public ResultsReport note(String text) {
        this.note = text;
        return this;
    }

    /**
     * Finds the raw-DJL row a JMH row pairs with: same benchmark case, parameters and allocator.
     *
     * @param row a JMH row
     * @return the raw-DJL row it pairs with: same benchmark case, parameters and allocator
     */
    public Optional<JmhResult> baselineOf(JmhResult row) {
        return rows.stream()
                .filter(r -> r.side().equals(BASELINE)
                        && r.key().equals(row.key())
                        && r.params().equals(row.params())
                        && r.allocator().equals(row.allocator()))
                .findFirst();
    }

    /**
     * Returns a row's median time over its baseline's, when there is one.
     *
     * @param row a JMH row that is not the baseline
     * @return its median time over its baseline's, when there is one
     */
    public Optional<Double> ratio(JmhResult row) {
        if (row.side().equals(BASELINE)) {
            return Optional.empty();
        }
        return baselineOf(row).map(b -> row.medianSeconds() / b.medianSeconds());
    }

    /** Renders the report as markdown. */
    public String markdown() {
        StringBuilder md = new StringBuilder("# tl4j benchmark results\n\n");
        if (!note.isBlank()) {
            md.append("> ").append(note).append("\n\n");
        }
        if (!machine.isEmpty()) {
            md.append("## Machine\n\n");
            machine.forEach(
                    (k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
            md.append('\n');
        }
        appendTable(md);
        appendTargets(md);
        appendReference(md);
        appendSoak(md);
        return md.toString();
    }

    private void appendTable(StringBuilder md) {
        md.append("## JMH results\n\n")
                .append("Median and score (mean) ± 99.9% error of JMH's iterations; `ratio` is this side's median ")
                .append("time over the raw-DJL baseline's (`_djl`) with the same parameters and allocator: ")
                .append("1.00 = as fast, 1.03 = 3% slower. Items are images, feature vectors or texts: ")
                .append("samples × epochs for whole runs, else the batch. Peak RSS: the benchmark JVM's VmHWM over ")
                .append("the whole fork (setup included) and during the measurement iterations alone.\n\n")
                .append("| benchmark | side | params | allocator | median | score ± error | unit | items/s | ")
                .append("peak RSS MiB | measured peak RSS MiB | ratio vs djl |\n")
                .append("| --- | --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
        for (JmhResult r : rows) {
            md.append("| ")
                    .append(r.key())
                    .append(" | ")
                    .append(r.side())
                    .append(" | ")
                    .append(r.paramsText())
                    .append(" | ")
                    .append(r.allocator())
                    .append(" | ")
                    .append(fmt(r.median()))
                    .append(" | ")
                    .append(fmt(r.score()))
                    .append(Double.isNaN(r.error()) ? "" : " ± " + fmt(r.error()))
                    .append(" | ")
                    .append(r.unit())
                    .append(" | ")
                    .append(fmt(r.itemsPerSecond()))
                    .append(" | ")
                    .append(Double.isNaN(r.peakRssMiB()) ? "" : fmt(r.peakRssMiB()))
                    .append(" | ")
                    .append(Double.isNaN(r.peakRssMeasuredMiB()) ? "" : fmt(r.peakRssMeasuredMiB()))
                    .append(" | ")
                    .append(ratio(r).map(x -> String.format(Locale.ROOT, "%.3f", x))
                            .orElse(""))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void appendTargets(StringBuilder md) {
        md.append("## Targets\n\n");
        md.append("Framework overhead at most ")
                .append(pct(MAX_OVERHEAD - 1))
                .append(" against raw DJL (tl4j/djl median time):\n\n");
        for (JmhResult r : rows) {
            if (r.side().equals(TL4J)) {
                ratio(r).ifPresent(x -> md.append("- ")
                        .append(r.key())
                        .append(' ')
                        .append(r.paramsText())
                        .append(" [")
                        .append(r.allocator())
                        .append("]: ")
                        .append(String.format(Locale.ROOT, "%.3f", x))
                        .append(verdict(x <= MAX_OVERHEAD))
                        .append('\n'));
            }
        }
        md.append("\nCached feature extraction at least ")
                .append(fmt(MIN_CACHE_SPEEDUP))
                .append("× faster than the naive frozen forward over the same run (naive/cached time):\n\n");
        for (JmhResult naive : rows) {
            if (naive.key().equals("FeatureExtraction.naive")) {
                rows.stream()
                        .filter(c -> c.key().equals("FeatureExtraction.cached")
                                && c.side().equals(naive.side())
                                && c.params().equals(naive.params())
                                && c.allocator().equals(naive.allocator()))
                        .findFirst()
                        .ifPresent(c -> {
                            double speedup = naive.medianSeconds() / c.medianSeconds();
                            md.append("- ")
                                    .append(naive.side())
                                    .append(' ')
                                    .append(naive.paramsText())
                                    .append(" [")
                                    .append(naive.allocator())
                                    .append("]: ")
                                    .append(String.format(Locale.ROOT, "%.1f×", speedup))
                                    .append(naive.side().equals(TL4J) ? verdict(speedup >= MIN_CACHE_SPEEDUP) : "")
                                    .append('\n');
                        });
            }
        }
        md.append('\n');
    }

    private void appendReference(StringBuilder md) {
        if (reference.isEmpty()) {
            return;
        }
        md.append("## Against PyTorch eager\n\n")
                .append("The same work in PyTorch eager (`scripts/pytorch_reference.py`, same threads), each case in ")
                .append("a process of its own. Throughput ratio: tl4j items/s over PyTorch's (target ≥ 1); RSS ratio: ")
                .append("tl4j peak RSS over PyTorch's, whole process (target ≤ ")
                .append(fmt(MAX_RSS_RATIO))
                .append("), and during the measured operations alone (peak reset after setup on both sides).\n\n")
                .append("| benchmark | params | allocator | tl4j items/s | raw DJL items/s | PyTorch items/s | ")
                .append(
                        "tl4j/PyTorch throughput | raw DJL/PyTorch | tl4j peak RSS MiB | PyTorch peak RSS MiB | RSS ratio | ")
                .append("measured RSS ratio |\n")
                .append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (ReferenceResult ref : reference) {
            for (JmhResult r : rows) {
                if (r.side().equals(TL4J) && ref.matches(r)) {
                    Optional<JmhResult> djl = baselineOf(r);
                    double throughput = r.itemsPerSecond() / ref.itemsPerSecond();
                    double rss = r.peakRssMiB() / ref.peakRssMiB();
                    md.append("| ")
                            .append(r.key())
                            .append(" | ")
                            .append(r.paramsText())
                            .append(" | ")
                            .append(r.allocator())
                            .append(" | ")
                            .append(fmt(r.itemsPerSecond()))
                            .append(" | ")
                            .append(djl.map(b -> fmt(b.itemsPerSecond())).orElse(""))
                            .append(" | ")
                            .append(fmt(ref.itemsPerSecond()))
                            .append(" | ")
                            .append(String.format(Locale.ROOT, "%.2f", throughput))
                            .append(verdict(throughput >= 1))
                            .append(" | ")
                            .append(djl.map(b -> String.format(
                                            Locale.ROOT, "%.2f", b.itemsPerSecond() / ref.itemsPerSecond()))
                                    .orElse(""))
                            .append(" | ")
                            .append(fmt(r.peakRssMiB()))
                            .append(" | ")
                            .append(fmt(ref.peakRssMiB()))
                            .append(" | ")
                            .append(
                                    Double.isNaN(rss)
                                            ? ""
                                            : String.format(Locale.ROOT, "%.2f", rss) + verdict(rss <= MAX_RSS_RATIO))
                            .append(" | ")
                            .append(measured(r.peakRssMeasuredMiB() / ref.peakRssMeasuredMiB()))
                            .append(" |\n");
                }
            }
        }
        md.append('\n');
    }

    private void appendSoak(StringBuilder md) {
        if (soak == null) {
            return;
        }
        md.append("## Soak: native memory over a long run\n\n")
                .append(soak.get("description").getAsString())
                .append("\n\n| step | RSS MiB |\n| ---: | ---: |\n");
        JsonArray samples = soak.getAsJsonArray("samples");
        for (int i = 0; i < samples.size(); i++) {
            JsonObject s = samples.get(i).getAsJsonObject();
            md.append("| ")
                    .append(s.get("step").getAsLong())
                    .append(" | ")
                    .append(fmt(s.get("rssMiB").getAsDouble()))
                    .append(" |\n");
        }
        double first = soak.get("firstMiB").getAsDouble();
        double last = soak.get("lastMiB").getAsDouble();
        md.append("\nFirst sample ")
                .append(fmt(first))
                .append(" MiB, last ")
                .append(fmt(last))
                .append(" MiB: growth ")
                .append(String.format(Locale.ROOT, "%+.1f%%", 100 * (last - first) / first))
                .append(".\n\n");
    }

    private static String measured(double ratio) {
        return Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    private static String verdict(boolean met) {
        return met ? " (met)" : " (NOT met)";
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /**
     * Formats a number with at least three significant digits and no exponent.
     *
     * @param value a number
     * @return it with three significant digits at least, no exponent
     */
    static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        String pattern = abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3g";
        return String.format(Locale.ROOT, pattern, value);
    }

    /**
     * Command line: {@code --out FILE} (required), {@code --jmh LABEL=FILE} (repeatable), {@code
     * --pytorch FILE}, {@code --soak FILE}, {@code --machine FILE} (lines {@code key: value}),
     * {@code --note TEXT}. Missing optional files, and empty JMH files (a run that did not finish), are
     * skipped with a message.
     *
     * @param args the arguments
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        ResultsReport report = new ResultsReport();
        Path out = ReportInputs.readInto(args, report);
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, report.markdown());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out, e);
        }
        System.out.println("wrote " + out);
    }
}
