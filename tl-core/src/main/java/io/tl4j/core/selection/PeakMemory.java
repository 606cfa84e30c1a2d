package io.tl4j.core.selection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures how far the process's peak resident memory rises during a stretch of work, on Linux:
 * resets the peak ({@code VmHWM}) by writing 5 to {@code /proc/self/clear_refs}, remembers {@code
 * VmRSS}, and later reports {@code VmHWM} less that. Elsewhere, or where {@code /proc} refuses, it
 * reports NaN.
 */
final class PeakMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private final long startKb;

    private PeakMemory(long startKb) {
        this.startKb = startKb;
    }

    /**
     * Resets the process's peak and starts measuring.
     *
     * @return the measurement
     */
    static PeakMemory start() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return new PeakMemory(statusKb("VmRSS:"));
        } catch (IOException | RuntimeException e) {
            return new PeakMemory(-1);
        }
    }

    /**
     * Returns the rise of the peak resident memory since {@link #start()}.
     *
     * @return MiB, or NaN when it could not be measured
     */
    double megabytes() {
        if (startKb < 0) {
            return Double.NaN;
        }
        try {
            return Math.max(0, statusKb("VmHWM:") - startKb) / 1024.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long statusKb(String field) throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith(field)) {
                return Long.parseLong(
                        line.substring(field.length()).replace("kB", "").trim());
            }
        }
        throw new IOException(field + " not in " + STATUS);
    }
}
