package io.tl4j.core.engine;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides which engine settings tl4j applies in a process, and why: a pure function of an {@link
 * EngineEnvironment}.
 *
 * <p>The rules, in order, for each setting: it is skipped when {@code -D}{@value #AUTOCONFIG}{@code
 * =false} or its own property is {@code false}, when the user has already set the variable it
 * stands for, or when the platform is not one it applies to.
 *
 * <ul>
 *   <li>{@link Setting#ISA_CAP}: sets {@value #ISA_VARIABLE}{@code =}{@value #ISA} on x86-64 Linux
 *       when the CPU has AVX-512 (where libtorch 2.7.1's oneDNN convolution backward was seen
 *       wrong) or when {@code -D}{@value #ISA_CAP}{@code =true} asks for it; {@code auto} (the
 *       default) decides by the CPU, {@code false} never sets it. Skipped when {@value
 *       #ISA_VARIABLE} or {@code DNNL_MAX_CPU_ISA} is set.
 *   <li>{@link Setting#MALLOC_TUNING}: tunes glibc's malloc on Linux as the build's {@code
 *       GLIBC_TUNABLES} line does; {@code -D}{@value #MALLOC_TUNING}{@code =false} switches it off.
 *       Skipped when {@code GLIBC_TUNABLES} already tunes malloc, a {@code MALLOC_*} variable is
 *       set, tcmalloc, jemalloc or mimalloc is preloaded or mapped into the process, or the C
 *       library is not glibc.
 *   <li>{@link Setting#NATIVE_EXIT}: on Linux with glibc, ends the process as soon as the JVM has
 *       run its shutdown hooks, without running native static destructors ({@link NativeExit});
 *       {@code -D}{@value #NATIVE_EXIT}{@code =false} switches it off. Skipped where the C library
 *       is not glibc (its {@code on_exit} is what makes it work).
 * </ul>
 */
public final class EngineSettings {

    /** The system property that switches every setting off when {@code false}. */
    public static final String AUTOCONFIG = "tl4j.engine.autoconfig";

    /** The system property of the oneDNN cap: {@code auto} (default), {@code true} or {@code false}. */
    public static final String ISA_CAP = "tl4j.engine.isaCap";

    /** The system property of the malloc tuning: {@code true} (default) or {@code false}. */
    public static final String MALLOC_TUNING = "tl4j.engine.mallocTuning";

    /** The system property of the native exit: {@code true} (default) or {@code false}. */
    public static final String NATIVE_EXIT = "tl4j.engine.nativeExit";

    /** The environment variable that caps oneDNN's instruction set. */
    public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

    /** The instruction set oneDNN is capped at. */
    public static final String ISA = "AVX2";

    private static final List<String> ISA_VARIABLES = List.of(ISA_VARIABLE, "DNNL_MAX_CPU_ISA");
    private static final List<String> MALLOC_VARIABLES = List.of(
            "MALLOC_ARENA_MAX",
            "MALLOC_MMAP_MAX_",
            "MALLOC_MMAP_THRESHOLD_",
            "MALLOC_TRIM_THRESHOLD_",
            "MALLOC_TOP_PAD_");
    private static final List<String> OTHER_ALLOCATORS = List.of("tcmalloc", "jemalloc", "mimalloc");

    /** A setting tl4j can apply to its own process. */
    public enum Setting {
        /** {@value #ISA_VARIABLE}{@code =}{@value #ISA} in the process's environment. */
        ISA_CAP,
        /** glibc's malloc: one arena, no mmap per allocation, no trimming, a 64 MiB top pad. */
        MALLOC_TUNING,
        /** The process ends without running native static destructors once the JVM has shut down. */
        NATIVE_EXIT
    }

    /**
     * Whether a setting applies, and why.
     *
     * @param setting the setting
     * @param apply whether tl4j applies it
     * @param reason why, in words a log line can show
     */
    public record Decision(Setting setting, boolean apply, String reason) {}

    private EngineSettings() {}

    /**
     * Decides every setting for an environment.
     *
     * @param environment what the settings depend on
     * @return the decision for {@link Setting#ISA_CAP}, for {@link Setting#MALLOC_TUNING}, then for
     *     {@link Setting#NATIVE_EXIT}
     * @throws IllegalArgumentException naming the property when a {@code tl4j.engine.*} property
     *     has a value other than those documented
     */
    public static List<Decision> decide(EngineEnvironment environment) {
        return List.of(isaCap(environment), mallocTuning(environment), nativeExit(environment));
    }

    private static Decision isaCap(EngineEnvironment e) {
        String asked = property(e, ISA_CAP, "auto", "auto", "true", "false");
        Optional<String> off = switchedOff(e, ISA_CAP, asked);
        if (off.isPresent()) {
            return skip(Setting.ISA_CAP, off.get());
        }
        for (String variable : ISA_VARIABLES) {
            if (e.variables().containsKey(variable)) {
                return skip(
                        Setting.ISA_CAP,
                        variable + " is already set to " + e.variables().get(variable));
            }
        }
        if (!EngineEnvironment.isLinux(e.osName())) {
            return skip(Setting.ISA_CAP, "not Linux (" + e.osName() + ")");
        }
        if (!List.of("amd64", "x86_64").contains(e.osArch().toLowerCase(Locale.ROOT))) {
            return skip(Setting.ISA_CAP, "not x86-64 (" + e.osArch() + ")");
        }
        if (asked.equals("true")) {
            return apply(Setting.ISA_CAP, "asked for by -D" + ISA_CAP + "=true");
        }
        if (e.cpuFlags().contains("avx512f")) {
            return apply(
                    Setting.ISA_CAP,
                    "the CPU has AVX-512, where libtorch 2.7.1's oneDNN convolution backward was seen "
                            + "computing wrong gradients");
        }
        return skip(Setting.ISA_CAP, "the CPU has no AVX-512");
    }

    private static Decision mallocTuning(EngineEnvironment e) {
        String asked = property(e, MALLOC_TUNING, "true", "true", "false");
        Optional<String> off = switchedOff(e, MALLOC_TUNING, asked);
        if (off.isPresent()) {
            return skip(Setting.MALLOC_TUNING, off.get());
        }
        if (!EngineEnvironment.isLinux(e.osName())) {
            return skip(Setting.MALLOC_TUNING, "not Linux (" + e.osName() + ")");
        }
        String tunables = e.variables().getOrDefault("GLIBC_TUNABLES", "");
        if (tunables.contains("glibc.malloc.")) {
            return skip(Setting.MALLOC_TUNING, "GLIBC_TUNABLES already tunes malloc (" + tunables + ")");
        }
        for (String variable : MALLOC_VARIABLES) {
            if (e.variables().containsKey(variable)) {
                return skip(Setting.MALLOC_TUNING, variable + " is already set");
            }
        }
        Optional<String> allocator = otherAllocator(e);
        if (allocator.isPresent()) {
            return skip(Setting.MALLOC_TUNING, allocator.get());
        }
        if (e.glibcVersion() == null) {
            return skip(Setting.MALLOC_TUNING, "the C library is not glibc");
        }
        return apply(
                Setting.MALLOC_TUNING,
                "glibc " + e.glibcVersion() + "'s default malloc maps and unmaps libtorch's large arrays on "
                        + "every call");
    }

    private static Decision nativeExit(EngineEnvironment e) {
        String asked = property(e, NATIVE_EXIT, "true", "true", "false");
        Optional<String> off = switchedOff(e, NATIVE_EXIT, asked);
        if (off.isPresent()) {
            return skip(Setting.NATIVE_EXIT, off.get());
        }
        if (!EngineEnvironment.isLinux(e.osName())) {
            return skip(Setting.NATIVE_EXIT, "not Linux (" + e.osName() + ")");
        }
        if (e.glibcVersion() == null) {
            return skip(Setting.NATIVE_EXIT, "the C library is not glibc");
        }
        return apply(
                Setting.NATIVE_EXIT,
                "libtorch's static destructors, run at exit, crash a thread that is still inside libtorch");
    }

    private static Optional<String> otherAllocator(EngineEnvironment e) {
        String preload = e.variables().getOrDefault("LD_PRELOAD", "");
        for (String allocator : OTHER_ALLOCATORS) {
            if (preload.contains(allocator)) {
                return Optional.of("LD_PRELOAD loads " + allocator + " (" + preload + ")");
            }
            for (String line : e.mappedFiles()) {
                if (line.contains("lib" + allocator)) {
                    String file = line.substring(line.lastIndexOf(' ') + 1);
                    return Optional.of(allocator + " is mapped into the process (" + file + ")");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> switchedOff(EngineEnvironment e, String property, String asked) {
        if (!Boolean.parseBoolean(property(e, AUTOCONFIG, "true", "true", "false"))) {
            return Optional.of("switched off by -D" + AUTOCONFIG + "=false");
        }
        return asked.equals("false") ? Optional.of("switched off by -D" + property + "=false") : Optional.empty();
    }

    private static String property(EngineEnvironment e, String name, String absent, String... allowed) {
        String value = e.properties().getOrDefault(name, absent).trim().toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(value)) {
            throw new IllegalArgumentException("System property " + name + " is '"
                    + e.properties().get(name) + "': use one of " + String.join(", ", allowed));
        }
        return value;
    }

    private static Decision apply(Setting setting, String reason) {
        return new Decision(setting, true, reason);
    }

    private static Decision skip(Setting setting, String reason) {
        return new Decision(setting, false, reason);
    }
}
