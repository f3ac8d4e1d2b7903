#!/usr/bin/env python3
"""Reference values for the statistics issue #10 added, written to fixtures/stats/:

far-out-sides.json  src/stats/far-out-sides.ts (farOutSidesP): the one-sided p of the matrix-level tail
                    test, P(sum of head far-out counts >= observed) under no change, where each unpaired
                    cell's count is scipy.stats.hypergeom(M=total, n=head, N=farOut) and each paired cell's
                    scipy.stats.binom(farOut, 0.5); the pmfs are convolved with numpy.convolve.
constant-look-level.json  src/compare/adaptive.ts (constantLookLevel): the one-sided level alpha' used at
                    every look such that P(Z_k > c for some look k) = alpha, with corr(Z_j, Z_k) =
                    sqrt(n_j/n_k) (scipy.stats.multivariate_normal.cdf, scipy.optimize.brentq);
                    alpha' = scipy.special.ndtr(-c).
p90.json            the report's p90 per side: numpy.quantile(samples, 0.9) (linear interpolation).

Run from the repository root:  python3 scripts/reference/make_tail_fixtures.py
"""

import json
import math
import pathlib
import sys

import numpy as np
import scipy
from scipy.optimize import brentq
from scipy.special import ndtr
from scipy.stats import binom, hypergeom, multivariate_normal

OUT = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "stats"
rng = np.random.default_rng(20261129)


def write(name, cases):
    doc = {"generator": "scripts/reference/make_tail_fixtures.py", "scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}
    (OUT / f"{name}.json").write_text(json.dumps(doc, indent=1, allow_nan=False) + "\n")
    print(f"{name}.json: {len(cases)} cases", file=sys.stderr)


def stratum_pmf(s):
    k = np.arange(s["farOut"] + 1)
    if s["paired"]:
        return binom.pmf(k, s["farOut"], 0.5)
    return hypergeom.pmf(k, s["total"], s["head"], s["farOut"])


def far_out_sides_p(strata):
    pmf = np.array([1.0])
    observed = 0
    for s in strata:
        if s["farOut"] == 0:
            continue
        observed += s["headFarOut"]
        pmf = np.convolve(pmf, stratum_pmf(s))
    return float(min(1.0, pmf[observed:].sum()))


def far_out_cases():
    cases = []
    fixed = [
        [{"paired": False, "total": 40, "head": 20, "farOut": 3, "headFarOut": 3}],
        [{"paired": True, "farOut": 5, "headFarOut": 4}],
        [{"paired": False, "total": 40, "head": 20, "farOut": 15, "headFarOut": 12}],
        [{"paired": False, "total": 10, "head": 5, "farOut": 0, "headFarOut": 0}],
        [{"paired": False, "total": 30, "head": 10, "farOut": 4, "headFarOut": 0}],
    ]
    for _ in range(25):
        strata = []
        for _ in range(int(rng.integers(1, 9))):
            if rng.random() < 0.3:
                f = int(rng.integers(0, 6))
                strata.append({"paired": True, "farOut": f, "headFarOut": int(rng.integers(0, f + 1))})
            else:
                nb, nh = int(rng.integers(3, 21)), int(rng.integers(3, 21))
                f = int(rng.integers(0, min(6, nb + nh) + 1))
                h = int(rng.integers(max(0, f - nb), min(f, nh) + 1))
                strata.append({"paired": False, "total": nb + nh, "head": nh, "farOut": f, "headFarOut": h})
        fixed.append(strata)
    # 60 cells with a grown tail: a p far in the tail.
    fixed.append([{"paired": False, "total": 40, "head": 20, "farOut": 3, "headFarOut": 3} for _ in range(60)])
    for strata in fixed:
        cases.append({
            "call": "sum(numpy.convolve of scipy.stats.hypergeom.pmf(k, total, head, farOut) / scipy.stats.binom.pmf(k, farOut, 0.5))[observed:]",
            "input": {"strata": strata},
            "output": {"p": far_out_sides_p(strata)},
        })
    return cases


def crossing(looks, c):
    k = len(looks)
    cov = np.array([[math.sqrt(min(looks[i], looks[j]) / max(looks[i], looks[j])) for j in range(k)] for i in range(k)])
    below = multivariate_normal(mean=np.zeros(k), cov=cov, abseps=1e-7, releps=1e-6).cdf(np.full(k, c))
    return 1 - below


def constant_cases():
    cases = []
    for looks, alpha in [([5, 10, 20], 0.05), ([5, 10], 0.05), ([10, 20, 40], 0.05), ([5, 10, 20], 0.1)]:
        c = brentq(lambda x: crossing(looks, x) - alpha, 0.5, 6, xtol=1e-8)
        cases.append({
            "call": f"brentq(lambda c: 1 - multivariate_normal(cov=sqrt(n_j/n_k)).cdf([c]*{len(looks)}) - {alpha}); ndtr(-c) for looks {looks}",
            "input": {"looks": looks, "alpha": alpha},
            "output": {"level": float(ndtr(-c))},
        })
    return cases


def p90_cases():
    cases = []
    for n in [1, 2, 5, 9, 10, 19, 20, 37]:
        values = [float(v) for v in np.round(rng.lognormal(8.5, 0.2, n), 3)]
        cases.append({"call": f"numpy.quantile({values}, 0.9)", "input": {"values": values}, "output": {"p90": float(np.quantile(values, 0.9))}})
    return cases


if __name__ == "__main__":
    write("far-out-sides", far_out_cases())
    write("p90", p90_cases())
    write("constant-look-level", constant_cases())
