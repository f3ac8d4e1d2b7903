#!/usr/bin/env python3
"""Power of one cell's latency test with and without setting far-out runs aside (docs/statistics.md,
"Far-out runs"). numpy + scipy, about 30 s:  python3 scripts/reference/far_out_power.py

One cell, 20 + 20 runs, log-normal latencies with CV 10%, 2% of runs slowed 2-5x, head slowed +10%. Each
test's statistic is standardized by its exact permutation mean and variance, and its critical value is the
simulated (1 - level) quantile under no change, so every test is compared at exactly the same size.
"""

import numpy as np
from scipy import stats

RNG = np.random.default_rng(20261124)
N, M = 20, 200_000
SIGMA = np.sqrt(np.log(1 + 0.1**2))
LEVELS = (0.003, 0.0034)


def draw(shift, outliers=0.02, head_outliers=None):
    head_outliers = outliers if head_outliers is None else head_outliers
    base = RNG.normal(0, SIGMA, (M, N))
    head = RNG.normal(0, SIGMA, (M, N))
    base += (RNG.random((M, N)) < outliers) * np.log(2 + 3 * RNG.random((M, N)))
    head += (RNG.random((M, N)) < head_outliers) * np.log(2 + 3 * RNG.random((M, N)))
    return np.concatenate([base, head + np.log(1 + shift)], axis=1)


def standardized(scores, keep):
    """(S - E S)/sd S for S = sum of head scores over the kept values, under every relabelling."""
    total = keep.sum(1)
    heads = keep[:, N:].sum(1)
    a = np.where(keep, scores, 0.0)
    mean = a.sum(1) / total
    var = np.where(keep, (a - mean[:, None]) ** 2, 0).sum(1) * heads * (total - heads) / (total * (total - 1))
    return (a[:, N:].sum(1) - heads * mean) / np.sqrt(var)


def kept(x, fence, share=0.1):
    if not fence:
        return np.ones_like(x, bool)
    q1, q3 = np.quantile(x, [0.25, 0.75], axis=1)
    iqr = q3 - q1
    keep = (x <= (q3 + 3 * iqr)[:, None]) & (x >= (q1 - 3 * iqr)[:, None])
    too_many = (~keep).sum(1) > np.ceil(share * x.shape[1])
    keep[too_many] = True
    return keep


def mann_whitney(x, fence):
    keep = kept(x, fence)
    return standardized(stats.rankdata(np.where(keep, x, np.inf), axis=1), keep)


def t_test(x, fence):
    keep = kept(x, fence)
    return standardized(x, keep)


def power(test, fence, alternative, null):
    s0, s1 = test(null, fence), test(alternative, fence)
    return [f"{100 * (s1 > np.quantile(s0, 1 - level)).mean():.1f}%" for level in LEVELS]


def main():
    null, slowed, clean_null, clean = draw(0), draw(0.1), draw(0, 0), draw(0.1, 0)
    tail_null, tail = draw(0), draw(0, 0.02, 0.15)
    print("one-sided level:", LEVELS)
    print("Mann-Whitney, 2% of runs 2-5x          ", power(mann_whitney, False, slowed, null))
    print("Mann-Whitney, far-out runs set aside   ", power(mann_whitney, True, slowed, null))
    print("Mann-Whitney, no outliers              ", power(mann_whitney, False, clean, clean_null))
    print("t-test, far-out runs set aside         ", power(t_test, True, slowed, null))
    print("15% of head runs 3x slower, Mann-Whitney", power(mann_whitney, False, tail, tail_null))
    print("  the same, far-out runs set aside      ", power(mann_whitney, True, tail, tail_null))


if __name__ == "__main__":
    main()
