import { normalCdf, normalSf } from './normal.js';
import { averageRanks, tieCorrectionTerm } from './rank.js';
import { lowerTail, signedRankPmf, signFlipSumPmf, upperTail } from './sign-flip-distribution.js';
import type { Alternative, MethodChoice, TestMethod } from './types.js';

/** Largest number of non-zero differences for which `'auto'` uses the exact distribution. */
export const WILCOXON_EXACT_LIMIT = 100;

export interface WilcoxonResult {
  /** W+: the sum of the ranks of |d| over the positive differences (zeros dropped first). */
  statistic: number;
  p: number;
  method: TestMethod;
  /** Number of non-zero differences, the n the test is based on. */
  n: number;
}

/**
 * Wilcoxon signed-rank test of paired differences d (head − base); `'greater'` means the
 * differences tend to be positive.
 *
 * Zeros: Wilcox's method (scipy zero_method='wilcox'): zero differences are dropped before ranking.
 * Ties among |d| get average ranks.
 * - exact: the permutation distribution of W+ over the 2ⁿ equally likely sign flips of the actual
 *   (mid)ranks, computed exactly by a DP over doubled ranks (signFlipSumPmf). Without ties this is
 *   the classic distribution of scipy.stats.wilcoxon(method='exact'); with ties it is what
 *   scipy.stats.wilcoxon(method=PermutationMethod()) enumerates for n ≤ 13. Two-sided p is
 *   2·min(P(W+ ≤ w), P(W+ ≥ w)), capped at 1.
 * - asymptotic: normal approximation with tie-corrected variance (n(n+1)(2n+1) − Σ(t³−t)/2)/24 and
 *   continuity correction, exactly as scipy.stats.wilcoxon(method='asymptotic', correction=True);
 *   like scipy, the two-sided correction moves z towards 0 by 0.5/σ and may overshoot it.
 * - `'auto'`: exact when n ≤ 100 (ties and zeros included), else asymptotic. scipy's 'auto' is
 *   exact only without ties/zeros (n ≤ 50) and uses a permutation test for n ≤ 13 otherwise.
 * Degenerate input does not throw: no non-zero difference (empty or all zeros) gives p = 1, W+ = 0.
 */
export function wilcoxonSignedRank(
  d: readonly number[],
  alternative: Alternative,
  method: MethodChoice = 'auto',
): WilcoxonResult {
  const nonZero = d.filter((value) => value !== 0);
  const n = nonZero.length;
  const chosen: TestMethod = method === 'auto' ? (n <= WILCOXON_EXACT_LIMIT ? 'exact' : 'asymptotic') : method;
  if (n === 0) return { statistic: 0, p: 1, method: chosen, n: 0 };
  const { ranks, tieSizes } = averageRanks(nonZero.map(Math.abs));
  let wPlus = 0;
  nonZero.forEach((value, i) => {
    if (value > 0) wPlus += ranks[i] as number;
  });
  const hasTies = tieSizes.length < n;
  const p =
    chosen === 'asymptotic'
      ? asymptoticP(wPlus, n, tieSizes, alternative)
      : hasTies
        ? exactP(signFlipSumPmf(ranks.map((r) => Math.round(2 * r))), Math.round(2 * wPlus), alternative)
        : exactP(signedRankPmf(n), wPlus, alternative);
  return { statistic: wPlus, p: Math.min(1, Math.max(0, p)), method: chosen, n };
}

/** Tails of the exact distribution `pmf` at the observed value (W+, or 2·W+ with doubled ranks). */
function exactP(pmf: Float64Array, observed: number, alternative: Alternative): number {
  const greater = upperTail(pmf, observed);
  const less = lowerTail(pmf, observed);
  if (alternative === 'greater') return greater;
  if (alternative === 'less') return less;
  return 2 * Math.min(greater, less);
}

function asymptoticP(wPlus: number, n: number, tieSizes: readonly number[], alternative: Alternative): number {
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1) - tieCorrectionTerm(tieSizes) / 2) / 24);
  let z = (wPlus - mean) / sd;
  const sign = alternative === 'greater' ? 1 : alternative === 'less' ? -1 : Math.sign(z);
  z -= (sign * 0.5) / sd;
  if (alternative === 'greater') return normalSf(z);
  if (alternative === 'less') return normalCdf(z);
  return 2 * normalSf(Math.abs(z));
}
