package io.tl4j.core.selection;

/**
 * Computes Kendall's rank correlation between two scorings of the same items: tau-b, which counts
 * concordant minus discordant pairs and corrects for ties (as {@code scipy.stats.kendalltau} does
 * by default). 1 means the same order, -1 the reverse, 0 no agreement beyond chance.
 */
public final class KendallTau {

    private KendallTau() {}

    /**
     * Computes tau-b between {@code x} and {@code y}.
     *
     * @param x the first scoring, one value per item
     * @param y the second scoring of the same items
     * @return tau-b, or NaN when either scoring gives every item the same value
     * @throws IllegalArgumentException when the lengths differ, fewer than 2 items are given, or a
     *     value is NaN (naming its index)
     */
    public static double of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "Kendall's tau needs two scorings of the same items; got " + x.length + " and " + y.length);
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("Kendall's tau needs at least 2 items; got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                throw new IllegalArgumentException("Kendall's tau: item " + i + " has a NaN score");
            }
        }
        long concordant = 0;
        long discordant = 0;
        long tiedXOnly = 0;
        long tiedYOnly = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                int sx = Double.compare(x[i], x[j]);
                int sy = Double.compare(y[i], y[j]);
                if (sx == 0 && sy == 0) {
                    continue;
                } else if (sx == 0) {
                    tiedXOnly++;
                } else if (sy == 0) {
                    tiedYOnly++;
                } else if (Integer.signum(sx) == Integer.signum(sy)) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        double denominator =
                Math.sqrt((double) (concordant + discordant + tiedXOnly) * (concordant + discordant + tiedYOnly));
        return denominator == 0 ? Double.NaN : (concordant - discordant) / denominator;
    }
}
