package io.tl4j.core.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the process without running native static destructors once the JVM has shut down. After
 * its shutdown hooks, the JVM calls the C library's {@code exit}, which runs every static
 * destructor of every native library; libtorch's free the state its operations use, so a thread
 * still inside libtorch at that moment (a {@code predict} on a user's thread, a training step)
 * crashes the JVM: SIGSEGV and a crash log instead of a clean exit. This class's shutdown hook
 * registers glibc's {@code _exit} with {@code on_exit}; handlers run newest first, so {@code exit}
 * calls it before the destructors, and the process ends with the status the JVM chose (143 after
 * SIGTERM, {@code System.exit}'s argument, 0 after {@code main} returns). C stdio buffers are
 * flushed first. Everything Java does at shutdown still runs: the hooks have finished when {@code
 * exit} is called. The one gap: a static that libtorch first uses while other shutdown hooks run
 * (after this hook) registers its destructor later, and that one still runs.
 */
final class NativeExit {

    private static final Logger LOG = LoggerFactory.getLogger(NativeExit.class);

    private NativeExit() {}

    /**
     * Installs the shutdown hook; the C functions are bound now, so the hook binds nothing.
     *
     * @throws UnsatisfiedLinkError when the C library has no {@code on_exit} (not glibc)
     */
    static void install() {
        NativeLibrary c = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
        Function onExit = c.getFunction("on_exit");
        Function exitAtOnce = c.getFunction("_exit");
        Function flush = c.getFunction("fflush");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> register(onExit, exitAtOnce, flush), "tl4j-native-exit"));
    }

    private static void register(Function onExit, Function exitAtOnce, Function flush) {
        flush.invokeInt(new Object[] {null});
        // on_exit calls its handler as f(status, arg): _exit(status), the extra argument unread
        if (onExit.invokeInt(new Object[] {exitAtOnce, null}) != 0) {
            LOG.warn("tl4j: on_exit refused the exit handler; native static destructors run at exit");
        }
    }
}
