package io.tl4j.core.engine;

import io.tl4j.core.engine.EngineSettings.Decision;
import io.tl4j.core.engine.EngineSettings.Setting;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies, once per JVM and from inside the process, the engine settings that tl4j's build passes
 * as environment variables, so that a plain {@code java} run or an IDE run trains correctly without
 * them (and runs faster than with no settings at all).
 *
 * <ul>
 *   <li>The oneDNN cap: {@code setenv("ONEDNN_MAX_CPU_ISA", "AVX2")} in the process's own
 *       environment. oneDNN reads the variable when its first primitive runs, so the cap holds when
 *       it is set before libtorch's first convolution.
 *   <li>The malloc tuning: glibc's {@code mallopt} with the values of the build's {@code
 *       GLIBC_TUNABLES} line: one arena ({@code M_ARENA_MAX=1}), no mmap per allocation ({@code
 *       M_MMAP_MAX=0}), no trimming ({@code M_TRIM_THRESHOLD=-1}; the line's 16 GiB does not fit
 *       {@code mallopt}'s int, and -1 is its documented "never trim") and a 64 MiB top pad ({@code
 *       M_TOP_PAD}). This is only part of the line's effect: the arenas that threads made before
 *       the call stay (the JVM's main thread has its own), and glibc maps a request larger than
 *       such an arena's 64 MiB heap with mmap whatever {@code M_MMAP_MAX} says. tl4j's BERT
 *       inference keeps its arrays below that ({@link io.tl4j.core.nn.BatchSlicing}), and is then
 *       as fast as with {@code GLIBC_TUNABLES}; training large batches of long texts is faster
 *       with {@code GLIBC_TUNABLES} or tcmalloc set before the JVM starts, and the log line says so.
 *   <li>The native exit ({@code NativeExit}): after the JVM's shutdown hooks the process ends
 *       before libtorch's static destructors run, so a thread still inside libtorch when the JVM
 *       exits cannot crash it.
 * </ul>
 *
 * <p>{@link EngineSettings} decides which settings apply (and the system properties that switch
 * them off); each one is logged once. Loading {@link io.tl4j.core.Backbone} or {@link
 * io.tl4j.core.EngineCheck} runs this, which in tl4j's entry points comes before the engine first
 * loads. The rule: code that calls DJL itself ({@code Engine.getInstance()}, {@code
 * NDManager.newBaseManager()}, {@code Model.newInstance}) before touching tl4j runs libtorch
 * unconfigured, and must call {@link #configure()} first. On platforms other than Linux, on C
 * libraries other than glibc, or where JNA cannot load, settings are skipped with a log line and
 * nothing fails. Natives for another platform on the class path are reported at ERROR with the
 * artifact to use ({@link NativeLibraries}).
 */
public final class EngineSetup {

    /** The build's {@code GLIBC_TUNABLES} line, whose effect {@link Setting#MALLOC_TUNING} has. */
    public static final String GLIBC_TUNABLES =
            "glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184"
                    + ":glibc.malloc.top_pad=67108864";

    private static final Logger LOG = LoggerFactory.getLogger(EngineSetup.class);
    private static final List<MallocOption> MALLOC_OPTIONS = List.of(
            new MallocOption("M_ARENA_MAX", Libc.M_ARENA_MAX, 1),
            new MallocOption("M_MMAP_MAX", Libc.M_MMAP_MAX, 0),
            new MallocOption("M_TRIM_THRESHOLD", Libc.M_TRIM_THRESHOLD, -1),
            new MallocOption("M_TOP_PAD", Libc.M_TOP_PAD, 64 << 20));
    private static final Set<Setting> APPLIED = EnumSet.noneOf(Setting.class);
    private static Libc libc;
    private static boolean configured;

    private EngineSetup() {}

    /**
     * Applies the settings that {@link EngineSettings#decide} chooses for this process; later calls
     * do nothing.
     *
     * @throws IllegalArgumentException naming the property when a {@code tl4j.engine.*} system
     *     property has a value other than those documented
     */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        String glibcVersion = null;
        if (EngineEnvironment.isLinux(System.getProperty("os.name", ""))) {
            try {
                libc = Libc.load();
                glibcVersion = libc.gnu_get_libc_version();
            } catch (LinkageError e) {
                LOG.debug("tl4j: no glibc in this process ({})", e.toString());
            }
        }
        for (Decision decision : EngineSettings.decide(EngineEnvironment.current(glibcVersion))) {
            if (!decision.apply()) {
                LOG.debug("tl4j: {} not applied: {}", decision.setting(), decision.reason());
            } else if (apply(decision)) {
                APPLIED.add(decision.setting());
            }
        }
        try {
            NativeLibraries.requireMatching();
        } catch (IllegalStateException e) {
            // DJL's own error follows when the engine loads; this line says what to change
            LOG.error("tl4j: {}", e.getMessage());
        }
    }

    /**
     * Tells whether {@link #configure()} applied a setting in this process.
     *
     * @param setting the setting
     * @return whether it was applied
     */
    public static synchronized boolean applied(Setting setting) {
        return APPLIED.contains(setting);
    }

    /**
     * Reads a variable of the process's own environment, which shows what {@link #configure()}
     * set (unlike {@link System#getenv}, which keeps the JVM's start-up copy).
     *
     * @param name the variable
     * @return its value, or null
     */
    public static synchronized String variable(String name) {
        if (libc != null) {
            try {
                return libc.getenv(name);
            } catch (LinkageError e) {
                LOG.debug("tl4j: getenv unavailable ({})", e.toString());
            }
        }
        return System.getenv(name);
    }

    private static boolean apply(Decision decision) {
        try {
            return switch (decision.setting()) {
                case ISA_CAP -> capIsa(decision);
                case MALLOC_TUNING -> tuneMalloc(decision);
                case NATIVE_EXIT -> exitBeforeDestructors(decision);
            };
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("tl4j: could not apply {} ({}): {}", decision.setting(), decision.reason(), e.toString());
            return false;
        }
    }

    private static boolean capIsa(Decision decision) {
        if (libc.setenv(EngineSettings.ISA_VARIABLE, EngineSettings.ISA, 0) != 0) {
            LOG.warn(
                    "tl4j: setenv({}={}) failed; set it in the environment",
                    EngineSettings.ISA_VARIABLE,
                    EngineSettings.ISA);
            return false;
        }
        LOG.info(
                "tl4j: {}={} set in this process: {}. -D{}=false keeps oneDNN's own choice",
                EngineSettings.ISA_VARIABLE,
                EngineSettings.ISA,
                decision.reason(),
                EngineSettings.ISA_CAP);
        return true;
    }

    private static boolean tuneMalloc(Decision decision) {
        for (MallocOption option : MALLOC_OPTIONS) {
            if (libc.mallopt(option.param(), option.value()) != 1) {
                LOG.warn(
                        "tl4j: mallopt({}, {}) failed; set GLIBC_TUNABLES={} in the environment",
                        option.name(),
                        option.value(),
                        GLIBC_TUNABLES);
                return false;
            }
        }
        LOG.info(
                "tl4j: glibc malloc tuned in this process (M_ARENA_MAX=1, M_MMAP_MAX=0, M_TRIM_THRESHOLD=-1, "
                        + "M_TOP_PAD=64 MiB): {}. Threads started earlier keep their arenas, so for full speed "
                        + "start the JVM with GLIBC_TUNABLES={} or LD_PRELOAD of libtcmalloc_minimal.so.4. -D{}=false "
                        + "keeps the default",
                decision.reason(),
                GLIBC_TUNABLES,
                EngineSettings.MALLOC_TUNING);
        return true;
    }

    private static boolean exitBeforeDestructors(Decision decision) {
        NativeExit.install();
        LOG.debug(
                "tl4j: the process will end without native static destructors after the JVM's shutdown hooks: {}. "
                        + "-D{}=false runs them",
                decision.reason(),
                EngineSettings.NATIVE_EXIT);
        return true;
    }

    /** One {@code mallopt} call: the option's name in malloc.h, its number and the value set. */
    private record MallocOption(String name, int param, int value) {}
}
