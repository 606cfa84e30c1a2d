package io.tl4j.core.selection;

/**
 * Computes LogME (You et al., "LogME: Practical Assessment of Pre-trained Models for Transfer
 * Learning", ICML 2021): the logarithm of the maximum evidence of a Bayesian linear model from
 * features to labels, per example, averaged over classes. Higher is better.
 *
 * <p>Each class is a one-vs-rest regression target {@code y} (1 for the class, 0 otherwise). The
 * model {@code y = f·w + noise} with prior {@code w ~ N(0, 1/alpha)} and noise {@code N(0, 1/beta)}
 * has an evidence that the fixed-point iteration of the paper's journal version (the reference
 * implementation's default, github.com/thuml/LogME, {@code LogME._fit_fixed_point}) maximises over
 * {@code alpha} and {@code beta} on the singular values of the feature matrix: at most 11 steps,
 * stopping when {@code alpha/beta} moves by at most 0.1%. This class follows that code step for step,
 * with one fix: the log-determinant of {@code A = alpha·I + beta·FᵀF} sums over all {@code D} of its
 * eigenvalues, the {@code D - k} beyond the rank {@code k} being {@code alpha} (thuml/LogME issue
 * #23, pull request #24, agreed by its maintainer). The published code sums over the {@code k}
 * singular values only, which is the same when {@code k = D} but, with fewer examples than features
 * ({@code N < D}, the few-shot case), overstates the evidence by {@code (D-k)/2·log(alpha)/N}: a
 * 12 × 30 matrix scores 4.69 where the paper's ICML algorithm gives -1.078 and the fixed one -1.077.
 *
 * <p>The singular values come from the eigendecomposition of the smaller Gram matrix ({@code F·Fᵀ}
 * when {@code N ≤ D}, else {@code Fᵀ·F}, as the reference's truncated SVD does). With {@code N > D},
 * directions whose singular value is below {@code 1e-5} of the largest are dropped as numerically
 * zero (the reference drops those below an absolute {@code 1e-10}, which keeps round-off directions of
 * rank-deficient features, such as ReLU units that never fire).
 */
final class LogMe {

    private static final double EPSILON = 1e-5;
    private static final double RELATIVE_RANK_CUT = 1e-10; // on squared singular values

    private LogMe() {}

    /**
     * Computes the LogME score of features for class labels.
     *
     * @param features one row per example, every row the same length
     * @param labels one class index per example, in {@code [0, numClasses)}
     * @param numClasses the number of classes
     * @return the mean over classes of each class's maximum log evidence per example
     */
    static double score(float[][] features, int[] labels, int numClasses) {
        Spectrum spectrum = Spectrum.of(features);
        double total = 0;
        for (int c = 0; c < numClasses; c++) {
            double[] y = new double[labels.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = labels[i] == c ? 1.0 : 0.0;
            }
            total += evidence(spectrum, y, features[0].length);
        }
        return total / numClasses;
    }

    /** The maximum log evidence per example of one target, by the reference's fixed-point iteration. */
    private static double evidence(Spectrum spectrum, double[] y, int dim) {
        int n = y.length;
        double[] sigma = spectrum.sigma;
        double[] x2 = spectrum.projectSquared(y);
        double resX2 = 0;
        for (double v : y) {
            resX2 += v * v;
        }
        for (double v : x2) {
            resX2 -= v;
        }
        double alpha = 1.0;
        double beta = 1.0;
        double m2 = 0;
        double res2 = 0;
        for (int iter = 0; iter < 11; iter++) {
            double t = alpha / beta;
            double gamma = 0;
            m2 = 0;
            res2 = resX2;
            for (int k = 0; k < sigma.length; k++) {
                gamma += sigma[k] / (sigma[k] + t);
                m2 += sigma[k] * x2[k] / ((t + sigma[k]) * (t + sigma[k]));
                double shrink = 1 + sigma[k] / t;
                res2 += x2[k] / (shrink * shrink);
            }
            alpha = gamma / (m2 + EPSILON);
            beta = (n - gamma) / (res2 + EPSILON);
            double next = alpha / beta;
            if (Math.abs(next - t) / t <= 1e-3) {
                break;
            }
        }
        double logDet = 0;
        for (double s : sigma) {
            logDet += Math.log(alpha + beta * s);
        }
        double evidence = dim / 2.0 * Math.log(alpha)
                + n / 2.0 * Math.log(beta)
                - 0.5 * logDet
                - 0.5 * (dim - sigma.length) * Math.log(alpha)
                - beta / 2.0 * res2
                - alpha / 2.0 * m2
                - n / 2.0 * Math.log(2 * Math.PI);
        return evidence / n;
    }

