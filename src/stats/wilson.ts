import { normalQuantile } from './normal.js';

/**
 * Wilson score interval for a binomial proportion with `successes` out of `n` trials, two-sided at
 * `confidence` (E. B. Wilson, JASA 22, 1927), without continuity correction: the same numbers as
 * scipy.stats.binomtest(k, n).proportion_ci(confidence, method='wilson'), including low = 0 exactly
 * when k = 0 and high = 1 exactly when k = n. n = 0 gives the uninformative [0, 1] (scipy raises).
 */
export function wilsonInterval(successes: number, n: number, confidence: number): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const z = normalQuantile(0.5 + 0.5 * confidence);
  const p = successes / n;
  const denominator = 2 * (n + z * z);
  const center = (2 * n * p + z * z) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt(4 * n * p * (1 - p) + z * z);
  return {
    low: successes === 0 ? 0 : Math.max(0, center - halfWidth),
    high: successes === n ? 1 : Math.min(1, center + halfWidth),
  };
}
