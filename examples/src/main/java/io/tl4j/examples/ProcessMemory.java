package io.tl4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads this process's resident memory from Linux's {@code /proc/self/status}, for the examples
 * that report memory (NaN on systems without that file).
 */
final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** Returns the resident set size in MiB ({@code VmRSS}). */
    static double residentMib() {
        return statusMib("VmRSS:");
    }

    /** Returns the peak resident set size in MiB ({@code VmHWM}), since start or {@link #resetPeak()}. */
    static double peakMib() {
        return statusMib("VmHWM:");
    }

    /** Resets the peak to the current resident memory (Linux: 5 into {@code /proc/self/clear_refs}). */
    static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reset the peak resident memory", e);
        }
    }

    private static double statusMib(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
            return Double.NaN;
        } catch (NoSuchFileException e) {
            return Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + STATUS, e);
        }
    }
}
