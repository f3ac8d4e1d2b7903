/**
 * Success rate of a cell or of the whole matrix (DESIGN §5): failed and timed-out runs are failures.
 * One-sided Boschloo exact test for "head fails more often", Wilson intervals per side, and the
 * `max-new-failures` guard rail.
 */
import type { SuccessResult } from '../report/model.js';
import { boschloo } from '../stats/boschloo.js';
import { hypergeometricTable } from '../stats/hypergeometric.js';
import { wilsonInterval } from '../stats/wilson.js';

export const SUCCESS_CONFIDENCE = 0.9;

export interface SuccessCounts {
  ok: number;
  total: number;
}

export interface SuccessTest {
  base: SuccessResult['base'];
  head: SuccessResult['head'];
  /** max(0, head failures − base failures). */
  newFailures: number;
  /** One-sided p for "head fails more often than base". */
  p: number;
  /** One-sided p for "head fails less often" (drives the improvement verdict). */
  pFewer: number;
  /**
   * False when no run failed on either side: then no outcome with these margins could be significant
   * (p is exactly 1), and the test is left out of the Benjamini–Hochberg family (Tarone's pruning), so
   * `gate.alpha` is the false-alarm rate of an unchanged pull request; docs/statistics.md, "Multiplicity".
   */
  testable: boolean;
  /**
   * An upper bound on the smallest p these margins allow: Fisher's p of the most extreme table (every
   * failed run on head), which Boschloo's p never exceeds. Tarone's rule leaves the test out when it is
   * above what the test would need; a bound that is too high only keeps a test out that could rarely
   * reject, which never raises the false-alarm rate.
   */
  minP: number;
}

/** Returns null when a side has no counted run. */
export function testSuccess(base: SuccessCounts, head: SuccessCounts): SuccessTest | null {
  if (base.total === 0 || head.total === 0) return null;
  const baseFailures = base.total - base.ok;
  const headFailures = head.total - head.ok;
  const testable = baseFailures + headFailures > 0;
  return {
    base: describeSide(base),
    head: describeSide(head),
    newFailures: Math.max(0, headFailures - baseFailures),
    // With no failure at all every table with these margins is the observed one: p is exactly 1.
    p: testable ? moreFailuresP(base, head) : 1,
    pFewer: testable ? moreFailuresP(head, base) : 1,
    testable,
    minP: testable ? smallestFisherP(base.total, head.total, baseFailures + headFailures) : 1,
  };
}

/**
 * The exact smallest p these margins allow: Boschloo's p of the table with as many failed runs as possible on
 * head (its rejection region, the tables whose Fisher p is at most the extreme one's, is contained in every
 * other table's, so no table has a smaller p). At most `minP`; dearer, so callers ask only when `minP` is close.
 */
export function smallestSuccessP(test: SuccessTest): number {
  if (!test.testable) return 1;
  const failures = test.base.total - test.base.ok + test.head.total - test.head.ok;
  const onHead = Math.min(failures, test.head.total);
  return moreFailuresP({ ok: test.base.total - (failures - onHead), total: test.base.total }, { ok: test.head.total - onHead, total: test.head.total });
}

/** Fisher's one-sided p of the table with as many of the `failures` as possible on head: the hypergeometric mass at the extreme. */
function smallestFisherP(baseTotal: number, headTotal: number, failures: number): number {
  const table = hypergeometricTable(baseTotal + headTotal, failures, headTotal);
  return table.pmf[table.pmf.length - 1]!;
}

/** Boschloo p-values already computed, by table: the adaptive loop asks for the same tables look after look. */
const memo = new Map<string, number>();
const MEMO_SIZE = 20_000;

/** One-sided Boschloo p for "the second group fails more often than the first". */
function moreFailuresP(first: SuccessCounts, second: SuccessCounts): number {
  const key = `${first.ok},${first.total},${second.ok},${second.total}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  // As scipy.stats.boschloo_exact: the columns of [[a, b], [c, d]] are the two binomial samples and the
  // rows the outcome (failed, completed); 'less' asks whether the first column's failure rate is lower.
  const { p } = boschloo(first.total - first.ok, second.total - second.ok, first.ok, second.ok, 'less');
  const value = Number.isFinite(p) ? Math.min(1, p) : 1;
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(key, value);
  return value;
}

function describeSide(counts: SuccessCounts) {
  const interval = wilsonInterval(counts.ok, counts.total, SUCCESS_CONFIDENCE);
  return { ok: counts.ok, total: counts.total, rate: counts.ok / counts.total, ciLow: interval.low, ciHigh: interval.high };
}
