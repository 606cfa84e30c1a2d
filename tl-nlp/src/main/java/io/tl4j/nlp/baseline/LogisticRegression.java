package io.tl4j.nlp.baseline;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Multinomial (softmax) logistic regression with L2 regularisation, fitted to optimality by
 * L-BFGS: it minimises {@code C · Σ cross-entropy + ½ ‖W‖²} (the intercepts are not regularised),
 * the objective scikit-learn's {@code LogisticRegression(C=...)} minimises. Inputs are sparse
 * vectors, so it serves bag-of-words features and dense embeddings ({@link SparseVector#dense}) alike.
 */
public final class LogisticRegression {

    private static final int HISTORY = 10;
    private static final int MAX_ITERATIONS = 500;
    private static final double TOLERANCE = 1e-6;

    private final int numClasses;
    private final int dimension;
    private final double c;
    private final double[] parameters; // numClasses rows of dimension weights, then numClasses intercepts
    private final int iterations;

    private LogisticRegression(int numClasses, int dimension, double c, double[] parameters, int iterations) {
        this.numClasses = numClasses;
        this.dimension = dimension;
        this.c = c;
        this.parameters = parameters;
        this.iterations = iterations;
    }

    /**
     * Fits the model.
     *
     * @param inputs the feature vectors; every index below {@code dimension}
     * @param labels one label per input, in {@code [0, numClasses)}
     * @param numClasses the number of classes, at least 2
     * @param dimension the number of features
     * @param c the inverse regularisation strength, &gt; 0 (larger fits the data more closely)
     * @return the fitted model
     * @throws IllegalArgumentException for mismatched sizes, an out-of-range label or index, or a bad C
     */
    public static LogisticRegression fit(SparseVector[] inputs, int[] labels, int numClasses, int dimension, double c) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.length != labels.length || inputs.length == 0) {
            throw new IllegalArgumentException(inputs.length + " inputs but " + labels.length + " labels");
        }
        if (numClasses < 2 || !(c > 0) || dimension < 1) {
            throw new IllegalArgumentException(
                    "Need numClasses >= 2, dimension >= 1 and C > 0; got " + numClasses + ", " + dimension + ", " + c);
        }
        for (int i = 0; i < inputs.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is out of range");
            }
            int[] idx = inputs[i].indices();
            if (idx.length > 0 && (idx[0] < 0 || idx[idx.length - 1] >= dimension)) {
                throw new IllegalArgumentException(
                        "example " + i + " has a feature index outside [0, " + dimension + ")");
            }
        }
        Objective objective = new Objective(inputs, labels, numClasses, dimension, c);
        double[] w = new double[numClasses * dimension + numClasses];
        int iterations = minimize(objective, w);
        return new LogisticRegression(numClasses, dimension, c, w, iterations);
    }

    /**
     * Fits the model on dense vectors.
     *
     * @param inputs the feature vectors, all of the same length
     * @param labels one label per input
     * @param numClasses the number of classes, at least 2
     * @param c the inverse regularisation strength
     * @return the fitted model
     */
    public static LogisticRegression fit(float[][] inputs, int[] labels, int numClasses, double c) {
        return fit(
                Arrays.stream(inputs).map(SparseVector::dense).toArray(SparseVector[]::new),
                labels,
                numClasses,
                inputs[0].length,
                c);
    }

    /**
     * Fits dense vectors (cached embeddings, say) with C chosen by stratified k-fold
     * cross-validation on {@code data} only, then refits on all of it.
     *
     * @param data the vectors and labels; every class needs at least 2 examples
     * @param candidates the values of C to try
     * @param folds the number of folds (fewer when a class has fewer examples)
     * @param seed seeds the fold assignment
     * @return the model fitted on all of {@code data} with the best C (the first on a tie)
     */
    public static LogisticRegression fitCrossValidated(
            LabeledData<float[]> data, double[] candidates, int folds, long seed) {
        int k = Math.min(folds, Arrays.stream(data.classCounts()).min().orElse(0));
        if (k < 2) {
            throw new IllegalArgumentException("Cross-validation needs at least 2 examples per class; counts "
                    + Arrays.toString(data.classCounts()));
        }
        List<Split<float[]>> splits = data.kFold(k, seed);
        double best = candidates[0];
        double bestScore = -1;
        for (double c : candidates) {
            double correct = 0;
            for (Split<float[]> split : splits) {
                LogisticRegression model = fit(
                        split.train().inputs().toArray(float[][]::new),
                        split.train().labels(),
                        data.numClasses(),
                        c);
                for (int i = 0; i < split.validation().size(); i++) {
                    correct += model.predict(split.validation().input(i))
                                    == split.validation().label(i)
                            ? 1
                            : 0;
                }
            }
            if (correct > bestScore) {
                bestScore = correct;
                best = c;
            }
        }
        return fit(data.inputs().toArray(float[][]::new), data.labels(), data.numClasses(), best);
    }

    /**
     * Returns the probability of each class for a feature vector.
     *
     * @param input a feature vector
     * @return the probability of each class
     */
    public double[] probabilities(SparseVector input) {
        double[] scores = new double[numClasses];
        for (int k = 0; k < numClasses; k++) {
            scores[k] = input.dot(parameters, k * dimension) + parameters[numClasses * dimension + k];
        }
        softmax(scores);
        return scores;
    }

    /**
     * Returns the probability of each class for a dense feature vector.
     *
     * @param input a dense feature vector
     * @return the probability of each class
     */
    public double[] probabilities(float[] input) {
        return probabilities(SparseVector.dense(input));
    }

    /**
     * Predicts the most probable class of a feature vector.
     *
     * @param input a feature vector
     * @return the most probable class
     */
    public int predict(SparseVector input) {
        double[] p = probabilities(input);
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * Predicts the most probable class of a dense feature vector.
     *
     * @param input a dense feature vector
     * @return the most probable class
     */
    public int predict(float[] input) {
        return predict(SparseVector.dense(input));
    }

    /** Returns the inverse regularisation strength it was fitted with. */
    public double c() {
        return c;
    }

    /** Returns the number of L-BFGS iterations the fit took. */
    public int iterations() {
        return iterations;
    }

    /**
     * Returns a copy of a class's weights.
     *
     * @param k a class
     * @return a copy of that class's weights
     */
    public double[] weights(int k) {
        return Arrays.copyOfRange(parameters, k * dimension, (k + 1) * dimension);
    }

    /**
     * Returns a class's intercept.
     *
     * @param k a class
     * @return that class's intercept
     */
    public double intercept(int k) {
        return parameters[numClasses * dimension + k];
    }

    static void softmax(double[] scores) {
        double max = Arrays.stream(scores).max().orElse(0);
        double sum = 0;
        for (int k = 0; k < scores.length; k++) {
            scores[k] = Math.exp(scores[k] - max);
            sum += scores[k];
        }
        for (int k = 0; k < scores.length; k++) {
            scores[k] /= sum;
        }
    }

    /** The regularised loss and its gradient. */
    static final class Objective {
        private final SparseVector[] inputs;
        private final int[] labels;
        private final int numClasses;
        private final int dimension;
        private final double c;

        Objective(SparseVector[] inputs, int[] labels, int numClasses, int dimension, double c) {
            this.inputs = inputs;
            this.labels = labels;
            this.numClasses = numClasses;
            this.dimension = dimension;
            this.c = c;
        }

        /** Computes the loss at {@code w}, writing its gradient into {@code gradient}. */
        double evaluate(double[] w, double[] gradient) {
            int bias = numClasses * dimension;
            double loss = 0;
            for (int j = 0; j < bias; j++) {
                loss += 0.5 * w[j] * w[j];
                gradient[j] = w[j];
            }
            Arrays.fill(gradient, bias, gradient.length, 0);
            double[] scores = new double[numClasses];
            for (int i = 0; i < inputs.length; i++) {
                SparseVector x = inputs[i];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < numClasses; k++) {
                    scores[k] = x.dot(w, k * dimension) + w[bias + k];
                    max = Math.max(max, scores[k]);
                }
                double sum = 0;
                for (int k = 0; k < numClasses; k++) {
                    sum += Math.exp(scores[k] - max);
                }
                double logSum = max + Math.log(sum);
                loss += c * (logSum - scores[labels[i]]);
                for (int k = 0; k < numClasses; k++) {
                    double g = c * (Math.exp(scores[k] - logSum) - (k == labels[i] ? 1 : 0));
                    int offset = k * dimension;
                    int[] idx = x.indices();
                    float[] val = x.values();
                    for (int t = 0; t < idx.length; t++) {
                        gradient[offset + idx[t]] += g * val[t];
                    }
                    gradient[bias + k] += g;
                }
            }
            return loss;
        }
    }

    /** L-BFGS with a backtracking (Armijo) line search; returns the iterations used. */
    static int minimize(Objective f, double[] w) {
        int n = w.length;
        double[] g = new double[n];
        double loss = f.evaluate(w, g);
        double[][] s = new double[HISTORY][];
        double[][] y = new double[HISTORY][];
        double[] rho = new double[HISTORY];
        int stored = 0;
        double[] wNew = new double[n];
        double[] gNew = new double[n];
        for (int iter = 1; iter <= MAX_ITERATIONS; iter++) {
            double gNorm = Math.sqrt(dot(g, g));
            if (gNorm <= TOLERANCE * Math.max(1, Math.sqrt(dot(w, w)))) {
                return iter - 1;
            }
            double[] d = g.clone();
            double[] alpha = new double[HISTORY];
            for (int j = stored - 1; j >= 0; j--) {
                alpha[j] = rho[j] * dot(s[j], d);
                axpy(-alpha[j], y[j], d);
            }
            double scale =
                    stored > 0 ? dot(s[stored - 1], y[stored - 1]) / dot(y[stored - 1], y[stored - 1]) : 1 / gNorm;
            for (int i = 0; i < n; i++) {
                d[i] *= scale;
            }
            for (int j = 0; j < stored; j++) {
                double beta = rho[j] * dot(y[j], d);
                axpy(alpha[j] - beta, s[j], d);
            }
            double slope = -dot(g, d); // direction is -d
            if (slope >= 0) { // not a descent direction: restart from steepest descent
                stored = 0;
                d = g.clone();
                slope = -dot(g, g);
            }
            double step = 1;
            double newLoss;
            while (true) {
                for (int i = 0; i < n; i++) {
                    wNew[i] = w[i] - step * d[i];
                }
                newLoss = f.evaluate(wNew, gNew);
                if (newLoss <= loss + 1e-4 * step * slope || step < 1e-12) {
                    break;
                }
                step *= 0.5;
            }
            double[] sk = new double[n];
            double[] yk = new double[n];
            for (int i = 0; i < n; i++) {
                sk[i] = wNew[i] - w[i];
                yk[i] = gNew[i] - g[i];
            }
            double sy = dot(sk, yk);
            boolean converged = Math.abs(loss - newLoss) <= 1e-12 * Math.max(1, Math.abs(loss));
            System.arraycopy(wNew, 0, w, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            loss = newLoss;
            if (converged) {
                return iter;
            }
            if (sy > 1e-12) {
                if (stored == HISTORY) {
                    System.arraycopy(s, 1, s, 0, HISTORY - 1);
                    System.arraycopy(y, 1, y, 0, HISTORY - 1);
                    System.arraycopy(rho, 1, rho, 0, HISTORY - 1);
                    stored--;
                }
                s[stored] = sk;
                y[stored] = yk;
                rho[stored] = 1 / sy;
                stored++;
            }
        }
        return MAX_ITERATIONS;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }
}
