#!/usr/bin/env python3
"""Reference values for src/stats, computed with scipy, written to fixtures/stats/<name>.json.

Run from the repository root:  python3 scripts/reference/make_stats_fixtures.py
Every case records the exact call that produced its expected output ("call"), its inputs and the
outputs. Where scipy has no public function for a quantity (the exact permutation distribution of
W+ with ties for n > 13, the rank of the Hodges-Lehmann bounds) the case names the scipy internals
or the brute-force enumeration below that computed it. The data come from a fixed numpy seed.
"""

import itertools
import json
import math
import pathlib
import sys

import numpy as np
import scipy
import scipy.stats as st
from scipy.special import ndtr, ndtri
from scipy.stats._mannwhitneyu import _MWU
from scipy.stats._wilcoxon import WilcoxonDistribution

OUT = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "stats"
rng = np.random.default_rng(20261124)
ALTERNATIVES = ("greater", "less", "two-sided")


def floats(values):
    return [float(v) for v in values]


def lst(values):
    return "[" + ",".join(repr(float(v)) for v in values) + "]"


def write(name, cases):
    OUT.mkdir(parents=True, exist_ok=True)
    doc = {
        "generator": "scripts/reference/make_stats_fixtures.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }
    (OUT / f"{name}.json").write_text(json.dumps(doc, indent=1, allow_nan=False) + "\n")
    count = sum(map(len, cases.values())) if isinstance(cases, dict) else len(cases)
    print(f"{name}.json: {count} cases", file=sys.stderr)


def normal_cases():
    cases = []
    for z in [0.0, 0.1, -0.7, 1.0, 1.959963984540054, 2.5, 2.99, 3.0, 3.01, -3.5, 5.0, -8.0, 10.0,
              -12.5, 20.0, 30.0, -37.5]:
        cases.append({"call": f"scipy.special.ndtr({z!r}); scipy.special.ndtr({-z!r})",
                      "input": {"z": z}, "output": {"cdf": float(ndtr(z)), "sf": float(ndtr(-z))}})
    for z in rng.normal(0, 3, 40):
        z = float(z)
        cases.append({"call": f"scipy.special.ndtr({z!r}); scipy.special.ndtr({-z!r})",
                      "input": {"z": z}, "output": {"cdf": float(ndtr(z)), "sf": float(ndtr(-z))}})
    quantiles = []
    for p in [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.02, 0.02425, 0.025, 0.05, 0.1, 0.3, 0.5,
              0.6, 0.9, 0.95, 0.975, 0.99, 0.999999, 1 - 1e-12]:
        quantiles.append({"call": f"scipy.special.ndtri({p!r})", "input": {"p": p},
                          "output": {"quantile": float(ndtri(p))}})
    for p in rng.uniform(0, 1, 30):
        p = float(p)
        quantiles.append({"call": f"scipy.special.ndtri({p!r})", "input": {"p": p},
                          "output": {"quantile": float(ndtri(p))}})
    write("normal", {"tails": cases, "quantiles": quantiles})


def mann_whitney_cases():
    cases = []

    def add(x, y, alternative, method_arg, expected_method):
        res = st.mannwhitneyu(x, y, alternative=alternative, method=expected_method)
        call = (f"scipy.stats.mannwhitneyu({lst(x)},{lst(y)},alternative='{alternative}',"
                f"method='{expected_method}')")
        cases.append({"call": call,
                      "input": {"x": floats(x), "y": floats(y), "alternative": alternative,
                                "method": method_arg},
                      "output": {"statistic": float(res.statistic), "p": float(res.pvalue),
                                 "method": expected_method}})

    # no ties, small enough for the exact distribution ('auto' picks exact when n1*n2 <= 2500)
    for n1, n2, shift in [(1, 1, 0), (1, 5, 0.5), (3, 4, 1), (5, 5, 0), (8, 8, 1.5), (10, 12, 1),
                          (20, 25, 0.8), (50, 50, 0.3), (2, 40, 1)]:
        x = rng.normal(shift, 1, n1)
        y = rng.normal(0, 1, n2)
        for alternative in ALTERNATIVES:
            add(x, y, alternative, "auto", "exact")
    # no ties but too large for exact under 'auto'
    x, y = rng.normal(0.4, 1, 60), rng.normal(0, 1, 70)
    for alternative in ALTERNATIVES:
        add(x, y, alternative, "auto", "asymptotic")
    # ties: asymptotic with tie correction
    for n1, n2, shift in [(5, 7, 1), (20, 30, 0.5), (60, 70, 0.2), (3, 3, 0)]:
        x = np.round(rng.normal(shift, 1, n1))
        y = np.round(rng.normal(0, 1, n2))
        for alternative in ALTERNATIVES:
            add(x, y, alternative, "auto", "asymptotic")
    # forced methods
    x, y = rng.normal(1, 1, 6), rng.normal(0, 1, 9)
    for alternative in ALTERNATIVES:
        add(x, y, alternative, "asymptotic", "asymptotic")
    x, y = rng.normal(0.5, 1, 30), rng.normal(0, 1, 100)
    for alternative in ALTERNATIVES:
        add(x, y, alternative, "exact", "exact")
    # forced exact with ties: scipy ignores the ties and truncates U
    x, y = np.round(rng.normal(1, 1, 5)), np.round(rng.normal(0, 1, 6))
    for alternative in ALTERNATIVES:
        add(x, y, alternative, "exact", "exact")
    # complete separation, all equal
    for alternative in ALTERNATIVES:
        add([5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0], alternative, "auto", "exact")
        add([2.0, 2.0, 2.0], [2.0, 2.0], alternative, "auto", "asymptotic")
    write("mann-whitney", cases)


def w_plus(d):
    d = np.asarray(d, dtype=float)
    nz = d[d != 0]
    ranks = st.rankdata(np.abs(nz))
    return float(ranks[nz > 0].sum())


def brute_force_signed_rank(d, alternative):
    """Exact permutation p-value of W+ (zeros dropped, mid-ranks) over all 2^n sign flips."""
    d = np.asarray(d, dtype=float)
    nz = d[d != 0]
    ranks = st.rankdata(np.abs(nz))
    observed = ranks[nz > 0].sum()
    signs = np.array(list(itertools.product((0, 1), repeat=len(nz))), dtype=float)
    null = signs @ ranks
    greater = np.mean(null >= observed - 1e-9)
    less = np.mean(null <= observed + 1e-9)
    if alternative == "greater":
        return float(greater)
    if alternative == "less":
        return float(less)
    return float(min(1.0, 2 * min(greater, less)))


def wilcoxon_cases():
    cases = []

    def add(d, alternative, method_arg, expected_method, how):
        d = np.asarray(d, dtype=float)
        n = int(np.count_nonzero(d))
        statistic = float(st.wilcoxon(d, alternative="greater", zero_method="wilcox",
                                      method="asymptotic").statistic) if n > 0 else 0.0
        stat_call = (f"W+ = scipy.stats.wilcoxon({lst(d)},alternative='greater',"
                     f"zero_method='wilcox',method='asymptotic').statistic")
        if how == "brute":
            p = brute_force_signed_rank(d, alternative)
            call = f"brute_force_signed_rank({lst(d)},'{alternative}')  # all 2^n sign flips, numpy"
        elif how == "permutation":
            p = float(st.wilcoxon(d, alternative=alternative, zero_method="wilcox",
                                  method=st.PermutationMethod()).pvalue)
            call = (f"scipy.stats.wilcoxon({lst(d)},alternative='{alternative}',zero_method='wilcox',"
                    f"method=scipy.stats.PermutationMethod())  # exhaustive: 2^n <= 9999")
        else:
            kwargs = {"correction": True} if how == "asymptotic" else {}
            p = float(st.wilcoxon(d, alternative=alternative, zero_method="wilcox", method=how,
                                  **kwargs).pvalue)
            extra = ",correction=True" if how == "asymptotic" else ""
            call = (f"scipy.stats.wilcoxon({lst(d)},alternative='{alternative}',zero_method='wilcox',"
                    f"method='{how}'{extra})")
        cases.append({"call": call, "statistic_call": stat_call,
                      "input": {"d": floats(d), "alternative": alternative, "method": method_arg},
                      "output": {"statistic": statistic, "p": p, "method": expected_method, "n": n}})

    # no ties, no zeros: the classic exact distribution
    for n, shift in [(1, 0.5), (2, 0), (5, 0.5), (10, 0.3), (20, 0.5), (50, 0.2), (80, 0.1), (100, 0.05)]:
        d = rng.normal(shift, 1, n)
        for alternative in ALTERNATIVES:
            add(d, alternative, "auto", "exact", "exact")
    # all positive: smallest possible p
    for alternative in ALTERNATIVES:
        add(np.arange(1, 13) / 10, alternative, "auto", "exact", "exact")
    # beyond the exact limit of 'auto'
    d = rng.normal(0.15, 1, 150)
    for alternative in ALTERNATIVES:
        add(d, alternative, "auto", "asymptotic", "asymptotic")
    # ties and zeros, n <= 13: scipy's exhaustive permutation test
    for n, shift in [(4, 0.5), (8, 0.5), (10, 0.3), (13, 0.8)]:
        d = np.round(rng.normal(shift, 1.5, n))
        for alternative in ALTERNATIVES:
            add(d, alternative, "auto", "exact", "permutation")
    # ties and zeros, 14 <= n <= 16: brute-force enumeration
    for n, shift in [(14, 0.5), (16, 0.3)]:
        d = np.round(rng.normal(shift, 2, n))
        for alternative in ALTERNATIVES:
            add(d, alternative, "auto", "exact", "brute")
    # all |d| equal, mixed signs
    for alternative in ALTERNATIVES:
        add([1.0, -1.0, 1.0, 1.0, -1.0, 1.0], alternative, "auto", "exact", "permutation")
    # forced asymptotic with ties and zeros
    for n, shift in [(6, 0.5), (30, 0.3), (200, 0.1)]:
        d = np.round(rng.normal(shift, 2, n))
        for alternative in ALTERNATIVES:
            add(d, alternative, "asymptotic", "asymptotic", "asymptotic")
    write("wilcoxon", cases)


def bound_rank_exact(cdf, half_count, alpha):
    """Largest k with P(T <= k-1) <= alpha/2, capped at ceil(N/2)."""
    k = 0
    while k < half_count and cdf(k) <= alpha / 2 * (1 + 1e-12):
        k += 1
    return k


def bound_rank_normal(mean, sd, z, count):
    return max(0, min(math.ceil(count / 2), math.floor(mean + 0.5 - z * sd)))


def hodges_lehmann_cases():
    shift_cases = []
    for n1, n2, delta, confidence, rounded in [(1, 1, 0, 0.9, False), (2, 2, 0.5, 0.9, False),
                                               (3, 3, 0.5, 0.9, False), (4, 5, 1, 0.9, False),
                                               (6, 8, 0.3, 0.9, False), (10, 10, 0.5, 0.95, False),
                                               (20, 30, 0.2, 0.9, True), (50, 50, 0.1, 0.9, False),
                                               (60, 70, 0.2, 0.9, False), (5, 600, 0.1, 0.8, False)]:
        x = rng.normal(0, 1, n1)
        y = rng.normal(delta, 1, n2)
        if rounded:
            x, y = np.round(x * 2) / 2, np.round(y * 2) / 2
        diffs = np.sort(np.subtract.outer(y, x).ravel())
        count = n1 * n2
        alpha = 1 - confidence
        if count <= 2500:
            dist = _MWU(n1, n2)
            k = bound_rank_exact(lambda t: float(dist.cdf(np.asarray([t]))[0]), math.ceil(count / 2), alpha)
            how = f"k from scipy.stats._mannwhitneyu._MWU({n1},{n2}).cdf"
            method = "exact"
        else:
            z = float(st.norm.ppf(1 - alpha / 2))
            k = bound_rank_normal(count / 2, math.sqrt(count * (n1 + n2 + 1) / 12), z, count)
            how = "k = floor(mn/2 + 0.5 - scipy.stats.norm.ppf(1-alpha/2)*sqrt(mn(m+n+1)/12))"
            method = "asymptotic"
        low = float(diffs[k - 1]) if k > 0 else None
        high = float(diffs[count - k]) if k > 0 else None
        shift_cases.append({
            "call": f"numpy.median(numpy.subtract.outer({lst(y)},{lst(x)})); {how}; bounds sorted[k-1], sorted[N-k]",
            "input": {"x": floats(x), "y": floats(y), "confidence": confidence},
            "output": {"estimate": float(np.median(diffs)), "low": low, "high": high, "k": k, "method": method}})
    paired_cases = []
    for n, delta, confidence, rounded in [(1, 0, 0.9, False), (2, 0.3, 0.9, False), (5, 0.3, 0.9, False),
                                          (6, 0.3, 0.9, True), (10, 0.5, 0.95, False), (20, 0.2, 0.9, False),
                                          (40, 0.1, 0.9, True), (100, 0.1, 0.9, False),
                                          (120, 0.1, 0.9, False)]:
        d = rng.normal(delta, 1, n)
        if rounded:
            d = np.round(d * 2) / 2
        walsh = np.sort(np.array([(d[i] + d[j]) / 2 for i in range(n) for j in range(i, n)]))
        count = n * (n + 1) // 2
        alpha = 1 - confidence
        if n <= 100:
            dist = WilcoxonDistribution(n)
            k = bound_rank_exact(lambda t: float(dist.cdf(t)), math.ceil(count / 2), alpha)
            how = f"k from scipy.stats._wilcoxon.WilcoxonDistribution({n}).cdf"
            method = "exact"
        else:
            z = float(st.norm.ppf(1 - alpha / 2))
            k = bound_rank_normal(count / 2, math.sqrt(n * (n + 1) * (2 * n + 1) / 24), z, count)
            how = "k = floor(n(n+1)/4 + 0.5 - scipy.stats.norm.ppf(1-alpha/2)*sqrt(n(n+1)(2n+1)/24))"
            method = "asymptotic"
        low = float(walsh[k - 1]) if k > 0 else None
        high = float(walsh[count - k]) if k > 0 else None
        paired_cases.append({
            "call": f"numpy.median(walsh_averages({lst(d)})); {how}; bounds sorted[k-1], sorted[N-k]",
            "input": {"d": floats(d), "confidence": confidence},
            "output": {"estimate": float(np.median(walsh)), "low": low, "high": high, "k": k, "method": method}})
    write("hodges-lehmann", {"shift": shift_cases, "paired": paired_cases})


def random_tables(count, largest):
    out = []
    for _ in range(count):
        n1, n2 = int(rng.integers(1, largest)), int(rng.integers(1, largest))
        p1, p2 = rng.uniform(0, 1, 2)
        a = int(rng.binomial(n1, p1))
        b = int(rng.binomial(n2, p2))
        out.append([a, b, n1 - a, n2 - b])
    return out


def tables():
    fixed = [[1, 0, 0, 1], [0, 0, 3, 4], [3, 3, 3, 3], [5, 0, 0, 5], [0, 5, 5, 0], [2, 7, 8, 2],
             [10, 10, 10, 10], [1, 9, 11, 3], [0, 10, 1, 9], [20, 1, 2, 25], [7, 13, 15, 5]]
    return fixed + random_tables(12, 25)


def fisher_cases():
    cases = []
    for a, b, c, d in tables() + random_tables(40, 80) + [[120, 80, 95, 110], [400, 10, 380, 30]]:
        for alternative in ALTERNATIVES:
            res = st.fisher_exact([[a, b], [c, d]], alternative=alternative)
            cases.append({"call": f"scipy.stats.fisher_exact([[{a},{b}],[{c},{d}]],alternative='{alternative}')",
                          "input": {"a": a, "b": b, "c": c, "d": d, "alternative": alternative},
                          "output": {"p": float(res.pvalue)}})
    write("fisher", cases)


def boschloo_cases():
    cases = []
    for a, b, c, d in tables() + random_tables(15, 45) + [[0, 3, 10, 7], [2, 9, 38, 31], [0, 2, 20, 18]]:
        if a + c == 0 or b + d == 0:
            continue
        for alternative in ALTERNATIVES:
            res = st.boschloo_exact([[a, b], [c, d]], alternative=alternative, n=1024)
            cases.append({"call": f"scipy.stats.boschloo_exact([[{a},{b}],[{c},{d}]],alternative='{alternative}',n=1024)",
                          "input": {"a": a, "b": b, "c": c, "d": d, "alternative": alternative},
                          "output": {"p": float(res.pvalue), "statistic": float(res.statistic)}})
    write("boschloo", cases)


def wilson_cases():
    cases = []
    for k, n, confidence in [(0, 1, 0.95), (1, 1, 0.95), (0, 10, 0.9), (10, 10, 0.9), (3, 10, 0.95),
                             (5, 10, 0.9), (1, 40, 0.95), (39, 40, 0.9), (17, 20, 0.99), (500, 1000, 0.95),
                             (2, 3, 0.5)]:
        ci = st.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
        cases.append({"call": f"scipy.stats.binomtest({k},{n}).proportion_ci(confidence_level={confidence!r},method='wilson')",
                      "input": {"successes": k, "n": n, "confidence": confidence},
                      "output": {"low": float(ci.low), "high": float(ci.high)}})
    write("wilson", cases)


def bh_cases():
    cases = []
    vectors = [[0.5], [0.01, 0.02, 0.03, 0.04, 0.05], [0.04, 0.04, 0.04, 1.0], [1.0, 1.0],
               [0.5, 0.6, 0.1, 0.001], list(rng.uniform(0, 1, 30)), list(rng.uniform(0, 0.05, 12)),
               list(np.round(rng.uniform(0, 0.2, 20), 2))]
    for p in vectors:
        q = st.false_discovery_control(p, method="bh")
        cases.append({"call": f"scipy.stats.false_discovery_control({lst(p)},method='bh')",
                      "input": {"p": floats(p)}, "output": {"q": floats(q)}})
    write("benjamini-hochberg", cases)


def far_out_cases():
    cases = []
    samples = [list(rng.normal(0, 1, 8)), list(rng.normal(0, 1, 9)), list(rng.normal(0, 0.1, 40)),
               list(np.round(rng.normal(0, 1, 20), 1)), [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0],
               list(np.log(np.concatenate([rng.lognormal(8, 0.1, 38), [3 * 3000.0, 5 * 3000.0]])))]
    for x in samples:
        q1, q3 = np.quantile(x, [0.25, 0.75])
        cases.append({"call": f"numpy.quantile({lst(x)},[0.25,0.75]); fences q1-3*(q3-q1), q3+3*(q3-q1)",
                      "input": {"values": floats(x)},
                      "output": {"q1": float(q1), "q3": float(q3), "low": float(q1 - 3 * (q3 - q1)),
                                 "high": float(q3 + 3 * (q3 - q1))}})
    for x, p in [([3.0], 0.5), ([1.0, 2.0], 0.3), (list(rng.uniform(0, 10, 7)), 0.9), (list(rng.uniform(0, 10, 11)), 0.01)]:
        cases.append({"call": f"numpy.quantile({lst(x)},{p!r})", "input": {"values": floats(x), "p": p},
                      "output": {"quantile": float(np.quantile(x, p))}})
    write("far-out", cases)


if __name__ == "__main__":
    normal_cases()
    mann_whitney_cases()
    wilcoxon_cases()
    hodges_lehmann_cases()
    fisher_cases()
    boschloo_cases()
    wilson_cases()
    bh_cases()
    far_out_cases()
