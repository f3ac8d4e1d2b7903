#!/usr/bin/env python3
# The most a count test of slow far-out runs can catch of bench:gate's "10% tail at 3x, every cell" row (6 cells x 20
# rounds, 2% outliers at 2-5x on both sides), before multiplicity and early stopping: head's far-out count ~
# Poisson(6*20*(0.1 + 0.9*0.02)), base's ~ Poisson(6*20*0.02); the exact test given their sum f is Binomial(f, 1/2)
# (the conditional test is the uniformly most powerful unbiased test for two Poisson rates; the stratified
# hypergeometric test of src/stats/far-out-sides.ts is close to it). docs/statistics.md, "Tails".
# Run: python3 scripts/reference/tail_power.py
import numpy as np
from scipy.stats import binom, poisson
def tail_power(lh, lb, level):
    tot = 0.0
    for h in range(0, 80):
        for b in range(0, 40):
            f = h + b
            p = binom.sf(h - 1, f, 0.5)  # P(X >= h), X ~ Bin(f, 1/2): head's count given f (paired/large-cell approx.)
            if p <= level: tot += poisson.pmf(h, lh) * poisson.pmf(b, lb)
    return tot
lh = 6 * 20 * (0.1 + 0.9 * 0.02); lb = 6 * 20 * 0.02
for level in (0.018, 0.0123, 0.009, 0.006):
    print(f"tail 6 cells x 20 rounds: head {lh:.1f}, base {lb:.1f} far-out, level {level}: power {tail_power(lh, lb, level):.3f}")
