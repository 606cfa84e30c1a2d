package io.tl4j.core.meta;

import java.util.Arrays;

/**
 * Nearest-prototype arithmetic on plain embeddings: class prototypes as mean embeddings, and a
 * softmax over negative squared Euclidean distances to them, the same rule {@link PrototypicalLoss}
 * trains for.
 */
final class Prototypes {

    private Prototypes() {}

    /**
     * Returns each class's mean embedding.
     *
     * @param rows one embedding per example
     * @param labels each example's class
     * @param classes the number of classes
     * @param classNames names the classes in the error message
     * @return {@code classes} prototypes
     * @throws IllegalArgumentException when a class has no example
     */
    static float[][] of(float[][] rows, int[] labels, int classes, java.util.List<String> classNames) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        float[][] sums = new float[classes][width];
        int[] counts = new int[classes];
        for (int i = 0; i < rows.length; i++) {
            counts[labels[i]]++;
            for (int j = 0; j < width; j++) {
                sums[labels[i]][j] += rows[i][j];
            }
        }
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException(
                        "The support set has no example of class '" + classNames.get(c) + "'");
            }
            for (int j = 0; j < width; j++) {
                sums[c][j] /= counts[c];
            }
        }
        return sums;
    }

    /**
     * Returns the softmax over the negative squared distances from an embedding to each prototype.
     *
     * @param row an embedding
     * @param prototypes the class prototypes
     * @return one probability per class
     */
    static float[] probabilities(float[] row, float[][] prototypes) {
        double[] scores = new double[prototypes.length];
        for (int c = 0; c < prototypes.length; c++) {
            double d = 0;
            for (int j = 0; j < row.length; j++) {
                double diff = row[j] - prototypes[c][j];
                d += diff * diff;
            }
            scores[c] = -d;
        }
        double max = Arrays.stream(scores).max().orElse(0);
        double sum = 0;
        for (int c = 0; c < scores.length; c++) {
            scores[c] = Math.exp(scores[c] - max);
            sum += scores[c];
        }
        float[] p = new float[scores.length];
        for (int c = 0; c < scores.length; c++) {
            p[c] = (float) (scores[c] / sum);
        }
        return p;
    }
}
