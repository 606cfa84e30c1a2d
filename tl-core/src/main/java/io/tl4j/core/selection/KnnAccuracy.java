package io.tl4j.core.selection;

/**
 * Computes leave-one-out k-nearest-neighbour accuracy under cosine similarity: each example is
 * classified by a vote of its {@code k} most similar other examples, and the score is the fraction
 * classified right. Higher is better.
 *
 * <p>Everything is deterministic. Equally similar neighbours are taken in example order (lower index
 * first). A tied vote goes to the tied class with the larger summed similarity among the neighbours,
 * then to the lower class index. A zero vector is similar (0) to nothing.
 */
final class KnnAccuracy {

    private KnnAccuracy() {}

    /**
     * Computes the leave-one-out accuracy.
     *
     * @param features one row per example, every row the same length
     * @param labels one class index per example, in {@code [0, numClasses)}
     * @param numClasses the number of classes
     * @param k the number of neighbours, at least 1; at most {@code n - 1} are used
     * @return the fraction of examples whose neighbours vote for their own class
     */
    static double score(float[][] features, int[] labels, int numClasses, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("kNN needs k >= 1, got " + k);
        }
        int n = features.length;
        double[][] unit = normalized(features);
        int neighbours = Math.min(k, n - 1);
        int correct = 0;
        double[] similarity = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                similarity[j] = j == i ? Double.NEGATIVE_INFINITY : dot(unit[i], unit[j]);
            }
            if (vote(nearest(similarity, neighbours), similarity, labels, numClasses) == labels[i]) {
                correct++;
            }
        }
        return (double) correct / n;
    }

    /** Returns the indices of the {@code count} largest similarities, lower index first among equals. */
    private static int[] nearest(double[] similarity, int count) {
        int[] best = new int[count];
        int filled = 0;
        for (int j = 0; j < similarity.length; j++) {
            if (similarity[j] == Double.NEGATIVE_INFINITY) {
                continue;
            }
            if (filled < count) {
                best[filled++] = j;
            } else if (similarity[j] > similarity[best[count - 1]]) {
                best[count - 1] = j;
            } else {
                continue;
            }
            // keep best sorted by similarity descending, ties by index ascending (insertion step)
            for (int p = filled - 1; p > 0 && similarity[best[p]] > similarity[best[p - 1]]; p--) {
                int t = best[p];
                best[p] = best[p - 1];
                best[p - 1] = t;
            }
        }
        return best;
    }

    private static int vote(int[] neighbours, double[] similarity, int[] labels, int numClasses) {
        int[] votes = new int[numClasses];
        double[] weight = new double[numClasses];
        for (int j : neighbours) {
            votes[labels[j]]++;
            weight[labels[j]] += similarity[j];
        }
        int winner = 0;
        for (int c = 1; c < numClasses; c++) {
            if (votes[c] > votes[winner] || (votes[c] == votes[winner] && weight[c] > weight[winner])) {
                winner = c;
            }
        }
        return winner;
    }

    private static double[][] normalized(float[][] features) {
        double[][] unit = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            double norm = 0;
            for (float v : features[i]) {
                norm += (double) v * v;
            }
            norm = Math.sqrt(norm);
            unit[i] = new double[features[i].length];
            if (norm > 0) {
                for (int a = 0; a < unit[i].length; a++) {
                    unit[i][a] = features[i][a] / norm;
                }
            }
        }
        return unit;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
