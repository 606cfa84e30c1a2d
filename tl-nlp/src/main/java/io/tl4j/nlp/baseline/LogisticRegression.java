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
        check(inputs, labels, numClasses, dimension, c);
        return solve(new Objective(inputs, labels, numClasses, dimension, c), null);
    }

    private static void check(SparseVector[] inputs, int[] labels, int numClasses, int dimension, double c) {
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
    }

    private static LogisticRegression solve(Objective objective, double[] prior) {
        double[] w = prior == null
                ? new double[objective.numClasses * objective.dimension + objective.numClasses]
                : prior.clone();
        int iterations = Lbfgs.minimize(objective, w);
        return new LogisticRegression(objective.numClasses, objective.dimension, objective.c, w, iterations);
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
     * Fits dense vectors regularised towards prior parameters instead of towards zero: it minimises
     * {@code C · Σ cross-entropy + ½ ‖W − W₀‖²}, starting from the prior. With few examples the
     * fit stays near the prior (a zero-shot classifier's weights, say); with many, the data win.
     *
     * @param inputs the feature vectors, all of the prior's length
     * @param labels one label per input
     * @param c the inverse regularisation strength
     * @param priorWeights {@code W₀}: one row of weights per class
     * @param priorIntercepts where the intercepts start (they are never regularised)
     * @return the fitted model
     * @throws IllegalArgumentException when the prior's shape does not fit the inputs
     */
    public static LogisticRegression fitTowards(
            float[][] inputs, int[] labels, double c, double[][] priorWeights, double[] priorIntercepts) {
        int numClasses = priorWeights.length;
        int dimension = priorWeights.length == 0 ? 0 : priorWeights[0].length;
        if (priorIntercepts.length != numClasses || inputs.length == 0 || inputs[0].length != dimension) {
            throw new IllegalArgumentException("The prior has " + numClasses + " classes of " + dimension
                    + " weights and " + priorIntercepts.length + " intercepts; inputs have "
                    + (inputs.length == 0 ? "no rows" : inputs[0].length + " values"));
        }
        double[] center = new double[numClasses * dimension + numClasses];
        for (int k = 0; k < numClasses; k++) {
            if (priorWeights[k].length != dimension) {
                throw new IllegalArgumentException(
                        "prior row " + k + " has " + priorWeights[k].length + " weights, row 0 has " + dimension);
            }
            System.arraycopy(priorWeights[k], 0, center, k * dimension, dimension);
            center[numClasses * dimension + k] = priorIntercepts[k];
        }
        SparseVector[] sparse = Arrays.stream(inputs).map(SparseVector::dense).toArray(SparseVector[]::new);
        check(sparse, labels, numClasses, dimension, c);
        return solve(new Objective(sparse, labels, numClasses, dimension, c, center), center);
    }

    /**
     * Returns the values of C tl4j's cross-validated heads choose from: {0.01, 0.1, 1, 10, 100, 1000}.
     *
     * @return a new array of the candidates, smallest first
     */
    public static double[] defaultCandidates() {
        return new double[] {0.01, 0.1, 1, 10, 100, 1000};
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
        return fitCrossValidated(data, candidates, folds, seed, (x, y, c) -> fit(x, y, data.numClasses(), c));
    }

    /**
     * Chooses C by stratified k-fold cross-validation on {@code data} only, fitting with the given
     * fitter ({@link #fitTowards} a prior, say), then refits on all of it.
     *
     * @param data the vectors and labels; every class needs at least 2 examples
     * @param candidates the values of C to try
     * @param folds the number of folds (fewer when a class has fewer examples)
     * @param seed seeds the fold assignment
     * @param fitter fits vectors and labels at one C
     * @return the model fitted on all of {@code data} with the best C (the first on a tie)
     */
    public static LogisticRegression fitCrossValidated(
            LabeledData<float[]> data, double[] candidates, int folds, long seed, DenseFitter fitter) {
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
                LogisticRegression model = fitter.fit(
                        split.train().inputs().toArray(float[][]::new),
                        split.train().labels(),
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
        return fitter.fit(data.inputs().toArray(float[][]::new), data.labels(), best);
    }

    /** Fits a model to dense vectors at one regularisation strength. */
    @FunctionalInterface
    public interface DenseFitter {
        /**
         * Fits a model to dense vectors at one regularisation strength.
         *
         * @param inputs the vectors
         * @param labels one label per vector
         * @param c the inverse regularisation strength
         * @return the fitted model
         */
        LogisticRegression fit(float[][] inputs, int[] labels, double c);
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
        private final double[] center;

        Objective(SparseVector[] inputs, int[] labels, int numClasses, int dimension, double c) {
            this(inputs, labels, numClasses, dimension, c, new double[numClasses * dimension + numClasses]);
        }

        Objective(SparseVector[] inputs, int[] labels, int numClasses, int dimension, double c, double[] center) {
            this.inputs = inputs;
            this.labels = labels;
            this.numClasses = numClasses;
            this.dimension = dimension;
            this.c = c;
            this.center = center;
        }

        /** Computes the loss at {@code w}, writing its gradient into {@code gradient}. */
        double evaluate(double[] w, double[] gradient) {
            int bias = numClasses * dimension;
            double loss = 0;
            for (int j = 0; j < bias; j++) {
                double offset = w[j] - center[j];
                loss += 0.5 * offset * offset;
                gradient[j] = offset;
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
}
