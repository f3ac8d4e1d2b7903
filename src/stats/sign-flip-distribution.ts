/**
 * Null distribution of S = Σ wᵢ·Bᵢ with independent fair coin flips Bᵢ ∈ {0, 1} and non-negative
 * integer weights wᵢ: entry s of the result is P(S = s), for s = 0 … Σwᵢ.
 *
 * With weights 1 … n this is the exact distribution of the Wilcoxon signed-rank statistic W+;
 * with doubled mid-ranks (always integers) it is the exact permutation distribution of 2·W+ when
 * there are ties, i.e. what scipy.stats.permutation_test enumerates over the 2ⁿ sign flips.
 * Dynamic programme over the weights, P_k(s) = ½·P_{k−1}(s) + ½·P_{k−1}(s − w_k), O(n · Σw);
 * every step adds non-negative numbers, so tail probabilities keep full relative accuracy.
 */
export function signFlipSumPmf(weights: readonly number[]): Float64Array {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const pmf = new Float64Array(total + 1);
  pmf[0] = 1;
  let reach = 0;
  for (const w of weights) {
    // in place, from the top down so that pmf[s − w] is still the previous step's value
    for (let s = reach + w; s >= 0; s--) {
      const shifted = s >= w ? (pmf[s - w] as number) : 0;
      pmf[s] = ((pmf[s] as number) + shifted) / 2;
    }
    reach += w;
  }
  return pmf;
}

/**
 * Exact null distribution of the Wilcoxon signed-rank statistic W+ without ties: signFlipSumPmf of
 * the ranks 1 … n, memoised for the last 32 values of n (callers must not modify the result).
 */
export function signedRankPmf(n: number): Float64Array {
  const cached = signedRankCache.get(n);
  if (cached) return cached;
  const pmf = signFlipSumPmf(Array.from({ length: n }, (_, i) => i + 1));
  if (signedRankCache.size >= 32) signedRankCache.delete(signedRankCache.keys().next().value as number);
  signedRankCache.set(n, pmf);
  return pmf;
}

const signedRankCache = new Map<number, Float64Array>();

/** P(S ≥ k) summed directly from the upper tail of a pmf (no 1 − x cancellation). */
export function upperTail(pmf: Float64Array, k: number): number {
  let sum = 0;
  for (let s = Math.max(0, Math.ceil(k)); s < pmf.length; s++) sum += pmf[s] as number;
  return sum;
}

/** P(S ≤ k) summed directly from the lower tail of a pmf. */
export function lowerTail(pmf: Float64Array, k: number): number {
  let sum = 0;
  for (let s = 0; s <= Math.min(pmf.length - 1, Math.floor(k)); s++) sum += pmf[s] as number;
  return sum;
}
