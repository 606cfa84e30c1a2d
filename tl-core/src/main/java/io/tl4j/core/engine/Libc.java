package io.tl4j.core.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/** The few C library functions the engine setup calls, bound through JNA. */
interface Libc extends Library {

    /** glibc's {@code M_TRIM_THRESHOLD} option of {@code mallopt} (malloc.h). */
    int M_TRIM_THRESHOLD = -1;

    /** glibc's {@code M_TOP_PAD} option of {@code mallopt} (malloc.h). */
    int M_TOP_PAD = -2;

    /** glibc's {@code M_MMAP_MAX} option of {@code mallopt} (malloc.h). */
    int M_MMAP_MAX = -4;

    /** glibc's {@code M_ARENA_MAX} option of {@code mallopt} (malloc.h). */
    int M_ARENA_MAX = -8;

    /**
     * Loads the process's C library.
     *
     * @return the binding
     * @throws UnsatisfiedLinkError when the library cannot be loaded
     */
    static Libc load() {
        return Native.load(Platform.C_LIBRARY_NAME, Libc.class);
    }

    /**
     * Sets a variable in the process's own environment, the one native code reads.
     *
     * @param name the variable
     * @param value its value
     * @param overwrite 0 to keep a value that is already there
     * @return 0 on success, -1 on error
     */
    int setenv(String name, String value, int overwrite);

    /**
     * Reads a variable from the process's own environment (which, unlike {@link System#getenv},
     * sees what {@link #setenv} wrote).
     *
     * @param name the variable
     * @return its value, or null
     */
    String getenv(String name);

    /**
     * Sets one of glibc malloc's options.
     *
     * @param param the option, e.g. {@link #M_ARENA_MAX}
     * @param value its value
     * @return 1 on success, 0 on error
     */
    int mallopt(int param, int value);

    /**
     * Returns glibc's version; the symbol exists only in glibc.
     *
     * @return the version, e.g. {@code 2.36}
     */
    String gnu_get_libc_version();
}
