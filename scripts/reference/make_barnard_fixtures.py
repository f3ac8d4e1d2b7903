#!/usr/bin/env python3
"""Reference values for src/stats/barnard.ts, written to fixtures/stats/barnard.json.

barnard(a, b, c, d, alternative) is Barnard's exact unconditional test with the pooled-variance Wald statistic,
scipy.stats.barnard_exact(table, alternative, pooled=True). Every case records the scipy call that produced it;
n=1024 Sobol points for shgo, so that the maximum over the nuisance parameter is found precisely (scipy's default
is 32). The tables: small ones of every shape, a fixed-seed random set, and the pooled matrix margins that the
gate meets (120 runs per side: six cells of 20 rounds; 600 per side), including the extreme tables that decide the
pooled success test's Tarone check (0 base failures against k on head).

Run from the repository root:  python3 scripts/reference/make_barnard_fixtures.py  (a few minutes)
"""

import json
import pathlib

import numpy as np
import scipy
from scipy.stats import barnard_exact

OUT = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "stats" / "barnard.json"
rng = np.random.default_rng(20261130)

tables = [
    [0, 1, 1, 0], [1, 0, 0, 1], [2, 0, 0, 2], [3, 1, 1, 3], [0, 0, 5, 5], [5, 5, 0, 0], [7, 12, 8, 3],
    [0, 3, 10, 7], [2, 9, 38, 31], [0, 2, 20, 18], [4, 4, 16, 16], [1, 3, 2, 0], [0, 5, 1, 0], [9, 2, 1, 8],
]
for _ in range(16):
    n1, n2 = (int(v) for v in rng.integers(1, 25, 2))
    a = int(rng.integers(0, n1 + 1))
    b = int(rng.integers(0, n2 + 1))
    tables.append([a, b, n1 - a, n2 - b])
# Pooled margins (failures in row 0, base the first column): the extreme tables and a few ordinary ones.
pooled = [[0, k, 120, 120 - k] for k in (3, 4, 5, 6, 7)] + [[2, 12, 118, 108], [3, 9, 117, 111], [1, 8, 119, 112],
                                                            [0, 5, 100, 115], [12, 30, 588, 570]]

cases = []
for a, b, c, d in tables + pooled:
    alternatives = ("greater", "less", "two-sided") if [a, b, c, d] in tables else ("less",)
    for alternative in alternatives:
        res = barnard_exact([[a, b], [c, d]], alternative=alternative, pooled=True, n=1024)
        cases.append({"call": f"scipy.stats.barnard_exact([[{a},{b}],[{c},{d}]],alternative='{alternative}',pooled=True,n=1024)",
                      "input": {"a": a, "b": b, "c": c, "d": d, "alternative": alternative},
                      "output": {"p": float(res.pvalue), "statistic": float(res.statistic)}})

OUT.write_text(json.dumps({"generator": "scripts/reference/make_barnard_fixtures.py", "scipy": scipy.__version__, "cases": cases}, indent=1) + "\n")
print(f"wrote {OUT} ({len(cases)} cases)")
