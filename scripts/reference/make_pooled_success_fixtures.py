#!/usr/bin/env python3
"""Reference values for the pooled success test's Tarone bound, written to fixtures/stats/smallest-success-p.json.

smallestSuccessP (src/compare/success.ts) is the smallest one-sided Boschloo p-value that a 2x2 table of
failed and completed runs can reach with given margins: base total, head total, and failures in all. It is
the p of the table with as many failures as possible on head. Each case records
  - the scipy call on that extreme table: scipy.stats.boschloo_exact([[base_fail, head_fail],
    [base_ok, head_ok]], alternative='less', n=1024)  (columns are the sides, as in src/stats/boschloo.ts);
  - for small margins, the minimum of the same call over EVERY table with those margins, which must be the
    same number (the extreme table's rejection region is contained in every other table's).

Run from the repository root:  python3 scripts/reference/make_pooled_success_fixtures.py  (about a minute)
"""

import json
import pathlib

import scipy
from scipy.stats import boschloo_exact

OUT = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "stats" / "smallest-success-p.json"


def call(base_fail, head_fail, base_total, head_total):
    table = [[base_fail, head_fail], [base_total - base_fail, head_total - head_fail]]
    text = f"scipy.stats.boschloo_exact({table},alternative='less',n=1024)"
    return text, float(boschloo_exact(table, alternative="less", n=1024).pvalue)


cases = []
# Pooled over a 6-cell matrix (120 runs per side) and a few cell-sized margins.
for base_total, head_total, failures, enumerate_all in [
    (120, 120, 5, False), (120, 120, 6, False), (120, 120, 7, False), (120, 120, 12, False),
    (100, 120, 6, False), (120, 90, 8, False), (20, 20, 3, True), (20, 20, 5, True), (10, 12, 4, True),
    (5, 5, 6, True), (3, 2, 4, True),
]:
    on_head = min(failures, head_total)
    text, p = call(failures - on_head, on_head, base_total, head_total)
    case = {"call": text, "input": {"baseTotal": base_total, "headTotal": head_total, "failures": failures}, "output": {"p": p}}
    if enumerate_all:
        ps = []
        for head_fail in range(max(0, failures - base_total), min(failures, head_total) + 1):
            ps.append(call(failures - head_fail, head_fail, base_total, head_total)[1])
        case["output"]["minOverTables"] = min(ps)
        case["callAll"] = f"min over head failures h of scipy.stats.boschloo_exact([[{failures}-h,h],[{base_total}-({failures}-h),{head_total}-h]],alternative='less',n=1024)"
    cases.append(case)

OUT.write_text(json.dumps({"scipy": scipy.__version__, "cases": cases}, indent=1) + "\n")
print(f"wrote {OUT} ({len(cases)} cases)")
