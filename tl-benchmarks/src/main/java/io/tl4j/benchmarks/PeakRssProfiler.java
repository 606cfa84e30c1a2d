package io.tl4j.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * A JMH profiler ({@code -prof io.tl4j.benchmarks.PeakRssProfiler}) that reports the benchmark JVM's
 * peak resident set size ({@code VmHWM} in {@code /proc/self/status}) after every iteration as the
 * secondary metric {@code rss.peak} in MiB. JMH runs each benchmark and parameter combination in a
 * fork of its own, so the value is that benchmark's peak, setup included.
 */
public final class PeakRssProfiler implements InternalProfiler {

    /** The name of the secondary metric. */
    public static final String METRIC = "rss.peak";

    @Override
    public String getDescription() {
        return "peak resident set size (VmHWM) of the benchmark JVM, MiB";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        // the peak is read after each iteration
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        return List.of(new ScalarResult(METRIC, statusKiB("VmHWM") / 1024.0, "MiB", AggregationPolicy.MAX));
    }

    /**
     * @param field a field of {@code /proc/self/status} given in kB, such as {@code VmRSS} or {@code VmHWM}
     * @return its value in KiB
     * @throws IllegalStateException when the field is missing (not Linux)
     */
    public static long statusKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("/proc/self/status has no " + field + " (Linux only)");
    }
}
