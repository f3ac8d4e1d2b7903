#!/usr/bin/env python3
# The chance that the Mann-Whitney/Hodges-Lehmann `unchanged` claim is made at SOME look of 5/10/20 when the true
# slowdown is exactly the threshold, for per-look one-sided levels (L5, L10, L20): unpaired cells, no runs set aside.
# Claim at look n <=> the upper bound of the shift is below the threshold <=> the exact Mann-Whitney test of
# "shift >= threshold" rejects at L_n: U = #{(i, j): head_i - thr < base_j} >= crit_n with P0(U >= crit_n) <= L_n.
# At the threshold, head - thr and base are i.i.d., so the chance is distribution-free: any continuous
# distribution gives it (normal here, 400,000 simulated cells; the exact null pmf of U by dynamic programming).
# docs/statistics.md, "Early stopping respects every metric". Run: python3 scripts/reference/unchanged_claim_levels.py
import numpy as np
rng = np.random.default_rng(7)
def mw_upper_tail(n):
    # exact null pmf of U for n + n (no ties)
    # dp over counts: number of arrangements with U = u
    dp = np.zeros((n + 1, n + 1, n * n + 1), dtype=object)
    for i in range(n + 1):
        for j in range(n + 1):
            if i == 0 or j == 0:
                dp[i, j, 0] = 1
                continue
            # last element from x (adds j to U) or from y
            a = np.zeros(n * n + 1, dtype=object)
            a[j:] += dp[i - 1, j, : n * n + 1 - j]
            a += dp[i, j - 1]
            dp[i, j] = a
    counts = dp[n, n].astype(float)
    pmf = counts / counts.sum()
    return np.cumsum(pmf[::-1])[::-1]  # P(U >= u)
tails = {n: mw_upper_tail(n) for n in (5, 10, 20)}
def crit(n, level):
    t = tails[n]
    ok = np.nonzero(t <= level)[0]
    return ok[0] if len(ok) else 10**9
S = 400_000
base = rng.standard_normal((S, 20)); head = rng.standard_normal((S, 20))
U = {}
for n in (5, 10, 20):
    U[n] = (head[:, None, :n] < base[:, :n, None]).sum(axis=(1, 2))  # head below base count: evidence head not slower
def total(L):
    hit = np.zeros(S, bool)
    for n, l in zip((5, 10, 20), L):
        hit |= U[n] >= crit(n, l)
    return hit.mean()
print('attained single-look levels', {n: [float(tails[n][crit(n, l)]) for l in (0.0218, 0.0278, 0.035, 0.05)] for n in (5, 10, 20)})
for L in [(0.0218,)*3, (0.05,)*3, (0.0278, 0.0278, 0.0218), (0.0278, 0.0278, 0.018), (0.0278, 0.0278, 0.015), (0.0278, 0.03, 0.015), (0.0278, 0.035, 0.01), (0.0278, 0.025, 0.02), (0.0278, 0.0218, 0.0218), (0.0278, 0.0218, 0.025)]:
    print(L, round(total(L), 4))
