package io.tl4j.core.monitor;

import java.util.Random;

/**
 * Synthetic predictions of a known distribution for the monitor tests: a class drawn from {@code mix}, logits peaked
 * by {@code margin} on it plus unit noise, and {@value #DIMS} unit-normal features shifted by {@code shift}.
 */
final class Traffic {

    /** The feature width. */
    static final int DIMS = 16;

    private final Random random;
    private final double[] mix;
    private final double margin;
    private final double shift;

    Traffic(long seed, double[] mix, double margin, double shift) {
        this.random = new Random(seed);
        this.mix = mix;
        this.margin = margin;
        this.shift = shift;
    }

    float[] probabilities() {
        double u = random.nextDouble();
        int label = 0;
        for (double acc = mix[0]; u > acc && label < mix.length - 1; acc += mix[++label]) {
            // walk the cumulative mix
        }
        double[] logits = new double[mix.length];
        double sum = 0;
        for (int c = 0; c < mix.length; c++) {
            logits[c] = (c == label ? margin : 0) + random.nextGaussian();
            sum += Math.exp(logits[c]);
        }
        float[] p = new float[mix.length];
        for (int c = 0; c < mix.length; c++) {
            p[c] = (float) (Math.exp(logits[c]) / sum);
        }
        return p;
    }

    float[] features() {
        float[] f = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            f[d] = (float) (random.nextGaussian() + shift);
        }
        return f;
    }

    /** Profiles {@code n} draws, with their features or without. */
    ReferenceProfile profile(int n, boolean withFeatures) {
        float[][] p = new float[n][];
        float[][] f = withFeatures ? new float[n][] : null;
        for (int i = 0; i < n; i++) {
            p[i] = probabilities();
            if (withFeatures) {
                f[i] = features();
            }
        }
        return ReferenceProfile.of(p, f);
    }
}
