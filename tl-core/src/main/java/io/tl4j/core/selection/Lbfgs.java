package io.tl4j.core.selection;

/**
 * Minimises a smooth function with limited-memory BFGS (Nocedal and Wright, algorithm 7.4): the
 * two-loop recursion over the last ten steps, and a backtracking line search with the Armijo
 * condition. Stops when the gradient's largest component falls below a tolerance or after a number
 * of iterations.
 */
final class Lbfgs {

    /** A differentiable function of a vector. */
    interface Objective {
        /**
         * Computes the value at {@code x} and writes the gradient into {@code gradient}.
         *
         * @param x the point
         * @param gradient receives the gradient, same length as {@code x}
         * @return the value
         */
        double valueAndGradient(double[] x, double[] gradient);
    }

    private static final int MEMORY = 10;

    private Lbfgs() {}

    /**
     * Minimises {@code f} from {@code x}, in place.
     *
     * @param f the function
     * @param x the starting point, overwritten with the minimiser found
     * @param maxIterations the most iterations
     * @param tolerance stop once every gradient component is at most this in absolute value
     * @return the value at the final {@code x}
     */
    static double minimize(Objective f, double[] x, int maxIterations, double tolerance) {
        int n = x.length;
        double[][] s = new double[MEMORY][];
        double[][] y = new double[MEMORY][];
        double[] rho = new double[MEMORY];
        int stored = 0;
        double[] g = new double[n];
        double value = f.valueAndGradient(x, g);
        double[] direction = new double[n];
        double[] next = new double[n];
        double[] nextGradient = new double[n];
        for (int iter = 0; iter < maxIterations && maxAbs(g) > tolerance; iter++) {
            searchDirection(g, s, y, rho, stored, direction);
            double slope = dot(g, direction);
            if (slope >= 0) { // not a descent direction: restart from steepest descent
                stored = 0;
                for (int i = 0; i < n; i++) {
                    direction[i] = -g[i];
                }
                slope = dot(g, direction);
            }
            double step = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(-slope)) : 1.0;
            double nextValue;
            int tries = 0;
            while (true) {
                for (int i = 0; i < n; i++) {
                    next[i] = x[i] + step * direction[i];
                }
                nextValue = f.valueAndGradient(next, nextGradient);
                if (nextValue <= value + 1e-4 * step * slope || ++tries > 40) {
                    break;
                }
                step *= 0.5;
            }
            if (!(nextValue < value)) {
                break; // no progress along the direction: converged to the precision available
            }
            double[] sk = new double[n];
            double[] yk = new double[n];
            for (int i = 0; i < n; i++) {
                sk[i] = next[i] - x[i];
                yk[i] = nextGradient[i] - g[i];
            }
            double sy = dot(sk, yk);
            if (sy > 1e-12) {
                int slot = stored < MEMORY ? stored++ : shift(s, y, rho);
                s[slot] = sk;
                y[slot] = yk;
                rho[slot] = 1.0 / sy;
            }
            System.arraycopy(next, 0, x, 0, n);
            System.arraycopy(nextGradient, 0, g, 0, n);
            value = nextValue;
        }
        return value;
    }

    /** Drops the oldest pair and returns the freed last slot. */
    private static int shift(double[][] s, double[][] y, double[] rho) {
        for (int i = 1; i < MEMORY; i++) {
            s[i - 1] = s[i];
            y[i - 1] = y[i];
            rho[i - 1] = rho[i];
        }
        return MEMORY - 1;
    }

    /** The two-loop recursion: direction = -H·g with the stored pairs, oldest first in the arrays. */
    private static void searchDirection(
            double[] g, double[][] s, double[][] y, double[] rho, int stored, double[] direction) {
        int n = g.length;
        double[] q = g.clone();
        double[] a = new double[stored];
        for (int k = stored - 1; k >= 0; k--) {
            a[k] = rho[k] * dot(s[k], q);
            axpy(-a[k], y[k], q);
        }
        double scale = stored == 0 ? 1.0 : dot(s[stored - 1], y[stored - 1]) / dot(y[stored - 1], y[stored - 1]);
        for (int i = 0; i < n; i++) {
            q[i] *= scale;
        }
        for (int k = 0; k < stored; k++) {
            double b = rho[k] * dot(y[k], q);
            axpy(a[k] - b, s[k], q);
        }
        for (int i = 0; i < n; i++) {
            direction[i] = -q[i];
        }
    }

    private static void axpy(double alpha, double[] x, double[] target) {
        for (int i = 0; i < x.length; i++) {
            target[i] += alpha * x[i];
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
