package io.tl4j.core.selection;

/**
 * Holds what a candidate costs on this machine, measured while the selection ran.
 *
 * @param parameters the backbone's parameter count (weights and biases; BatchNorm running statistics
 *     excluded)
 * @param featureSize the number of features per example (all feature axes flattened)
 * @param inferenceMillisPerExample wall milliseconds per example of the frozen forward pass over the
 *     whole data set (pipeline included, batches of 64, after a warm-up batch of two examples), on the engine's
 *     default device
 * @param trainStepMillisPerExample wall milliseconds per example of one training step (forward,
 *     cross-entropy, backward, Adam update) of a linear head on the cached features, batch of up to
 *     32, averaged over repeated steps after a warm-up
 * @param peakMemoryMb how far the process's peak resident memory rose above its resident memory at
 *     the candidate's start, in MiB: Linux's {@code VmHWM} after the forward pass and the head's
 *     training step, less {@code VmRSS} before the candidate was loaded (before which glibc's {@code
 *     malloc_trim(0)} returns freed memory to the system and {@code /proc/self/clear_refs} resets
 *     the peak). It counts native memory (libtorch, weights, activations) and any Java heap the JVM
 *     newly touched; Java heap the JVM already holds is reused uncounted. NaN where {@code /proc} is
 *     not available. Resetting the peak changes what other readers of {@code VmHWM} in this process
 *     see
 */
public record Cost(
        long parameters,
        long featureSize,
        double inferenceMillisPerExample,
        double trainStepMillisPerExample,
        double peakMemoryMb) {}
