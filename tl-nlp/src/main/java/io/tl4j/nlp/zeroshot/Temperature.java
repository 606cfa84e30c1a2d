package io.tl4j.nlp.zeroshot;

/**
 * Temperature scaling (Guo et al., 2017): the softmax of scores divided by a temperature, and the
 * temperature that minimises the mean cross-entropy on labelled scores, found by golden-section
 * search over its logarithm (the loss is convex in the inverse temperature, hence unimodal in the
 * logarithm, so the search finds the minimum up to its tolerance).
 */
final class Temperature {

    /** The search range: cosine scores need 0.001 to 10. */
    private static final double LOG_LOW = Math.log(1e-3);

    private static final double LOG_HIGH = Math.log(10);
    private static final double GOLDEN = (Math.sqrt(5) - 1) / 2;

    private Temperature() {}

    static double[] softmax(double[] scores, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double[] p = new double[scores.length];
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp((scores[c] - max) / temperature);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /** Returns the mean cross-entropy of labelled scores at a temperature. */
    static double loss(double[][] scores, int[] labels, double temperature) {
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] < 0 || labels[i] >= scores[i].length) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is out of range");
            }
            total -= Math.log(Math.max(softmax(scores[i], temperature)[labels[i]], Double.MIN_NORMAL));
        }
        return total / scores.length;
    }

    /** Returns the temperature in [0.001, 10] that minimises {@link #loss}. */
    static double fit(double[][] scores, int[] labels) {
        double a = LOG_LOW;
        double b = LOG_HIGH;
        double x1 = b - GOLDEN * (b - a);
        double x2 = a + GOLDEN * (b - a);
        double f1 = loss(scores, labels, Math.exp(x1));
        double f2 = loss(scores, labels, Math.exp(x2));
        while (b - a > 1e-6) {
            if (f1 <= f2) {
                b = x2;
                x2 = x1;
                f2 = f1;
                x1 = b - GOLDEN * (b - a);
                f1 = loss(scores, labels, Math.exp(x1));
            } else {
                a = x1;
                x1 = x2;
                f1 = f2;
                x2 = a + GOLDEN * (b - a);
                f2 = loss(scores, labels, Math.exp(x2));
            }
        }
        return Math.exp((a + b) / 2);
    }
}
