package io.tl4j.core.monitor;

/**
 * Computes how far a drift statistic moves by sampling noise alone, when the reference profile and the live window
 * are two samples of one distribution: the level that noise reaches with probability {@value #FALSE_ALARM_RATE} per
 * evaluation, below which a threshold would alarm on in-distribution traffic. {@link DriftMonitor} never uses a
 * threshold below it.
 *
 * <p>PSI: to second order {@code PSI = sum (a - e) ln(a / e)} is the chi-square distance {@code sum (a - e)^2 / p},
 * so between {@code n} reference examples and a window of {@code w} over {@code k} bins it is distributed as {@code
 * (1/n + 1/w) chi2(k - 1)} (the two-sample chi-square statistic); its level is that times the chi-square quantile,
 * computed by the Wilson-Hilferty approximation (within 3 % of the exact quantile, above it for one degree of
 * freedom). For 10 confidence bins and w = 500 that is 0.368 at n = 90, 0.168 at n = 250, 0.084 at n = 1,000.
 *
 * <p>Feature shift, the mean over dimensions of {@code |window mean - reference mean| / reference std}: each
 * dimension's standardised difference is normal with standard deviation {@code sqrt(1/n + 1/w)}, and a mean of
 * equally distributed terms is never more spread (in convex order) than one term, whatever the correlation between
 * dimensions; the level is one dimension's two-sided quantile, {@code 3.29 sqrt(1/n + 1/w)}: 0.377 at n = 90, 0.255
 * at n = 250, 0.165 at n = 2,000 (w = 500).
 */
final class SamplingNoise {

    /** The chance per evaluation that noise alone reaches the levels computed here. */
    static final double FALSE_ALARM_RATE = 1e-3;

    /** The standard normal quantile at {@code 1 - FALSE_ALARM_RATE}. */
    private static final double Z_ONE_SIDED = 3.0902;

    /** The standard normal quantile at {@code 1 - FALSE_ALARM_RATE / 2}. */
    private static final double Z_TWO_SIDED = 3.2905;

    private SamplingNoise() {}

    /**
     * Returns the PSI that noise alone reaches between a reference and a window of the same distribution.
     *
     * @param bins the bins the PSI sums over (classes, or confidence bins), at least 2
     * @param referenceSize the examples the reference was computed from, at least 1
     * @param window the observations in the window, at least 1
     * @return the level
     */
    static double psi(int bins, int referenceSize, int window) {
        check(bins >= 2, "bins", bins);
        int freedom = bins - 1;
        double h = 2.0 / (9.0 * freedom);
        double chiSquare = freedom * Math.pow(1 - h + Z_ONE_SIDED * Math.sqrt(h), 3);
        return spread(referenceSize, window) * chiSquare;
    }

    /**
     * Returns the feature shift that noise alone reaches between a reference and a window of the same distribution.
     *
     * @param referenceSize the examples the reference was computed from, at least 1
     * @param window the observations in the window, at least 1
     * @return the level
     */
    static double featureShift(int referenceSize, int window) {
        return Z_TWO_SIDED * Math.sqrt(spread(referenceSize, window));
    }

    /** Returns {@code 1/n + 1/w}: the variance factor of a difference between the two samples. */
    private static double spread(int referenceSize, int window) {
        check(referenceSize >= 1, "referenceSize", referenceSize);
        check(window >= 1, "window", window);
        return 1.0 / referenceSize + 1.0 / window;
    }

    private static void check(boolean ok, String name, int value) {
        if (!ok) {
            throw new IllegalArgumentException(name + " is out of range: " + value);
        }
    }
}
