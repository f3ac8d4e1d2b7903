import { mannWhitneyPmf } from './mann-whitney-distribution.js';
import { normalSf } from './normal.js';
import { rankSumOfFirst, tieCorrectionTerm } from './rank.js';
import { upperTail } from './sign-flip-distribution.js';
import type { Alternative, MethodChoice, TestMethod } from './types.js';

/** Largest n1·n2 for which `'auto'` uses the exact distribution (about 1.6 M additions). */
export const MANN_WHITNEY_EXACT_LIMIT = 2500;

export interface MannWhitneyResult {
  /** U of x: R1 − n1(n1+1)/2, with R1 the rank sum of x in the pooled sample (scipy's U1). */
  statistic: number;
  p: number;
  method: TestMethod;
}

/**
 * Mann-Whitney U test (Wilcoxon rank-sum) of x against y; `'greater'` means x tends to be larger
 * than y. Same statistic, p-values and conventions as scipy.stats.mannwhitneyu(x, y, alternative,
 * method, use_continuity=True), except for the `'auto'` rule:
 * - `'auto'` uses the exact distribution when there are no ties and n1·n2 ≤ 2500 (scipy: when no
 *   ties and min(n1, n2) ≤ 8), else the asymptotic one.
 * - exact: P(U ≥ u) from the exact null distribution of U (ties ignored, as scipy: a non-integer U
 *   is truncated); two-sided doubles the tail of max(U1, U2), capped at 1.
 * - asymptotic: normal approximation with the tie-corrected variance
 *   n1·n2/12·((n+1) − Σ(t³−t)/(n(n−1))) and continuity correction 0.5.
 * Degenerate input does not throw: an empty sample gives p = 1 and statistic NaN; all values
 * equal gives p = 1.
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative,
  method: MethodChoice = 'auto',
): MannWhitneyResult {
  return mannWhitneyUAt(x, y, [alternative], method)[0]!;
}

/** mannWhitneyU for each of `alternatives`, from one ranking of the pooled sample (the shift test asks for two). */
export function mannWhitneyUAt(
  x: readonly number[],
  y: readonly number[],
  alternatives: readonly Alternative[],
  method: MethodChoice = 'auto',
): MannWhitneyResult[] {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return alternatives.map(() => ({ statistic: NaN, p: 1, method: method === 'exact' ? 'exact' : 'asymptotic' }));
  const { rankSum: r1, tieSizes } = rankSumOfFirst(x, y);
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const hasTies = tieSizes.some((t) => t > 1);
  const chosen: TestMethod =
    method === 'auto' ? (!hasTies && n1 * n2 <= MANN_WHITNEY_EXACT_LIMIT ? 'exact' : 'asymptotic') : method;
  return alternatives.map((alternative) => {
    const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
    const factor = alternative === 'two-sided' ? 2 : 1;
    const tail = chosen === 'exact' ? upperTail(mannWhitneyPmf(n1, n2), Math.trunc(u)) : asymptoticTail(u, n1, n2, tieSizes);
    return { statistic: u1, p: Math.min(1, Math.max(0, factor * tail)), method: chosen };
  });
}

/** P(U ≥ u) by the normal approximation with tie and continuity correction (scipy's _get_mwu_z). */
function asymptoticTail(u: number, n1: number, n2: number, tieSizes: readonly number[]): number {
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieCorrectionTerm(tieSizes) / (n * (n - 1)));
  const numerator = u - (n1 * n2) / 2 - 0.5;
  if (variance <= 0) return numerator > 0 ? 0 : 1;
  return normalSf(numerator / Math.sqrt(variance));
}
