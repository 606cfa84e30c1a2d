package io.tl4j.core.selection;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Computes cross-validated linear-probe accuracy: multinomial logistic regression with an L2 penalty
 * on standardised features, trained by {@link Lbfgs} on all folds but one and scored on the held-out
 * fold, over stratified folds ({@link LabeledData#kFold}, seeded). The score is the fraction of all
 * examples classified right while held out. Higher is better.
 *
 * <p>The penalty follows scikit-learn's {@code LogisticRegression(C)}: the minimised objective is
 * {@code C·Σ cross-entropy + ½·‖W‖²} (biases unpenalised), here divided by {@code C·m} for {@code m}
 * training examples. Features are standardised with the training part's mean and standard deviation
 * (a constant feature is only centred).
 */
final class LinearProbe {

    private static final int MAX_ITERATIONS = 300;
    private static final double TOLERANCE = 1e-6;

    private LinearProbe() {}

    /**
     * Computes the cross-validated accuracy.
     *
     * @param features one row per example, every row the same length
     * @param labels one class index per example; every class needs at least two examples
     * @param numClasses the number of classes
     * @param folds the number of folds, at least 2; at most one per example is used
     * @param c the inverse regularisation strength, positive
     * @param seed seeds the fold assignment
     * @return the fraction of examples predicted right by the model trained without them
     */
    static double score(float[][] features, int[] labels, int numClasses, int folds, double c, long seed) {
        int n = features.length;
        List<Integer> indices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            indices.add(i);
        }
        List<String> names = new ArrayList<>(numClasses);
        for (int k = 0; k < numClasses; k++) {
            names.add("class " + k);
        }
        int correct = 0;
        for (Split<Integer> split : LabeledData.of(indices, labels, names).kFold(Math.min(folds, n), seed)) {
            LabeledData<Integer> train = split.train();
            LabeledData<Integer> held = split.validation();
            Standardizer standardizer = Standardizer.fit(features, train.inputs());
            double[][] x = standardizer.apply(features, train.inputs());
            SoftmaxRegression model = SoftmaxRegression.fit(x, train.labels(), numClasses, c);
            double[][] test = standardizer.apply(features, held.inputs());
            for (int i = 0; i < test.length; i++) {
                if (model.predict(test[i]) == held.label(i)) {
                    correct++;
                }
            }
        }
        return (double) correct / n;
    }

    /** Centres and scales each feature by the training rows' mean and standard deviation. */
    private record Standardizer(double[] mean, double[] scale) {

        static Standardizer fit(float[][] features, List<Integer> rows) {
            int d = features[0].length;
            double[] mean = new double[d];
            double[] sq = new double[d];
            for (int i : rows) {
                for (int a = 0; a < d; a++) {
                    mean[a] += features[i][a];
                }
            }
            for (int a = 0; a < d; a++) {
                mean[a] /= rows.size();
            }
            for (int i : rows) {
                for (int a = 0; a < d; a++) {
                    double v = features[i][a] - mean[a];
                    sq[a] += v * v;
                }
            }
            double[] scale = new double[d];
            for (int a = 0; a < d; a++) {
                double std = Math.sqrt(sq[a] / rows.size());
                scale[a] = std > 1e-12 ? 1.0 / std : 1.0;
            }
            return new Standardizer(mean, scale);
        }

        double[][] apply(float[][] features, List<Integer> rows) {
            double[][] out = new double[rows.size()][mean.length];
            for (int r = 0; r < rows.size(); r++) {
                float[] f = features[rows.get(r)];
                for (int a = 0; a < mean.length; a++) {
                    out[r][a] = (f[a] - mean[a]) * scale[a];
                }
            }
            return out;
        }
    }

    /** A multinomial logistic regression: one weight row and one bias per class. */
    private static final class SoftmaxRegression implements Lbfgs.Objective {
        private final double[][] x;
        private final int[] y;
        private final int classes;
        private final int dim;
        private final double lambda;
        private double[] params; // class-major: [w_c (dim values), b_c] per class

        private SoftmaxRegression(double[][] x, int[] y, int classes, double lambda) {
            this.x = x;
            this.y = y;
            this.classes = classes;
            this.dim = x.length == 0 ? 0 : x[0].length;
            this.lambda = lambda;
        }

        static SoftmaxRegression fit(double[][] x, int[] y, int classes, double c) {
            SoftmaxRegression model = new SoftmaxRegression(x, y, classes, 1.0 / (c * x.length));
            model.params = new double[classes * (model.dim + 1)];
            Lbfgs.minimize(model, model.params, MAX_ITERATIONS, TOLERANCE);
            return model;
        }

        @Override
        public double valueAndGradient(double[] w, double[] gradient) {
            Arrays.fill(gradient, 0);
            double loss = 0;
            double[] logits = new double[classes];
            for (int i = 0; i < x.length; i++) {
                scores(w, x[i], logits);
                double max = Double.NEGATIVE_INFINITY;
                for (double v : logits) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    logits[k] = Math.exp(logits[k] - max);
                    sum += logits[k];
                }
                loss -= Math.log(logits[y[i]] / sum);
                for (int k = 0; k < classes; k++) {
                    double err = (logits[k] / sum - (k == y[i] ? 1 : 0)) / x.length;
                    int base = k * (dim + 1);
                    for (int a = 0; a < dim; a++) {
                        gradient[base + a] += err * x[i][a];
                    }
                    gradient[base + dim] += err;
                }
            }
            loss /= x.length;
            for (int k = 0; k < classes; k++) {
                int base = k * (dim + 1);
                for (int a = 0; a < dim; a++) {
                    loss += 0.5 * lambda * w[base + a] * w[base + a];
                    gradient[base + a] += lambda * w[base + a];
                }
            }
            return loss;
        }

        int predict(double[] row) {
            double[] logits = new double[classes];
            scores(params, row, logits);
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (logits[k] > logits[best]) {
                    best = k;
                }
            }
            return best;
        }

        private void scores(double[] w, double[] row, double[] out) {
            for (int k = 0; k < classes; k++) {
                int base = k * (dim + 1);
                double s = w[base + dim];
                for (int a = 0; a < dim; a++) {
                    s += w[base + a] * row[a];
                }
                out[k] = s;
            }
        }
    }
}