    /**
     * The squared singular values {@code sigma} of a feature matrix and its left singular vectors, as
     * a function that projects a target onto them.
     */
    private static final class Spectrum {
        private final double[] sigma;
        private final double[][] basis; // k rows of length N: the left singular vectors

        private Spectrum(double[] sigma, double[][] basis) {
            this.sigma = sigma;
            this.basis = basis;
        }

        static Spectrum of(float[][] features) {
            int n = features.length;
            int dim = features[0].length;
            return n <= dim ? fromRowGram(features) : fromColumnGram(features);
        }

        /** N ≤ D: eigenvectors of F·Fᵀ are the left singular vectors; all N are kept, as numpy's SVD does. */
        private static Spectrum fromRowGram(float[][] f) {
            int n = f.length;
            double[][] gram = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = dot(f[i], f[j]);
                    gram[i][j] = s;
                    gram[j][i] = s;
                }
            }
            SymmetricEigen eigen = SymmetricEigen.of(gram);
            double[] values = eigen.values();
            double[] sigma = new double[n];
            double[][] basis = new double[n][];
            for (int k = 0; k < n; k++) {
                sigma[k] = Math.max(0, values[k]);
                basis[k] = eigen.vector(k);
            }
            return new Spectrum(sigma, basis);
        }

        /** N > D: eigenvectors v of Fᵀ·F give the left singular vectors F·v/s of the non-zero singular values. */
        private static Spectrum fromColumnGram(float[][] f) {
            int n = f.length;
            int dim = f[0].length;
            double[][] gram = new double[dim][dim];
            for (float[] row : f) {
                for (int a = 0; a < dim; a++) {
                    double ra = row[a];
                    if (ra != 0) {
                        double[] g = gram[a];
                        for (int b = 0; b <= a; b++) {
                            g[b] += ra * row[b];
                        }
                    }
                }
            }
            for (int a = 0; a < dim; a++) {
                for (int b = 0; b < a; b++) {
                    gram[b][a] = gram[a][b];
                }
            }
            SymmetricEigen eigen = SymmetricEigen.of(gram);
            double[] values = eigen.values();
            double largest = Math.max(0, values[dim - 1]);
            double cut = Math.max(1e-20, largest * RELATIVE_RANK_CUT);
            int kept = 0;
            for (double v : values) {
                if (v > cut) {
                    kept++;
                }
            }
            double[] sigma = new double[kept];
            double[][] basis = new double[kept][];
            for (int k = 0; k < kept; k++) {
                int j = dim - 1 - k;
                double s = Math.sqrt(values[j]);
                double[] vec = eigen.vector(j);
                double[] u = new double[n];
                for (int i = 0; i < n; i++) {
                    double acc = 0;
                    for (int a = 0; a < dim; a++) {
                        acc += f[i][a] * vec[a];
                    }
                    u[i] = acc / s;
                }
                sigma[k] = values[j];
                basis[k] = u;
            }
            return new Spectrum(sigma, basis);
        }

        /** Returns the squared projections of {@code y} onto each left singular vector. */
        double[] projectSquared(double[] y) {
            double[] x2 = new double[basis.length];
            for (int k = 0; k < basis.length; k++) {
                double x = 0;
                for (int i = 0; i < y.length; i++) {
                    x += basis[k][i] * y[i];
                }
                x2[k] = x * x;
            }
            return x2;
        }

        private static double dot(float[] a, float[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                s += (double) a[i] * b[i];
            }
            return s;
        }
    }
}
