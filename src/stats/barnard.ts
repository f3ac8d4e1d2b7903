import { hypergeometricCdf, hypergeometricTable } from './hypergeometric.js';
import type { Alternative } from './types.js';
import { cumulativeRows, maximise, mixture } from './unconditional.js';

export interface BarnardResult {
  /** Barnard's p-value: the largest over the nuisance success probability π of the rejection mass. */
  p: number;
  /** The test statistic: the pooled-variance Wald statistic of the observed table (0 when p1 = p2). */
  statistic: number;
  /** The π at which the maximum was found. */
  nuisance: number;
}

/**
 * Barnard's exact unconditional test with the pooled-variance Wald statistic (the score statistic; Suissa and
 * Shuster, JRSS A 148, 1985) on the 2×2 table [[a, b], [c, d]], as scipy.stats.barnard_exact(table, alternative,
 * pooled=True). As in scipy and `boschloo`, the COLUMNS are the two groups, binomial samples of sizes n1 = a + c
 * and n2 = b + d, and row 0 counts the events: p1 = a/n1, p2 = b/n2. The statistic of a table (x1, x2) is
 * W = (p1 − p2) / √(p̄(1 − p̄)(1/n1 + 1/n2)) with p̄ = (x1 + x2)/(n1 + n2), and 0 when p1 = p2. `'greater'`
 * rejects for large W, `'less'` for small W, `'two-sided'` for large |W|.
 *
 * The p-value is max over π of P_π(region) (`unconditional.ts`). For a fixed sum s = x1 + x2, p̄ is fixed and W
 * grows with x1, so the tables with sum s in the region are a tail (two tails for two-sided) of x1: its mass is a
 * running hypergeometric sum, read from the kept rows when the margins come again. Each tail is read as a lower
 * tail (of x1, or of x2 = s − x1 for the upper tail of x1), so a tiny tail keeps its relative precision.
 * Statistics are compared in floating point, computed with scipy's operations in scipy's order: two tables whose
 * statistics are equal in exact arithmetic but one ulp apart in floating point are ordered as scipy orders them.
 * An empty column gives p = 1 and statistic NaN (scipy: NaN and 1).
 */
export function barnard(a: number, b: number, c: number, d: number, alternative: Alternative): BarnardResult {
  const n1 = a + c;
  const n2 = b + d;
  if (n1 === 0 || n2 === 0) return { p: 1, statistic: NaN, nuisance: NaN };
  const total = n1 + n2;
  const statistic = waldPooled(a, b, n1, n2);
  const h = new Float64Array(total + 1);
  // x1 ≤ lowMax(s): W ≤ observed (for 'less'; for two-sided W ≤ −|observed|); x1 ≥ highMin(s): W ≥ observed (or ≥ |observed|).
  const low = alternative === 'less' ? statistic : alternative === 'two-sided' ? -Math.abs(statistic) : undefined;
  const high = alternative === 'greater' ? statistic : alternative === 'two-sided' ? Math.abs(statistic) : undefined;
  const firstRows = low === undefined ? undefined : lowerTails(total, n1);
  const secondRows = high === undefined ? undefined : lowerTails(total, n2);
  for (let s = 0; s <= total; s++) {
    const min = Math.max(0, s - n2);
    const max = Math.min(n1, s);
    // The largest x1 with W ≤ low, and the smallest with W ≥ high (W never decreases in x1 for fixed s).
    const lastLow = low === undefined ? min - 1 : lastAtMost(min, max, (x1) => waldPooled(x1, s - x1, n1, n2) <= low);
    const firstHigh = high === undefined ? max + 1 : lastAtMost(min, max, (x1) => waldPooled(x1, s - x1, n1, n2) < high) + 1;
    if (firstHigh <= lastLow + 1) {
      // The tails meet (two-sided with W = 0 observed, or one tail holding every table): every table with sum s.
      h[s] = 1;
      continue;
    }
    // x1 ≥ firstHigh is x2 = s − x1 ≤ s − firstHigh.
    const mass = (lastLow >= min ? firstRows!(s, lastLow) : 0) + (firstHigh <= max ? secondRows!(s, s - firstHigh) : 0);
    h[s] = Math.min(1, mass);
  }
  const { nuisance, value } = maximise((pi) => mixture(h, pi), Math.max(1024, 4 * total));
  return { p: Math.min(1, Math.max(0, value)), statistic, nuisance };
}

/** The pooled-variance Wald statistic of the table with x1 of n1 and x2 of n2 events; 0 when the rates are equal (scipy). */
function waldPooled(x1: number, x2: number, n1: number, n2: number): number {
  // The same floating-point operations in the same order as scipy, so that two tables whose statistics are equal
  // in exact arithmetic but not in floating point are ordered as scipy orders them.
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  if (p1 === p2) return 0;
  const pooled = (x1 + x2) / (n1 + n2);
  return (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
}

/** The largest x in [min, max] for which `holds` (true up to some point, then false), or min − 1 when none does. */
function lastAtMost(min: number, max: number, holds: (x: number) => boolean): number {
  let lo = min;
  let hi = max + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (holds(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * P(X ≤ x | s) for X the events among `drawn` of `total` runs when s runs in all had one: from the kept running
 * sums when these margins were seen before (`cumulativeRows`), else summed from the pmf.
 */
function lowerTails(total: number, drawn: number): (s: number, x: number) => number {
  const rows = cumulativeRows(total, drawn);
  if (rows) {
    const { values, start } = rows;
    return (s, x) => values[start[s]! + x - Math.max(0, drawn - (total - s))]!;
  }
  return (s, x) => hypergeometricCdf(hypergeometricTable(total, s, drawn), x);
}
