package io.tl4j.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * A JMH profiler ({@code -prof io.tl4j.benchmarks.PeakRssProfiler}) that reports, in MiB, two
 * secondary metrics of the benchmark JVM's resident set size: {@code rss.peak}, its peak over the
 * whole fork so far ({@code VmHWM} of {@code /proc/self/status}: setup, warmup and measurement),
 * and {@code rss.peakMeasured}, its peak during the measurement iterations alone (the high-water
 * mark is reset by writing {@code 5} to {@code /proc/self/clear_refs} before each one), which leaves
 * out one-off setup costs such as parsing a model file. JMH runs each benchmark and parameter
 * combination in a fork of its own, so both are that benchmark's.
 */
public final class PeakRssProfiler implements InternalProfiler {

    /** The whole fork's peak RSS. */
    public static final String METRIC = "rss.peak";
    /** The peak RSS during measurement iterations. */
    public static final String MEASURED_METRIC = "rss.peakMeasured";

    private double processPeakMiB;

    @Override
    public String getDescription() {
        return "peak resident set size (VmHWM) of the benchmark JVM, whole fork and measurement only, MiB";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        if (iterationParams.getType() == IterationType.MEASUREMENT) {
            processPeakMiB = Math.max(processPeakMiB, statusKiB("VmHWM") / 1024.0);
            resetPeak();
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        double peak = statusKiB("VmHWM") / 1024.0;
        processPeakMiB = Math.max(processPeakMiB, peak);
        List<Result> results = new ArrayList<>();
        results.add(new ScalarResult(METRIC, processPeakMiB, "MiB", AggregationPolicy.MAX));
        if (iterationParams.getType() == IterationType.MEASUREMENT) {
            results.add(new ScalarResult(MEASURED_METRIC, peak, "MiB", AggregationPolicy.MAX));
        }
        return results;
    }

    /** Resets the kernel's high-water mark of this process's RSS to its current RSS (Linux 4.0+). */
    static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reset the peak RSS through /proc/self/clear_refs", e);
        }
    }

    /**
     * Reads one memory field of {@code /proc/self/status}, in KiB.
     *
     * @param field a field of {@code /proc/self/status} given in kB, such as {@code VmRSS} or {@code VmHWM}
     * @return its value in KiB
     * @throws IllegalStateException when the field is missing (not Linux)
     */
    public static long statusKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(
                            line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("/proc/self/status has no " + field + " (Linux only)");
    }
}
