package io.tl4j.nlp.baseline;

/**
 * Minimises {@link LogisticRegression}'s objective with L-BFGS: the two-loop recursion over the
 * last ten steps and a backtracking (Armijo) line search, stopping when the gradient is small
 * relative to the weights or the loss stops moving.
 */
final class Lbfgs {

    private static final int HISTORY = 10;
    private static final int MAX_ITERATIONS = 500;
    private static final double TOLERANCE = 1e-6;

    private Lbfgs() {}

    /** L-BFGS with a backtracking (Armijo) line search; returns the iterations used. */
    static int minimize(LogisticRegression.Objective f, double[] w) {
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
