import { hypergeometricTable } from './hypergeometric.js';

/**
 * What the exact unconditional tests of a 2×2 table share (Boschloo's, Barnard's). Both columns are
 * Binomial(nᵢ, π) under the null, and given their sum s the pair is hypergeometric, so the null probability of a
 * rejection region is f(π) = Σₛ hₛ·Binomial(s; n1+n2, π), hₛ being the hypergeometric mass of the region's tables
 * with sum s. For both tests the region holds, for each s, a tail of the first column's count, so hₛ is a running
 * sum of the hypergeometric pmf (`cumulativeRows`). The p-value is the maximum of f over the nuisance π
 * (`maximise`).
 */

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Every row's running sums, end to end: row s is values[start[s]] … values[start[s + 1] − 1]. */
export interface CumulativeRows {
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
export function cumulativeRows(total: number, drawn: number): CumulativeRows | undefined {
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
export function mixture(h: Float64Array, pi: number): number {
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
export function maximise(f: (x: number) => number, steps: number): { nuisance: number; value: number } {
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
