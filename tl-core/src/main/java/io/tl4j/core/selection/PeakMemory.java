package io.tl4j.core.selection;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures how far the process's peak resident memory rises during a stretch of work, on Linux:
 * hands malloc's free memory back to the system ({@code malloc_trim(0)}, glibc), so that memory an
 * earlier candidate freed but the process kept does not hide this one's growth, resets the peak
 * ({@code VmHWM}) by writing 5 to {@code /proc/self/clear_refs}, remembers {@code VmRSS}, and later
 * reports {@code VmHWM} less that. Elsewhere, or where {@code /proc} refuses, it reports NaN.
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
        Trim.release();
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

    /** glibc's {@code malloc_trim}, bound once; a no-op where the C library has none. */
    private static final class Trim {
        private static final Malloc MALLOC = load();

        /** The one function bound. */
        interface Malloc extends Library {
            /**
             * Returns free memory at the top of the heap and free whole pages inside it to the system.
             *
             * @param pad bytes to leave untrimmed at the top
             * @return 1 when memory was released, 0 otherwise
             */
            int malloc_trim(long pad);
        }

        private static Malloc load() {
            try {
                Malloc malloc = Native.load(Platform.C_LIBRARY_NAME, Malloc.class);
                malloc.malloc_trim(0);
                return malloc;
            } catch (LinkageError | RuntimeException e) {
                return null; // not glibc (musl, macOS, Windows): nothing to trim
            }
        }

        static void release() {
            if (MALLOC != null) {
                MALLOC.malloc_trim(0);
            }
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
