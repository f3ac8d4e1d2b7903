"""Reference values for a span path present on one side only (absent = 0 ms), computed by scipy/numpy.

Writes fixtures/stats/span-presence.json, read by src/compare/spans.test.ts. Run: python3 scripts/reference/make_span_presence_fixture.py
"""
import json
from pathlib import Path

import numpy as np
from scipy import stats

# Per-run time of head's new operation (ms), within the 134-346 ms range the issue reports; base never has it.
head = [134.0, 210.0, 346.0, 180.0, 150.0, 290.0, 141.0, 200.0, 260.0, 170.0]
base = [0.0] * len(head)

# Unpaired: Mann-Whitney U, head greater; base is all ties, so the normal approximation with tie and
# continuity correction (what src/stats/mann-whitney.ts uses when there are ties).
mw = stats.mannwhitneyu(head, base, alternative="greater", method="asymptotic", use_continuity=True)
mw_less = stats.mannwhitneyu(head, base, alternative="less", method="asymptotic", use_continuity=True)
# Hodges-Lehmann shift head - base: median of all pairwise differences.
unpaired_shift = float(np.median([h - b for h in head for b in base]))

# Paired by round: Wilcoxon signed-rank on head - base, exact (no ties, no zeros among the differences).
d = [h - b for h, b in zip(head, base)]
wx = stats.wilcoxon(d, alternative="greater", method="exact")
walsh = [(d[i] + d[j]) / 2 for i in range(len(d)) for j in range(i, len(d))]
paired_shift = float(np.median(walsh))

out = {
    "scipy": __import__("scipy").__version__,
    "calls": [
        "stats.mannwhitneyu(head, base, alternative='greater', method='asymptotic', use_continuity=True)",
        "stats.wilcoxon(head - base, alternative='greater', method='exact')",
        "np.median(pairwise differences) / np.median(Walsh averages)",
    ],
    "head": head,
    "base": base,
    "unpaired": {"p": float(mw.pvalue), "pFaster": float(mw_less.pvalue), "shiftMs": unpaired_shift, "medianHeadMs": float(np.median(head))},
    "paired": {"p": float(wx.pvalue), "shiftMs": paired_shift},
}
Path(__file__).resolve().parents[2].joinpath("fixtures/stats/span-presence.json").write_text(json.dumps(out, indent=2) + "\n")
print(json.dumps(out, indent=2))
