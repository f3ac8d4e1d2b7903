/**
 * What a cell's data rule out ("honest green"), and its tail, in words every renderer shares: the smallest
 * slowdown the interval excludes, how many more rounds would likely settle an inconclusive cell, p90 per
 * side beside the median, and the far-out runs set aside per side.
 */
import { formatChange, formatMs, formatProbability, plural, testName } from './format.js';
import type { CellReport, Report, TailResult } from './model.js';

/**
 * "a slowdown above +7% is ruled out" for a cell that is not a latency regression, with "; about 12 more
 * rounds would likely settle it" for an inconclusive one. Undefined for regressions and untested cells.
 */
export function ruledOutText(cell: CellReport): string | undefined {
  const l = cell.latency;
  if (!l || l.verdict === 'regression' || cell.presence !== 'both') return undefined;
  const above = l.ruledOut?.above;
  const bound =
    above === undefined ? 'too few runs to rule out any slowdown' : above >= 1 ? `a slowdown above ${formatChange(above)} is ruled out` : `any change above ${formatChange(above)} is ruled out (head is faster)`;
  const settle = l.roundsToSettle !== undefined ? `; about ${plural(l.roundsToSettle, 'more round')} would likely settle it` : '';
  return `${bound}${settle}`;
}

/** "median 8.1 s → 8.2 s · p90 9.0 s → 9.6 s". */
export function spreadText(cell: CellReport): string {
  const p90 = cell.base.p90Ms !== undefined || cell.head.p90Ms !== undefined ? ` · p90 ${formatMs(cell.base.p90Ms)} → ${formatMs(cell.head.p90Ms)}` : '';
  return `median ${formatMs(cell.base.medianMs)} → ${formatMs(cell.head.medianMs)}${p90}`;
}

/** "far-out runs set aside: 0 base, 2 head" (left out of the latency test); "no far-out run set aside" when none. */
export function setAsideText(cell: CellReport): string {
  const far = cell.latency?.farOut;
  return far ? `far-out runs set aside: ${far.base} base, ${far.head} head` : 'no far-out run set aside';
}

/** "Slow far-out runs over the matrix: 12 on head, 3 on base (q 0.06): …", or undefined without the test. */
export function tailText(report: Report): string | undefined {
  const tail: TailResult | null | undefined = report.pooledTail;
  if (!tail) return undefined;
  return `Slow far-out runs over the matrix (${tail.verdict}): ${tail.reason}`;
}

/**
 * "Failed runs over the matrix (regression): head 114/120 vs base 120/120 completed, Barnard's exact test, p=0.0068,
 * q=0.0097: …", the pooled success test that can fail a PR on its own; undefined without it or when no run failed.
 */
export function pooledSuccessText(report: Report): string | undefined {
  const pooled = report.pooledSuccess;
  if (!pooled || (pooled.base.ok === pooled.base.total && pooled.head.ok === pooled.head.total)) return undefined;
  const counts = `head ${pooled.head.ok}/${pooled.head.total} vs base ${pooled.base.ok}/${pooled.base.total} completed`;
  return `Failed runs over the matrix (${pooled.verdict}): ${counts}, ${testName(pooled.test)}, ${formatProbability('p', pooled.p)}, ${formatProbability('q', pooled.q)}: ${pooled.reason}`;
}
