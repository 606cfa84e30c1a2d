#!/usr/bin/env python3
"""Writes the LogME fixture of io.tl4j.core.selection.LogMeTest.

Re-implements, step for step, the reference LogME of github.com/thuml/LogME (LogME.py,
`LogME._fit_fixed_point`, the class's default `_fit`, with its `truncated_svd` for N > D) in plain
numpy (the reference compiles two helpers with numba; the arithmetic is the same), and scores a few
small deterministic feature matrices. The matrices are float32 values written exactly, so the Java
test reads the same numbers.

Three values per matrix:
- "logme": the fixed-point LogME with the fix of thuml/LogME issue #23 / pull request #24 (agreed by
  the maintainer, not merged): the log-determinant sums over all D eigenvalues of A, the D - k
  missing ones (k = rank <= N) being alpha. This is what tl4j computes.
- "logme_unpatched": the reference as published. Equal to "logme" when k = D (tall, full-rank
  features); when N < D it overstates the evidence by (D - k)/2 * log(alpha) / N.
- "logme_icml": the ICML 2021 algorithm (`LogME._fit_icml`, `each_evidence` on the D x D SVD), which
  handles N < D right: the patched fixed point must agree with it closely.

    python3 tl-core/scripts/make_selection_fixtures.py

writes tl-core/src/test/resources/selection/logme_fixture.json (needs numpy only).
"""
import json
import math
import os

import numpy as np


def truncated_svd(x):
    """The reference's truncated_svd: SVD of x^T x, singular values above 1e-10 kept."""
    u, s, vh = np.linalg.svd(x.transpose() @ x)
    s = np.sqrt(s)
    u_times_sigma = x @ vh.transpose()
    k = np.sum((s > 1e-10) * 1)
    s = s.reshape(-1, 1)
    s = s[:k]
    vh = vh[:k]
    u = u_times_sigma[:, :k] / s.reshape(1, -1)
    return u, s, vh


def logme(f, y, patched=True):
    """The reference's LogME._fit_fixed_point for labels y in [0, C), with or without the #24 fix."""
    f = f.astype(np.float64)
    n, d = f.shape
    if n > d:
        u, s, vh = truncated_svd(f)
    else:
        u, s, vh = np.linalg.svd(f, full_matrices=False)
    s = s.reshape(-1, 1)
    sigma = s ** 2
    evidences = []
    for i in range(int(y.max() + 1)):
        y_ = (y == i).astype(np.float64).reshape(-1, 1)
        x = u.T @ y_
        x2 = x ** 2
        res_x2 = (y_ ** 2).sum() - x2.sum()
        alpha, beta = 1.0, 1.0
        for _ in range(11):
            t = alpha / beta
            gamma = (sigma / (sigma + t)).sum()
            m2 = (sigma * x2 / ((t + sigma) ** 2)).sum()
            res2 = (x2 / ((1 + sigma / t) ** 2)).sum() + res_x2
            alpha = gamma / (m2 + 1e-5)
            beta = (n - gamma) / (res2 + 1e-5)
            t_ = alpha / beta
            if abs(t_ - t) / t <= 1e-3:
                break
        evidence = d / 2.0 * np.log(alpha) \
            + n / 2.0 * np.log(beta) \
            - 0.5 * np.sum(np.log(alpha + beta * sigma)) \
            - (0.5 * (d - sigma.shape[0]) * np.log(alpha) if patched else 0.0) \
            - beta / 2.0 * res2 \
            - alpha / 2.0 * m2 \
            - n / 2.0 * np.log(2 * np.pi)
        evidences.append(evidence / n)
    return float(np.mean(evidences))


def logme_icml(f, y):
    """The reference's LogME._fit_icml with its each_evidence."""
    fh = f.astype(np.float64)
    f = fh.transpose()
    d, n = f.shape
    v, s, vh = np.linalg.svd(f @ fh, full_matrices=True)
    evidences = []
    for i in range(int(y.max() + 1)):
        y_ = (y == i).astype(np.float64)
        epsilon = 1e-5
        alpha = 1.0
        beta = 1.0
        lam = alpha / beta
        tmp = (vh @ (f @ np.ascontiguousarray(y_)))
        for _ in range(11):
            gamma = (s / (s + lam)).sum()
            m = v @ (tmp * beta / (alpha + beta * s))
            alpha_de = (m * m).sum()
            alpha = gamma / (alpha_de + epsilon)
            beta_de = ((y_ - fh @ m) ** 2).sum()
            beta = (n - gamma) / (beta_de + epsilon)
            new_lam = alpha / beta
            if np.abs(new_lam - lam) / lam < 0.01:
                break
            lam = new_lam
        evidence = d / 2.0 * np.log(alpha) \
            + n / 2.0 * np.log(beta) \
            - 0.5 * np.sum(np.log(alpha + beta * s)) \
            - beta / 2.0 * (beta_de + epsilon) \
            - alpha / 2.0 * (alpha_de + epsilon) \
            - n / 2.0 * np.log(2 * np.pi)
        evidences.append(evidence / n)
    return float(np.mean(evidences))


def features(n, d, classes, separation, phase):
    """A deterministic float32 matrix: a smooth pattern per entry plus a shift along the label's axis."""
    y = np.arange(n) % classes
    f = np.zeros((n, d), dtype=np.float64)
    for i in range(n):
        for j in range(d):
            f[i, j] = math.sin(0.7 * i + 1.3 * j + 0.05 * i * j + phase) + 0.5 * math.cos(0.3 * i * j + phase)
        f[i, y[i] % d] += separation
    return f.astype(np.float32), y


CASES = [
    # name, N, D, classes, separation, phase
    ("tall_3_classes", 20, 8, 3, 1.0, 0.0),
    ("wide_2_classes", 12, 30, 2, 0.5, 0.3),
    ("wide_3_classes", 15, 40, 3, 1.5, 0.9),
    ("square_4_classes", 16, 16, 4, 2.0, 1.1),
    ("tall_separable", 40, 5, 4, 3.0, 2.0),
    ("tall_noise_only", 30, 6, 2, 0.0, 0.7),
]


def main():
    out = []
    for name, n, d, classes, separation, phase in CASES:
        f, y = features(n, d, classes, separation, phase)
        out.append({
            "name": name,
            "features": [[float(v) for v in row] for row in f],
            "labels": [int(v) for v in y],
            "classes": classes,
            "logme": logme(f, y),
            "logme_unpatched": logme(f, y, patched=False),
            "logme_icml": logme_icml(f, y),
        })
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "src", "test", "resources", "selection", "logme_fixture.json")
    with open(path, "w") as fh:
        json.dump({"source": "tl-core/scripts/make_selection_fixtures.py, numpy " + np.__version__,
                   "cases": out}, fh, indent=1)
        fh.write("\n")
    for case in out:
        print(case["name"], case["logme"], case["logme_unpatched"], case["logme_icml"])


if __name__ == "__main__":
    main()
