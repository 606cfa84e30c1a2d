package io.tl4j.core.train;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps training threads out of libtorch while the JVM shuts down. On SIGTERM, Ctrl-C or {@code
 * System.exit}, the JVM runs its shutdown hooks and then exits the process, which runs libtorch's
 * static destructors; a training thread still inside libtorch at that moment can crash the JVM
 * (SIGSEGV and a crash log instead of a clean exit). This gate's hook waits, up to {@link
 * #WAIT_MILLIS}, until every training thread has reached the boundary between two steps; a thread
 * that reaches a boundary after the hook started waits there until the process ends, so it never
 * enters libtorch again. The work since the newest checkpoint is lost, as with {@code kill -9};
 * {@code resume(dir)} continues from that checkpoint.
 */
final class ShutdownGate {

    /** The longest the shutdown hook waits for training threads to finish their current step. */
    static final long WAIT_MILLIS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownGate.class);
    private static final Object LOCK = new Object();
    /** Training threads and how many runs each has open (a fit inside a listener nests). */
    private static final Map<Thread, Integer> TRAINING = new HashMap<>();

    private static boolean closing;
    private static boolean hooked;

    private ShutdownGate() {}

    /**
     * Marks the calling thread as training, inside libtorch until it reaches a step boundary.
     *
     * @return the thread's pass, to hand in at each step boundary and to close when training ends
     */
    static Pass enter() {
        synchronized (LOCK) {
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(ShutdownGate::awaitBoundaries, "tl4j-shutdown-gate"));
                hooked = true;
            }
            if (closing) {
                holdUntilExit("Training not started: the JVM is shutting down.");
            }
            TRAINING.merge(Thread.currentThread(), 1, Integer::sum);
        }
        return new Pass();
    }

    /** Keeps the calling thread, which holds {@link #LOCK}, waiting until the process ends. */
    private static void holdUntilExit(String why) {
        LOG.warn(why);
        LOCK.notifyAll();
        while (true) {
            try {
                LOCK.wait();
            } catch (InterruptedException e) {
                // the process is ending: an interrupt must not send this thread back into libtorch
            }
        }
    }

    /** The shutdown hook: waits until no thread is inside a step, or until the wait runs out. */
    private static void awaitBoundaries() {
        synchronized (LOCK) {
            closing = true;
            long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
            while (!TRAINING.isEmpty()) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    LOG.warn(
                            "{} training thread(s) still inside a step after {} ms; exiting anyway",
                            TRAINING.size(),
                            WAIT_MILLIS);
                    return;
                }
                try {
                    LOCK.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One training thread's hold on the gate. */
    static final class Pass implements AutoCloseable {

        private boolean open = true;

        private Pass() {}

        /**
         * Marks a step boundary: returns at once, or never when the JVM is shutting down.
         *
         * @param next what the thread is about to do, for the log: "epoch 3 step 7"
         * @param lastCheckpoint the newest checkpoint, or null
         */
        void boundary(String next, Path lastCheckpoint) {
            synchronized (LOCK) {
                if (closing) {
                    TRAINING.remove(Thread.currentThread());
                    open = false;
                    holdUntilExit("Training stopped before " + next + ": the JVM is shutting down. "
                            + (lastCheckpoint == null
                                    ? "No checkpoint was written; with checkpoints(dir), resume(dir) continues after a"
                                            + " stop."
                                    : "resume(dir) continues from " + lastCheckpoint + "."));
                }
            }
        }

        /** Marks the end of training on this thread. */
        @Override
        public void close() {
            synchronized (LOCK) {
                if (open) {
                    TRAINING.computeIfPresent(Thread.currentThread(), (thread, runs) -> runs > 1 ? runs - 1 : null);
                    open = false;
                    LOCK.notifyAll();
                }
            }
        }
    }
}
