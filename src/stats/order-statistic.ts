/**
 * The values ascending, bit for bit as `Float64Array.from(values).sort()` gives them (−0 before +0, NaN
 * last). Statistics sort a few values per cell, for every cell of a large matrix: up to INSERTION_LIMIT
 * values an insertion sort into a plain array costs a fraction of the native sort's call and of a typed
 * array's allocation (whose backing store lives outside the JS heap until a GC frees it).
 */
export function sortedCopy(values: ArrayLike<number>): ArrayLike<number> {
  const n = values.length;
  if (n > INSERTION_LIMIT) return nativeSort(values);
  const copy = new Array<number>(n);
  for (let i = 0; i < n; i++) copy[i] = values[i] as number;
  return sortInPlace(copy);
}

/**
 * `values` sorted in place, bit for bit as `sortedCopy` sorts a copy: for a caller that owns a fresh array
 * (the unpaired latency test's log latencies) and need not allocate another. Returns `values`.
 */
export function sortInPlace(values: number[]): number[] {
  const n = values.length;
  if (n > INSERTION_LIMIT) return copyInto(values, nativeSort(values));
  let zero = false;
  for (let i = 0; i < n; i++) {
    const value = values[i] as number;
    // The native sort's order does not depend on where the insertion stopped.
    if (value !== value) return copyInto(values, nativeSort(values));
    if (value === 0) zero = true;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) > value) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = value;
  }
  if (zero) zerosInSortOrder(values);
  return values;
}

function copyInto(target: number[], source: Float64Array): number[] {
  for (let i = 0; i < source.length; i++) target[i] = source[i] as number;
  return target;
}

const INSERTION_LIMIT = 48;

function nativeSort(values: ArrayLike<number>): Float64Array {
  const sorted = new Float64Array(values.length);
  sorted.set(values);
  return sorted.sort();
}

/** The zeros of ascending `sorted` (one run, all equal under <) ordered as the native sort orders them: every −0 before every +0. */
export function zerosInSortOrder(sorted: Float64Array | number[]): void {
  let first = 0;
  while ((sorted[first] as number) < 0) first++;
  let end = first;
  let negative = 0;
  while (end < sorted.length && sorted[end] === 0) {
    if (Object.is(sorted[end], -0)) negative++;
    end++;
  }
  sorted.fill(-0, first, first + negative);
  sorted.fill(0, first + negative, end);
}

/** Median of values already sorted ascending (mean of the two middle values for an even count); NaN when empty. */
export function sortedMedian(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Rank k of the distribution-free confidence bounds for a location shift: the largest k with
 * P(T ≤ k − 1) ≤ α/2 for the null distribution `pmf` of the rank statistic T (Mann-Whitney U or
 * Wilcoxon W+). The interval [D₍k₎, D₍N+1−k₎] of the N sorted pairwise differences or Walsh averages
 * then covers the true shift with probability ≥ 1 − α (Hollander & Wolfe, Nonparametric
 * Statistical Methods, 3rd ed., §3.3 and §4.3; Bauer, JASA 67, 1972). Returns 0 when even the
 * widest interval is not enough, and at most ⌈N/2⌉.
 */
export function exactBoundRank(pmf: Float64Array, alpha: number): number {
  let cumulative = 0;
  let k = 0;
  const limit = Math.ceil((pmf.length - 1) / 2);
  while (k < limit) {
    cumulative += pmf[k] as number;
    // cumulative = P(T ≤ k); k + 1 is admissible when it is ≤ α/2 (tiny slack for rounding)
    if (cumulative > (alpha / 2) * (1 + 1e-12)) break;
    k++;
  }
  return k;
}

/**
 * The same rank from the normal approximation of T with mean μ and standard deviation σ and a
 * continuity correction: P(T ≤ k − 1) ≈ Φ((k − ½ − μ)/σ) ≤ α/2 ⇔ k ≤ μ + ½ − z₁₋α/₂·σ.
 */
export function approximateBoundRank(mean: number, sd: number, z: number, count: number): number {
  const k = Math.floor(mean + 0.5 - z * sd);
  return Math.max(0, Math.min(Math.ceil(count / 2), k));
}
