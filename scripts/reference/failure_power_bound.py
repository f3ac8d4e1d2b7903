#!/usr/bin/env python3
"""An upper bound on the power of ANY test of "head fails more often" on a 6-cell matrix at 20 rounds.

bench:gate's failure-rate rows (issue #10): base failures ~ Bin(120, p_base), head failures ~ Bin(120, p_head).
A test of the composite null "both sides fail at the same rate pi" at level alpha is in particular a level-alpha
test of each simple null "both Bin(120, pi)". Against the simple alternative (p_base, p_head) the most powerful
such test is Neyman-Pearson's (likelihood ratio, randomized to size exactly alpha), so its power, minimised over
pi, bounds the power of every valid test, exact, asymptotic or yet to be invented. docs/statistics.md, "Flaky runs".

The same bound holds for the matrix tail test's counts (docs/statistics.md, "Tails"): in the "10% tail at 3x,
every cell" row a head run is far out (beyond the upper fence) with probability 0.1 + 0.9 * 0.02 = 0.118 and a base
run with 0.02, so no test that sees only how many runs of each side are far out can do better than this bound for
(0.02, 0.118).

Run from the repository root:  python3 scripts/reference/failure_power_bound.py  (a few seconds)
"""

import numpy as np
from scipy.stats import binom

N = 120
x = np.arange(N + 1)


def neyman_pearson_power(p_base, p_head, pi, alpha):
    f0 = np.outer(binom.pmf(x, N, pi), binom.pmf(x, N, pi)).ravel()
    f1 = np.outer(binom.pmf(x, N, p_base), binom.pmf(x, N, p_head)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(f0 > 0, f1 / f0, np.inf)
    order = np.argsort(-ratio, kind="stable")
    size = np.cumsum(f0[order])
    k = int(np.searchsorted(size, alpha, side="right"))
    power = f1[order][:k].sum()
    spent = size[k - 1] if k > 0 else 0.0
    if k < len(order) and f0[order][k] > 0:
        power += f1[order][k] * (alpha - spent) / f0[order][k]
    return float(power)


for p_base, p_head in [(0.02, 0.10), (0.0, 0.05), (0.02, 0.118)]:
    what = "far-out runs" if p_head == 0.118 else "failures"
    for alpha in (0.018, 0.02):
        pis = np.linspace(0.002, 0.25, 1000)
        powers = [neyman_pearson_power(p_base, p_head, pi, alpha) for pi in pis]
        i = int(np.argmin(powers))
        print(f"{what} {p_base:.0%} -> {p_head:.1%}, {N} + {N} runs, level {alpha}: no test exceeds "
              f"{powers[i]:.1%} (the Neyman-Pearson test against the null rate pi = {pis[i]:.4f})")
