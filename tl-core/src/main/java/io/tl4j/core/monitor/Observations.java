package io.tl4j.core.monitor;

/** Checks and reads one prediction: its class probabilities and, optionally, its features. */
final class Observations {

    private Observations() {}

    /** Fails, naming {@code what}, unless {@code row} holds {@code classes} finite probabilities. */
    static void check(float[] row, int classes, String what) {
        if (row == null || row.length != classes) {
            throw new IllegalArgumentException(
                    what + " has " + (row == null ? "no" : row.length) + " class probabilities, expected " + classes);
        }
        for (int c = 0; c < row.length; c++) {
            if (!Float.isFinite(row[c]) || row[c] < 0) {
                throw new IllegalArgumentException(what + " holds " + row[c] + " for class " + c);
            }
        }
    }

    /** Fails, naming {@code what}, unless {@code row} holds {@code dims} finite features. */
    static void checkFeatures(float[] row, int dims, String what) {
        if (row == null || row.length != dims) {
            throw new IllegalArgumentException(
                    what + " has " + (row == null ? "no" : row.length) + " features, expected " + dims);
        }
        for (int d = 0; d < row.length; d++) {
            if (!Float.isFinite(row[d])) {
                throw new IllegalArgumentException(what + " holds " + row[d] + " at feature " + d);
            }
        }
    }

    /** Returns the index of the largest probability (the first on ties). */
    static int predictedClass(float[] probabilities) {
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Returns the largest probability. */
    static double confidence(float[] probabilities) {
        return probabilities[predictedClass(probabilities)];
    }
}
