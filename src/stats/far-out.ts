/**
 * Tukey's far-out values (Exploratory Data Analysis, 1977, §2E): values below Q1 − 3·IQR or above
 * Q3 + 3·IQR. For a normal sample the fences sit 4.7 standard deviations from the mean, so a normal value
 * lands beyond them about once in a million; a cold start or a retry that takes 2–5× as long lands beyond
 * them nearly always (a 10%-CV latency has a log standard deviation of 0.1; ×2 is log 0.69).
 */

import { sortedCopy } from './order-statistic.js';

/** Fewest values for which quartiles say anything about the spread. */
export const FAR_OUT_MIN_VALUES = 8;

/** Quantile p of values sorted ascending, by linear interpolation between order statistics (Hyndman & Fan type 7, numpy.quantile's default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, n - 1);
  const a = sorted[lower] as number;
  return a + (h - lower) * ((sorted[upper] as number) - a);
}

/** Tukey's far-out fences [Q1 − 3·IQR, Q3 + 3·IQR]; null with fewer than FAR_OUT_MIN_VALUES values or no spread (IQR 0). */
export function farOutFences(values: readonly number[]): { low: number; high: number } | null {
  if (values.length < FAR_OUT_MIN_VALUES) return null;
  return farOutFencesSorted(sortedCopy(values));
}

/** `farOutFences` of values already sorted ascending (as `sortedCopy` sorts them), for a caller that has them so. */
export function farOutFencesSorted(sorted: ArrayLike<number>): { low: number; high: number } | null {
  if (sorted.length < FAR_OUT_MIN_VALUES) return null;
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  if (!(iqr > 0)) return null;
  return { low: q1 - 3 * iqr, high: q3 + 3 * iqr };
}

/**
 * Indexes of the far-out values of `values`, when they are rare: at most `maxCount` of them. More far-out
 * values than that are a pattern of the data (a second mode, a side that moved far), not accidents, and
 * none is returned. Depends only on the multiset of values, never on their order, so a rank test of two
 * samples pooled in `values` stays exact after the returned values are set aside (see shift-test.ts).
 * `fences` are `farOutFences(values)`, passed by a caller that needs them too.
 */
export function rareFarOut(values: readonly number[], maxCount: number, fences = farOutFences(values)): number[] {
  if (!fences) return [];
  const far: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x < fences.low || x > fences.high) far.push(i);
  }
  return far.length <= maxCount ? far : [];
}
