/**
 * Exact null distribution of the Mann-Whitney U statistic for samples of sizes n1 and n2 without
 * ties: entry u of the result is P(U = u), u = 0 … n1·n2.
 *
 * Mann & Whitney's recurrence (Ann. Math. Statist. 18, 1947) on probabilities,
 * P_{m,n}(u) = m/(m+n)·P_{m−1,n}(u − n) + n/(m+n)·P_{m,n−1}(u), which adds only non-negative terms,
 * so far tails keep full relative accuracy; cost O((n1·n2)²/4). Matches scipy's exact
 * mannwhitneyu distribution (fixtures/stats/mann-whitney.json). The result is shared (memoised
 * for the last 32 size pairs): callers must not modify it.
 */
export function mannWhitneyPmf(n1: number, n2: number): Float64Array {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const key = `${m}x${n}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const pmf = buildPmf(m, n);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, pmf);
  return pmf;
}

// A comparison asks for the same few sample sizes again and again (every span of every cell).
const CACHE_SIZE = 32;
const cache = new Map<string, Float64Array>();

function buildPmf(m: number, n: number): Float64Array {
  // previous[j] = P_{i−1, j}; current[j] = P_{i, j}
  let previous: Float64Array[] = [];
  for (let j = 0; j <= n; j++) previous.push(Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const current: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const pmf = new Float64Array(i * j + 1);
      const fromFewerFirst = previous[j] as Float64Array; // P_{i−1, j}, shifted by j
      const fromFewerSecond = current[j - 1] as Float64Array; // P_{i, j−1}
      const a = i / (i + j);
      const b = j / (i + j);
      for (let u = 0; u < fromFewerFirst.length; u++) pmf[u + j] = a * (fromFewerFirst[u] as number);
      for (let u = 0; u < fromFewerSecond.length; u++) pmf[u] = (pmf[u] as number) + b * (fromFewerSecond[u] as number);
      current.push(pmf);
    }
    previous = current;
  }
  return previous[n] as Float64Array;
}
