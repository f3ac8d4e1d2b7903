#!/usr/bin/env python3
"""Reference per-look alphas of the Lan-DeMets O'Brien-Fleming-type spending boundary, for
src/compare/adaptive.ts (lookAlphas, familyLookAlphas), written to fixtures/stats/look-alphas.json.

Run from the repository root:  python3 scripts/reference/make_look_alpha_fixtures.py

Under no change the standardized statistic at look k is Z_k = S(n_k)/sqrt(n_k) for a Brownian motion S,
so corr(Z_j, Z_k) = sqrt(n_j/n_k). alpha is spent by alpha(t) = 2 - 2*Phi(z_{1-alpha/2}/sqrt(t)) of the
information fraction t = n_k/n_K, and look k's critical value c_k solves
P(Z_1 < c_1, ..., Z_{k-1} < c_{k-1}, Z_k >= c_k) = alpha(t_k) - alpha(t_{k-1}),
i.e. P(Z_1 < c_1, ..., Z_k < c_k) = 1 - alpha(t_k), with scipy.stats.multivariate_normal.cdf and
scipy.optimize.brentq. The per-look alpha is P(Z > c_k) = scipy.special.ndtr(-c_k).
"""

import json
import math
import pathlib
import sys

import numpy as np
import scipy
from scipy.optimize import brentq
from scipy.special import ndtr, ndtri
from scipy.stats import multivariate_normal

OUT = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "stats" / "look-alphas.json"


def spending(t, alpha):
    return alpha if t >= 1 else 2 * ndtr(-ndtri(1 - alpha / 2) / math.sqrt(t))


def stay_below(looks, bounds):
    """P(Z_1 < c_1, ..., Z_k < c_k) for the first k = len(bounds) looks."""
    k = len(bounds)
    if k == 1:
        return ndtr(bounds[0])
    cov = np.array([[math.sqrt(min(looks[i], looks[j]) / max(looks[i], looks[j])) for j in range(k)] for i in range(k)])
    return multivariate_normal(mean=np.zeros(k), cov=cov, abseps=1e-14, releps=1e-12, maxpts=10_000_000).cdf(np.array(bounds))


def look_alphas(looks, alpha):
    last = looks[-1]
    bounds = []
    for n in looks:
        target = 1 - spending(n / last, alpha)
        if not bounds:
            bounds.append(-ndtri(1 - target))
            continue
        bounds.append(brentq(lambda c: stay_below(looks, bounds + [c]) - target, 0.0, 12.0, xtol=1e-13))
    return [float(ndtr(-c)) for c in bounds]


def main():
    cases = []
    for looks, alpha in [([5, 10, 20], 0.05), ([10, 20], 0.05), ([5, 10, 15, 20], 0.05), ([5, 10, 20], 0.025),
                         ([5, 10, 20], 0.02 / 6), ([5, 10, 20], 0.019 / 6), ([10, 20, 40], 0.02 / 12)]:
        cases.append({"call": f"look_alphas({looks}, {alpha!r}) in scripts/reference/make_look_alpha_fixtures.py "
                              "(scipy.stats.multivariate_normal.cdf + scipy.optimize.brentq)",
                      "input": {"looks": looks, "alpha": alpha}, "output": {"alphas": look_alphas(looks, alpha)}})
    doc = {"generator": "scripts/reference/make_look_alpha_fixtures.py", "scipy": scipy.__version__,
           "numpy": np.__version__, "cases": cases}
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"{OUT.name}: {len(cases)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
