import { hypergeometricCdf, hypergeometricTable } from './hypergeometric.js';
import type { Alternative } from './types.js';
import { cumulativeRows, maximise, mixture } from './unconditional.js';

/** Tables whose Fisher p-value is within this relative slack of the observed one count as "as extreme" (scipy's). */
const SAME_STATISTIC = 1e-13;

export interface BoschlooResult {
  /** Boschloo's p-value: the largest over the nuisance success probability π of the rejection mass. */
  p: number;
  /** The test statistic: the one-sided Fisher exact p-value of the observed table. */
  statistic: number;
  /** The π at which the maximum was found. */
  nuisance: number;
}

/**
 * Boschloo's exact unconditional test on the 2×2 table [[a, b], [c, d]], as
 * scipy.stats.boschloo_exact(table, alternative). As in scipy the COLUMNS are the two groups,
 * binomial samples of sizes n1 = a + c and n2 = b + d, and row 0 counts the "successes":
 * p1 = a/(a+c), p2 = b/(b+d). `'greater'` tests p1 > p2, `'less'` p1 < p2; two-sided doubles the
 * smaller one-sided p-value (capped at 1), as scipy.
 *
 * The statistic is the one-sided Fisher p-value T of the observed table; the p-value is
 * max over π of P_π(T ≤ T_obs), where both columns are Binomial(nᵢ, π) (R. D. Boschloo,
 * Statistica Neerlandica 24, 1970). Since the pair of binomials given their sum s is
 * hypergeometric, this is f(π) = Σₛ hₛ·Binomial(s; n1+n2, π) with hₛ the hypergeometric mass of the
 * tables with sum s that are as extreme; f is maximised on a grid of max(1024, 4(n1+n2)) steps
 * followed by golden-section refinement around the best local maxima. scipy maximises the same
 * f with shgo over 32 Sobol points by default; fixtures use n=1024 so the reference is precise.
 * An empty column gives p = 1 and statistic NaN (scipy returns NaN for both); it does not throw.
 */
export function boschloo(a: number, b: number, c: number, d: number, alternative: Alternative): BoschlooResult {
  if (alternative === 'two-sided') {
    const less = boschloo(a, b, c, d, 'less');
    const greater = boschloo(a, b, c, d, 'greater');
    const smaller = less.p < greater.p ? less : greater;
    return { ...smaller, p: Math.min(1, 2 * smaller.p) };
  }
  const n1 = a + c;
  const n2 = b + d;
  if (n1 === 0 || n2 === 0) return { p: 1, statistic: NaN, nuisance: NaN };
  // 'less': T = P(X1 ≤ x1 | s) with X1 the successes of column 1; 'greater': the same for column 2.
  const [drawn, observedCount] = alternative === 'less' ? [n1, a] : [n2, b];
  const statistic = hypergeometricCdf(hypergeometricTable(n1 + n2, a + b, drawn), observedCount);
  const extremeMass = extremeMassBySum(n1, n2, drawn, statistic);
  const { nuisance, value } = maximise((pi) => mixture(extremeMass, pi), Math.max(1024, 4 * (n1 + n2)));
  return { p: Math.min(1, Math.max(0, value)), statistic, nuisance };
}

/**
 * hₛ for s = 0 … n1+n2: the hypergeometric probability of the tables with success sum s whose
 * Fisher p-value does not exceed the observed one. For fixed s that p-value is a CDF, increasing in
 * the count, so hₛ is the largest CDF value not above the observed statistic: a binary search in the
 * rows of `cumulativeRows`, which depend on the margins only and are kept for the next table.
 */
function extremeMassBySum(n1: number, n2: number, drawn: number, observed: number): Float64Array {
  const total = n1 + n2;
  const limit = observed * (1 + SAME_STATISTIC);
  const h = new Float64Array(total + 1);
  const rows = cumulativeRows(total, drawn);
  if (!rows) {
    // Margins seen for the first time: one table per sum, read up to the limit.
    for (let s = 0; s <= total; s++) {
      let cdf = 0;
      let best = 0;
      for (const probability of hypergeometricTable(total, s, drawn).pmf) {
        cdf += probability;
        if (cdf <= limit) best = cdf;
        else break;
      }
      h[s] = best;
    }
    return h;
  }
  const { values, start } = rows;
  for (let s = 0; s <= total; s++) {
    // The row's CDF never decreases: find its last entry ≤ limit (none: hₛ = 0). The same sums in the same
    // order as the loop above, so the same hₛ to the last bit.
    const first = start[s]!;
    let lo = first;
    let hi = start[s + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]! <= limit) lo = mid + 1;
      else hi = mid;
    }
    h[s] = lo > first ? values[lo - 1]! : 0;
  }
  return h;
}
