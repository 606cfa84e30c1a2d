package io.tl4j.benchmarks;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Samples one thread's stack every few milliseconds while a workload runs and tells where the
 * thread spent its time: the most frequent innermost frames, the most frequent innermost tl4j
 * frames, and the tl4j methods by the share of samples they were on the stack for (inclusive time). For machines where no profiler can be installed (the GPU check's machine has only a
 * jlink'ed runtime).
 */
final class StackSampler implements AutoCloseable {

    private static final long INTERVAL_MILLIS = 2;

    private final Thread target;
    private final Thread sampler;
    private final Map<String, Integer> innermost = new HashMap<>();
    private final Map<String, Integer> innermostTl4j = new HashMap<>();
    private final Map<String, Integer> inclusiveTl4j = new HashMap<>();
    private volatile boolean running = true;
    private int samples;

    private StackSampler(Thread target) {
        this.target = target;
        this.sampler = new Thread(this::sample, "stack-sampler");
        sampler.setDaemon(true);
    }

    /**
     * Starts sampling the calling thread.
     *
     * @return the running sampler; close it to stop and get {@link #report}
     */
    static StackSampler ofCurrentThread() {
        StackSampler s = new StackSampler(Thread.currentThread());
        s.sampler.start();
        return s;
    }

    private void sample() {
        while (running) {
            StackTraceElement[] stack = target.getStackTrace();
            if (stack.length > 0) {
                synchronized (this) {
                    samples++;
                    innermost.merge(frame(stack[0]), 1, Integer::sum);
                    boolean first = true;
                    Set<String> methods = new HashSet<>();
                    for (StackTraceElement e : stack) {
                        if (e.getClassName().startsWith("io.tl4j.")
                                && !e.getClassName().contains("benchmarks")) {
                            if (first) {
                                innermostTl4j.merge(frame(e), 1, Integer::sum);
                                first = false;
                            }
                            methods.add(
                                    e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "."
                                            + e.getMethodName());
                        }
                    }
                    methods.forEach(m -> inclusiveTl4j.merge(m, 1, Integer::sum));
                }
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String frame(StackTraceElement e) {
        return e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber();
    }

    /**
     * Returns the top frames, each with its share of the samples.
     *
     * @param top how many frames of each kind
     * @return the innermost frames, the innermost tl4j frames and the tl4j methods by inclusive
     *     time, most frequent first
     */
    synchronized String report(int top) {
        return "samples " + samples + "\n innermost:\n" + table(innermost, top) + "\n innermost tl4j:\n"
                + table(innermostTl4j, top) + "\n inclusive tl4j methods:\n" + table(inclusiveTl4j, 2 * top);
    }

    private String table(Map<String, Integer> counts, int top) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .map(e -> String.format("  %5.1f%% %s", 100.0 * e.getValue() / samples, e.getKey()))
                .collect(Collectors.joining("\n"));
    }

    /** Stops sampling. */
    @Override
    public void close() {
        running = false;
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
