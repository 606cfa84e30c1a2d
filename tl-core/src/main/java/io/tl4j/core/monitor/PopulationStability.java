package io.tl4j.core.monitor;

/**
 * The population stability index (PSI) between an expected and an actual distribution over the same
 * bins: {@code sum((a - e) * ln(a / e))}. 0 means the same; by the usual reading below 0.1 is stable, 0.1
 * to 0.25 a moderate shift and above 0.25 a significant one. Empty bins are floored at {@link #FLOOR}
 * so that the index stays finite.
 */
public final class PopulationStability {

    /** The smallest fraction a bin counts with, on either side. */
    public static final double FLOOR = 1e-4;

    private PopulationStability() {}

    /**
     * Returns the PSI of {@code actual} against {@code expected}.
     *
     * @param expected the reference fractions per bin (they need not be normalised)
     * @param actual the observed counts or fractions per bin
     * @return the index, at least 0
     * @throws IllegalArgumentException when the lengths differ, a value is negative or not finite, or a side is
     *     all zero
     */
    public static double index(double[] expected, double[] actual) {
        if (expected.length != actual.length || expected.length == 0) {
            throw new IllegalArgumentException("PSI needs the same number of bins on both sides, got " + expected.length
                    + " expected and " + actual.length + " actual");
        }
        double[] e = normalised(expected, "expected");
        double[] a = normalised(actual, "actual");
        double psi = 0;
        for (int i = 0; i < e.length; i++) {
            double ei = Math.max(e[i], FLOOR);
            double ai = Math.max(a[i], FLOOR);
            psi += (ai - ei) * Math.log(ai / ei);
        }
        return psi;
    }

    private static double[] normalised(double[] values, String side) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0) || Double.isInfinite(values[i])) {
                throw new IllegalArgumentException("PSI: " + side + " bin " + i + " is " + values[i]);
            }
            sum += values[i];
        }
        if (sum == 0) {
            throw new IllegalArgumentException("PSI: every " + side + " bin is empty");
        }
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] / sum;
        }
        return out;
    }
}
