package io.tl4j.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.tl4j.core.engine.EngineSettings;
import io.tl4j.core.engine.EngineSettings.Setting;
import io.tl4j.core.engine.EngineSetup;
import io.tl4j.core.engine.NativeLibraries;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A once-per-JVM check that the engine computes convolution gradients correctly before any
 * training starts.
 *
 * <p>On some AVX-512 CPUs (seen on AMD EPYC with libtorch 2.7.1 as shipped for DJL 0.36) oneDNN's
 * AVX-512 convolution backward kernel returns wrong, sometimes non-finite, gradients with respect
 * to the convolution's input: in a fresh JVM, 0 to 80% of identical calls were wrong. Training then
 * silently learns less or diverges with a NaN loss. Restricting oneDNN to AVX2 ({@code
 * ONEDNN_MAX_CPU_ISA=AVX2}) makes every call correct; {@link EngineSetup} sets it inside the process
 * on AVX-512 CPUs before the engine first runs (loading this class or {@link Backbone} does that),
 * so no environment variable is needed. Training refuses to start on an engine that still fails the
 * check, saying how to fix it; {@code -Dtl4j.engineCheck=false} skips the check.
 *
 * <p>It also advises, once per JVM, on the native allocator when {@link EngineSetup} could not tune
 * it: with glibc's default malloc, libtorch's large temporaries (a BERT attention map at 512 tokens
 * is 200 MB per batch of 16) are mapped and unmapped on every call from the per-thread arenas, and
 * the page faults cost more than the arithmetic: all-MiniLM-L6-v2 embeds 512-token texts 5x slower
 * than with tcmalloc on the 2-core dev machine. {@link #GLIBC_TUNABLES} (or {@code LD_PRELOAD} of
 * tcmalloc or jemalloc) removes that.
 */
public final class EngineCheck {

    /** The environment variable that restricts oneDNN's instruction set. */
    public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

    /**
     * glibc malloc settings that keep libtorch's large arrays in one reusable heap: one arena, no
     * per-allocation mmap, no trimming. Export as {@code GLIBC_TUNABLES} before the JVM starts.
     */
    public static final String GLIBC_TUNABLES = EngineSetup.GLIBC_TUNABLES;

    private static final Logger LOG = LoggerFactory.getLogger(EngineCheck.class);
    private static final int TRIES = 8;
    private static final AtomicBoolean ADVISED = new AtomicBoolean();
    private static volatile Boolean passed;

    static {
        EngineSetup.configure();
    }

    private EngineCheck() {}

    /**
     * Runs the check (once per JVM) unless {@code -Dtl4j.engineCheck=false}.
     *
     * @throws IllegalStateException when the engine computes wrong convolution input gradients, or
     *     the libtorch natives on the class path are for another platform
     */
    public static void requireCorrectGradients() {
        NativeLibraries.requireMatching();
        adviseOnAllocator();
        if (!Boolean.parseBoolean(System.getProperty("tl4j.engineCheck", "true"))) {
            return;
        }
        if (passed == null) {
            synchronized (EngineCheck.class) {
                if (passed == null) {
                    passed = wrongConvolutionGradients() == 0;
                }
            }
        }
        if (!passed) {
            throw new IllegalStateException("The engine computes wrong convolution input gradients on this CPU "
                    + "(oneDNN's AVX-512 kernels; " + ISA_VARIABLE + "=" + EngineSetup.variable(ISA_VARIABLE)
                    + "), so training would silently go wrong. tl4j caps oneDNN itself before the engine first "
                    + "runs, unless -D" + EngineSettings.ISA_CAP + "=false or -D" + EngineSettings.AUTOCONFIG
                    + "=false is set or your code ran a convolution before loading tl4j (then call "
                    + "EngineSetup.configure() first). Pass -D" + EngineSettings.ISA_CAP + "=true, or start the JVM "
                    + "with the environment variable " + ISA_VARIABLE + "=AVX2, or pass -Dtl4j.engineCheck=false "
                    + "to train anyway.");
        }
    }

    /**
     * Logs once per JVM, on Linux, when neither a tuned glibc malloc nor tcmalloc/jemalloc is in
     * use (because {@link EngineSetup} was switched off or could not tune it), with the setting
     * that makes large-array workloads several times faster.
     */
    public static void adviseOnAllocator() {
        if (!ADVISED.compareAndSet(false, true) || EngineSetup.applied(Setting.MALLOC_TUNING)) {
            return;
        }
        if (needsAllocatorAdvice(
                System.getProperty("os.name", ""), System.getenv("LD_PRELOAD"), System.getenv("GLIBC_TUNABLES"))) {
            LOG.warn(
                    "glibc's default malloc makes libtorch fault in fresh pages for every large array (several "
                            + "times slower for long texts and big batches). Start the JVM with GLIBC_TUNABLES={} or "
                            + "LD_PRELOAD of libtcmalloc_minimal.so.4",
                    GLIBC_TUNABLES);
        }
    }

    /**
     * Tells whether the process runs glibc's malloc with its default arenas.
     *
     * @param osName the {@code os.name} property
     * @param preload the {@code LD_PRELOAD} variable, or null
     * @param tunables the {@code GLIBC_TUNABLES} variable, or null
     * @return whether the process runs glibc's malloc with its default arenas
     */
    static boolean needsAllocatorAdvice(String osName, String preload, String tunables) {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        boolean otherMalloc = preload != null
                && (preload.contains("tcmalloc") || preload.contains("jemalloc") || preload.contains("mimalloc"));
        boolean tuned = tunables != null
                && tunables.contains("glibc.malloc.arena_max=1")
                && tunables.contains("glibc.malloc.mmap_max=0");
        return !otherMalloc && !tuned;
    }

    /**
     * Computes d sum(conv(x, w)) / dx for random inputs several times and compares every interior
     * pixel with its closed form (the sum of the kernel over output channels and taps).
     *
     * @return how many of the tries gave a wrong or non-finite gradient
     */
    public static int wrongConvolutionGradients() {
        int wrong = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int t = 0; t < TRIES; t++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = step.randomNormal(new Shape(8, 8, 32, 32));
                    NDArray w = step.randomNormal(new Shape(8, 8, 3, 3));
                    x.setRequiresGradient(true);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                                .head();
                        collector.backward(y.sum());
                    }
                    NDArray expected = w.sum(new int[] {0, 2, 3}).reshape(1, 8, 1, 1);
                    float error = x.getGradient()
                            .get(":, :, 1:31, 1:31")
                            .sub(expected)
                            .abs()
                            .max()
                            .getFloat();
                    if (!(error <= 1e-3f)) {
                        wrong++;
                    }
                }
            }
        }
        return wrong;
    }
}
