/**
 * "About N more rounds would likely settle it": a projection for an inconclusive cell, assuming its
 * estimated ratio stays where it is and the interval narrows as 1/√rounds (rank statistics do). Not a
 * promise: a hint for `gate.looks` (docs/statistics.md, "Honest green").
 */
import { normalQuantile } from '../stats/normal.js';

export interface SettleInput {
  /** Hodges–Lehmann ratio head/base and the upper end of its one-sided interval at `boundLevel`. */
  ratio: number;
  above: number;
  boundLevel: number;
  /** 1 + min-change. */
  threshold: number;
  /** The level a single test must reach to be a regression (per-look α over the family size). */
  alpha: number;
  rounds: number;
}

/** Most extra rounds the projection names; beyond it the answer is "far more than the looks allow". */
export const MAX_PROJECTED_ROUNDS = 1000;

/**
 * Extra rounds after which the cell would likely be decided: the interval's upper end below the threshold
 * (when the ratio is below it: `unchanged`), or the ratio significant at `alpha` (when at or above it:
 * `regression`). Null when the interval is unbounded (too few rounds to project from).
 */
export function roundsToSettle(input: SettleInput): number | null {
  const { ratio, above, boundLevel, threshold, alpha, rounds } = input;
  if (!Number.isFinite(above) || !(ratio > 0) || rounds <= 0) return null;
  const zBound = normalQuantile(1 - boundLevel);
  // The standard error of log ratio the interval implies.
  const se = (Math.log(above) - Math.log(ratio)) / zBound;
  if (!(se > 0)) return null;
  const logRatio = Math.log(ratio);
  const needed =
    ratio < threshold
      ? rounds * ((zBound * se) / (Math.log(threshold) - logRatio)) ** 2
      : logRatio > 0
        ? rounds * ((normalQuantile(1 - alpha) * se) / logRatio) ** 2
        : Infinity;
  const more = Math.ceil(needed - rounds);
  return Math.min(MAX_PROJECTED_ROUNDS, Math.max(1, Number.isFinite(more) ? more : MAX_PROJECTED_ROUNDS));
}
