package io.tl4j.core.selection;

/**
 * Decomposes a real symmetric matrix into eigenvalues and orthonormal eigenvectors: Householder
 * reduction to tridiagonal form, then the implicit QL algorithm (the EISPACK routines tred2 and
 * tql2, as in JAMA, which is in the public domain).
 */
final class SymmetricEigen {

    private final int n;
    private final double[] d;
    private final double[] e;
    private final double[][] v;

    private SymmetricEigen(double[][] matrix) {
        n = matrix.length;
        d = new double[n];
        e = new double[n];
        v = new double[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("Row " + i + " has " + matrix[i].length + " values, expected " + n);
            }
            v[i] = matrix[i].clone();
        }
        if (n > 0) {
            tridiagonalize();
            diagonalize();
        }
    }

    /**
     * Decomposes a symmetric matrix (only its lower triangle is read).
     *
     * @param matrix a square symmetric matrix, not modified
     * @return the decomposition
     */
    static SymmetricEigen of(double[][] matrix) {
        return new SymmetricEigen(matrix);
    }

    /**
     * Returns the eigenvalues in ascending order.
     *
     * @return a copy of the eigenvalues
     */
    double[] values() {
        return d.clone();
    }

    /**
     * Returns the eigenvector of eigenvalue {@code j} (column {@code j} of the eigenvector matrix).
     *
     * @param j the index into {@link #values()}
     * @return a new unit vector
     */
    double[] vector(int j) {
        double[] column = new double[n];
        for (int i = 0; i < n; i++) {
            column[i] = v[i][j];
        }
        return column;
    }

    /** Householder reduction to tridiagonal form (tred2). */
    private void tridiagonalize() {
        System.arraycopy(v[n - 1], 0, d, 0, n);
        for (int i = n - 1; i > 0; i--) {
            double scale = 0.0;
            double h = 0.0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            if (scale == 0.0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0.0;
                    v[j][i] = 0.0;
                }
            } else {
                h = householder(i, scale);
            }
            d[i] = h;
        }
        accumulate();
    }

    /** One Householder step of {@link #tridiagonalize()} on row {@code i}; returns its h. */
    private double householder(int i, double scale) {
        double h = 0.0;
        for (int k = 0; k < i; k++) {
            d[k] /= scale;
            h += d[k] * d[k];
        }
        double f = d[i - 1];
        double g = Math.sqrt(h);
        if (f > 0) {
            g = -g;
        }
        e[i] = scale * g;
        h -= f * g;
        d[i - 1] = f - g;
        for (int j = 0; j < i; j++) {
            e[j] = 0.0;
        }
        for (int j = 0; j < i; j++) {
            f = d[j];
            v[j][i] = f;
            g = e[j] + v[j][j] * f;
            for (int k = j + 1; k <= i - 1; k++) {
                g += v[k][j] * d[k];
                e[k] += v[k][j] * f;
            }
            e[j] = g;
        }
        f = 0.0;
        for (int j = 0; j < i; j++) {
            e[j] /= h;
            f += e[j] * d[j];
        }
        double hh = f / (h + h);
        for (int j = 0; j < i; j++) {
            e[j] -= hh * d[j];
        }
        for (int j = 0; j < i; j++) {
            f = d[j];
            g = e[j];
            for (int k = j; k <= i - 1; k++) {
                v[k][j] -= f * e[k] + g * d[k];
            }
            d[j] = v[i - 1][j];
            v[i][j] = 0.0;
        }
        return h;
    }

    /** Accumulates the Householder transformations into {@code v}. */
    private void accumulate() {
        for (int i = 0; i < n - 1; i++) {
            v[n - 1][i] = v[i][i];
            v[i][i] = 1.0;
            double h = d[i + 1];
            if (h != 0.0) {
                for (int k = 0; k <= i; k++) {
                    d[k] = v[k][i + 1] / h;
                }
                for (int j = 0; j <= i; j++) {
                    double g = 0.0;
                    for (int k = 0; k <= i; k++) {
                        g += v[k][i + 1] * v[k][j];
                    }
                    for (int k = 0; k <= i; k++) {
                        v[k][j] -= g * d[k];
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                v[k][i + 1] = 0.0;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0.0;
        }
        v[n - 1][n - 1] = 1.0;
        e[0] = 0.0;
    }

    /** Implicit QL iterations on the tridiagonal matrix (tql2), then an ascending sort. */
    private void diagonalize() {
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0.0;
        double f = 0.0;
        double tst1 = 0.0;
        double eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n && Math.abs(e[m]) > eps * tst1) {
                m++;
            }
            if (m > l) {
                do {
                    f += shift(l, m);
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0.0;
        }
        sort();
    }

    /** One implicit QL step on rows {@code l..m}; returns the shift it applied. */
    private double shift(int l, int m) {
        double g = d[l];
        double p = (d[l + 1] - g) / (2.0 * e[l]);
        double r = Math.hypot(p, 1.0);
        if (p < 0) {
            r = -r;
        }
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        double dl1 = d[l + 1];
        double h = g - d[l];
        for (int i = l + 2; i < n; i++) {
            d[i] -= h;
        }
        p = d[m];
        double c = 1.0;
        double c2 = c;
        double c3 = c;
        double el1 = e[l + 1];
        double s = 0.0;
        double s2 = 0.0;
        for (int i = m - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            double hp = c * p;
            r = Math.hypot(p, e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = hp + s * (c * g + s * d[i]);
            for (int k = 0; k < n; k++) {
                double vk = v[k][i + 1];
                v[k][i + 1] = s * v[k][i] + c * vk;
                v[k][i] = c * v[k][i] - s * vk;
            }
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
        return h;
    }

    /** Sorts the eigenvalues ascending, with their vectors. */
    private void sort() {
        for (int i = 0; i < n - 1; i++) {
            int k = i;
            double p = d[i];
            for (int j = i + 1; j < n; j++) {
                if (d[j] < p) {
                    k = j;
                    p = d[j];
                }
            }
            if (k != i) {
                d[k] = d[i];
                d[i] = p;
                for (int j = 0; j < n; j++) {
                    double t = v[j][i];
                    v[j][i] = v[j][k];
                    v[j][k] = t;
                }
            }
        }
    }
}
