import { hypergeometricCdf, hypergeometricTable } from './hypergeometric.js';
import type { Alternative } from './types.js';

/** Tables whose Fisher p-value is within this relative slack of the observed one count as "as extreme" (scipy's). */
const SAME_STATISTIC = 1e-13;
const GOLDEN = (Math.sqrt(5) - 1) / 2;

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

/** Every row's running sums, end to end: row s is values[start[s]] … values[start[s + 1] − 1]. */
interface CumulativeRows {
  values: Float64Array;
  start: Int32Array;
}

/** Rows kept by `cumulativeRows`: the pooled success test asks for the same margins many times (p, its mirror, the smallest p, each look). */
const rowCache = new Map<string, CumulativeRows>();
/** Margins asked for once: the rows are built at the second request (building them costs about two plain calls). */
const seen = new Set<string>();
/** At most this many CDF values are kept per margin (2,400 runs in two halves hold about 1.4 million); larger margins are computed each time. */
const CACHE_VALUES = 4_000_000;
const CACHE_ENTRIES = 2;

/**
 * For every success sum s = 0 … total, the running sums of the hypergeometric pmf of the first column's
 * count (`hypergeometricTable(total, s, drawn)`) from its smallest value up: the Fisher p-values of the
 * tables with that sum, in the order `extremeMassBySum` reads them. One array for all rows (many small
 * long-lived arrays would cost the garbage collector more than the sums); built when the same margins are
 * asked for the second time, kept for the last two; undefined otherwise.
 */
function cumulativeRows(total: number, drawn: number): CumulativeRows | undefined {
  const key = `${total}/${drawn}`;
  const cached = rowCache.get(key);
  if (cached) return cached;
  const start = new Int32Array(total + 2);
  for (let s = 0; s <= total; s++) start[s + 1] = start[s]! + Math.min(drawn, s) - Math.max(0, drawn - (total - s)) + 1;
  if (start[total + 1]! > CACHE_VALUES) return undefined;
  if (!seen.has(key)) {
    if (seen.size >= 64) seen.clear();
    seen.add(key);
    return undefined;
  }
  const values = new Float64Array(start[total + 1]!);
  for (let s = 0; s <= total; s++) {
    const { pmf } = hypergeometricTable(total, s, drawn);
    let sum = 0;
    for (let i = 0; i < pmf.length; i++) values[start[s]! + i] = sum += pmf[i]!;
  }
  const rows = { values, start };
  if (rowCache.size >= CACHE_ENTRIES) rowCache.delete(rowCache.keys().next().value!);
  rowCache.set(key, rows);
  return rows;
}

/** Σₛ hₛ·Binomial(s; N, π), the binomial pmf built by its term ratio outward from the mode. */
function mixture(h: Float64Array, pi: number): number {
  const total = h.length - 1;
  if (pi <= 0) return h[0] as number;
  if (pi >= 1) return h[total] as number;
  const odds = pi / (1 - pi);
  const mode = Math.min(total, Math.floor((total + 1) * pi));
  let weightSum = 1;
  let value = h[mode] as number;
  let term = 1;
  // Terms fall off geometrically beyond a few standard deviations from the mode; once one is below 1e-18 of
  // the sum (h ≤ 1), the rest cannot change the result at double precision.
  for (let s = mode; s < total; s++) {
    term *= ((total - s) / (s + 1)) * odds;
    if (term < 1e-18 * weightSum) break;
    weightSum += term;
    value += term * (h[s + 1] as number);
  }
  term = 1;
  for (let s = mode; s > 0; s--) {
    term *= (s / (total - s + 1)) / odds;
    if (term < 1e-18 * weightSum) break;
    weightSum += term;
    value += term * (h[s - 1] as number);
  }
  return value / weightSum;
}

/** Maximum of a smooth function on [0, 1]: grid search, then golden section around the best local maxima. */
function maximise(f: (x: number) => number, steps: number): { nuisance: number; value: number } {
  const values = Array.from({ length: steps + 1 }, (_, i) => f(i / steps));
  const peaks: number[] = [];
  values.forEach((v, i) => {
    if ((i === 0 || v >= (values[i - 1] as number)) && (i === steps || v >= (values[i + 1] as number))) peaks.push(i);
  });
  peaks.sort((i, j) => (values[j] as number) - (values[i] as number));
  let best = { nuisance: (peaks[0] as number) / steps, value: values[peaks[0] as number] as number };
  for (const i of peaks.slice(0, 8)) {
    const refined = goldenSection(f, Math.max(0, (i - 1) / steps), Math.min(1, (i + 1) / steps));
    if (refined.value > best.value) best = refined;
  }
  return best;
}

function goldenSection(f: (x: number) => number, lo: number, hi: number): { nuisance: number; value: number } {
  let x1 = hi - GOLDEN * (hi - lo);
  let x2 = lo + GOLDEN * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  while (hi - lo > 1e-12) {
    if (f1 < f2) {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + GOLDEN * (hi - lo);
      f2 = f(x2);
    } else {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - GOLDEN * (hi - lo);
      f1 = f(x1);
    }
  }
  return f1 > f2 ? { nuisance: x1, value: f1 } : { nuisance: x2, value: f2 };
}
