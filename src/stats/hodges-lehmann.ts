import { MANN_WHITNEY_EXACT_LIMIT } from './mann-whitney.js';
import { mannWhitneyPmf } from './mann-whitney-distribution.js';
import { normalQuantile } from './normal.js';
import { approximateBoundRank, exactBoundRank, sortedMedian } from './order-statistic.js';
import { signedRankPmf } from './sign-flip-distribution.js';
import { differencesAtRanks } from './difference-ranks.js';
import type { TestMethod } from './types.js';

/** Largest n for which the paired interval uses the exact signed-rank distribution. */
export const SIGNED_RANK_EXACT_LIMIT = 100;

export interface ShiftEstimate {
  /** Hodges–Lehmann point estimate of the shift. */
  estimate: number;
  /** Lower end of the interval; −Infinity when the samples are too small for the confidence asked. */
  low: number;
  /** Upper end of the interval; +Infinity when the samples are too small for the confidence asked. */
  high: number;
  /** Rank k of the order statistics used: [D₍k₎, D₍N+1−k₎]; 0 means the interval is unbounded. */
  k: number;
  /** How k was found: from the exact null distribution or its normal approximation. */
  method: TestMethod;
}

/**
 * Two-sample Hodges–Lehmann shift of y relative to x: the median of all n1·n2 differences
 * yⱼ − xᵢ, with the distribution-free two-sided interval [D₍k₎, D₍N+1−k₎] whose rank k comes from the
 * exact Mann-Whitney distribution when n1·n2 ≤ 2500, else from its normal approximation
 * (Hollander & Wolfe §4.3, Bauer 1972). Coverage is ≥ `confidence` (discreteness), exactly so
 * for continuous data. On log latencies, exp of the three numbers is the ratio head/base and
 * its interval. An empty sample gives NaN for all three (k = 0); it does not throw.
 */
export function hodgesLehmannShift(x: readonly number[], y: readonly number[], confidence: number): ShiftEstimate {
  return hodgesLehmannShiftAt(x, y, [confidence])[0]!;
}

/** hodgesLehmannShift at each of `confidences`, from one sort of the differences (a cell asks for two levels). */
export function hodgesLehmannShiftAt(x: readonly number[], y: readonly number[], confidences: readonly number[]): ShiftEstimate[] {
  const n1 = x.length;
  const n2 = y.length;
  const exact = n1 * n2 <= MANN_WHITNEY_EXACT_LIMIT;
  const method: TestMethod = exact ? 'exact' : 'asymptotic';
  if (n1 === 0 || n2 === 0) return confidences.map(() => ({ estimate: NaN, low: NaN, high: NaN, k: 0, method }));
  const count = n1 * n2;
  const ks = confidences.map((confidence) => {
    const alpha = 1 - confidence;
    return exact
      ? exactBoundRank(mannWhitneyPmf(n1, n2), alpha)
      : approximateBoundRank(count / 2, Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12), normalQuantile(1 - alpha / 2), count);
  });
  // Only the order statistics read below, not all n1·n2 differences sorted (differencesAtRanks).
  const mid = Math.floor(count / 2);
  const ranks = count % 2 === 1 ? [mid] : [mid - 1, mid];
  for (const k of ks) if (k > 0) ranks.push(k - 1, count - k);
  const values = differencesAtRanks(x, y, ranks);
  const estimate = count % 2 === 1 ? values[0]! : (values[0]! + values[1]!) / 2;
  let next = count % 2 === 1 ? 1 : 2;
  return ks.map((k) => {
    if (k === 0) return { estimate, low: -Infinity, high: Infinity, k, method };
    const low = values[next++]!;
    const high = values[next++]!;
    return { estimate, low, high, k, method };
  });
}

/**
 * One-sample (paired) Hodges–Lehmann estimate: the median of the n(n+1)/2 Walsh averages
 * (dᵢ + dⱼ)/2, i ≤ j, with the distribution-free interval from the signed-rank distribution
 * (exact for n ≤ 100, else normal approximation; Hollander & Wolfe §3.3). Zero differences are
 * kept (they are data here, not ties to drop). Empty input gives NaN for all three.
 */
export function hodgesLehmannPaired(d: readonly number[], confidence: number): ShiftEstimate {
  return hodgesLehmannPairedAt(d, [confidence])[0]!;
}

/** hodgesLehmannPaired at each of `confidences`, from one sort of the Walsh averages. */
export function hodgesLehmannPairedAt(d: readonly number[], confidences: readonly number[]): ShiftEstimate[] {
  const n = d.length;
  const exact = n <= SIGNED_RANK_EXACT_LIMIT;
  const method: TestMethod = exact ? 'exact' : 'asymptotic';
  if (n === 0) return confidences.map(() => ({ estimate: NaN, low: NaN, high: NaN, k: 0, method }));
  const count = (n * (n + 1)) / 2;
  const walsh = new Float64Array(count);
  let index = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh[index++] = ((d[i] as number) + (d[j] as number)) / 2;
  walsh.sort();
  const estimate = sortedMedian(walsh);
  return confidences.map((confidence) => {
    const alpha = 1 - confidence;
    const k = exact
      ? exactBoundRank(signedRankPmf(n), alpha)
      : approximateBoundRank(count / 2, Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24), normalQuantile(1 - alpha / 2), count);
    return { estimate, ...bounds(walsh, k), k, method };
  });
}

function bounds(sorted: Float64Array, k: number): { low: number; high: number } {
  if (k === 0) return { low: -Infinity, high: Infinity };
  return { low: sorted[k - 1] as number, high: sorted[sorted.length - k] as number };
}
