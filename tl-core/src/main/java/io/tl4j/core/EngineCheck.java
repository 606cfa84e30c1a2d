package io.tl4j.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

/**
 * A once-per-JVM check that the engine computes convolution gradients correctly before any
 * training starts.
 *
 * <p>On some AVX-512 CPUs (seen on AMD EPYC with libtorch 2.7.1 as shipped for DJL 0.36) oneDNN's
 * AVX-512 convolution backward kernel returns wrong, sometimes non-finite, gradients with respect
 * to the convolution's input: in a fresh JVM, 0 to 80% of identical calls were wrong. Training then
 * silently learns less or diverges with a NaN loss. Restricting oneDNN to AVX2 with the environment
 * variable {@code ONEDNN_MAX_CPU_ISA=AVX2} (set before the JVM starts; the tl4j build sets it for
 * tests and examples) makes every call correct. Training refuses to start on an engine that fails
 * the check, saying how to fix it; {@code -Dtl4j.engineCheck=false} skips the check.
 */
public final class EngineCheck {

    /** The environment variable that restricts oneDNN's instruction set. */
    public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

    private static final int TRIES = 8;
    private static volatile Boolean passed;

    private EngineCheck() {}

    /**
     * Runs the check (once per JVM) unless {@code -Dtl4j.engineCheck=false}.
     *
     * @throws IllegalStateException when the engine computes wrong convolution input gradients
     */
    public static void requireCorrectGradients() {
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
                    + "(oneDNN's AVX-512 kernels; " + ISA_VARIABLE + "=" + System.getenv(ISA_VARIABLE)
                    + "), so training would silently go wrong. Start the JVM with the environment variable "
                    + ISA_VARIABLE + "=AVX2 (e.g. `export " + ISA_VARIABLE + "=AVX2`, or in your IDE's run "
                    + "configuration), or pass -Dtl4j.engineCheck=false to train anyway.");
        }
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
                    float error = x.getGradient().get(":, :, 1:31, 1:31").sub(expected).abs().max().getFloat();
                    if (!(error <= 1e-3f)) {
                        wrong++;
                    }
                }
            }
        }
        return wrong;
    }
}
