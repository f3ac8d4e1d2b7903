/**
 * Success rate of a cell or of the whole matrix (DESIGN §5): failed and timed-out runs are failures.
 * A one-sided exact unconditional test for "head fails more often" (Boschloo's per cell, Barnard's with the
 * pooled-variance statistic over the matrix: docs/statistics.md, "Flaky runs"), Wilson intervals per side, and
 * the `max-new-failures` guard rail.
 */
import type { SuccessResult } from '../report/model.js';
import { barnard } from '../stats/barnard.js';
import { boschloo } from '../stats/boschloo.js';
import { fisherExact } from '../stats/fisher.js';
import { hypergeometricTable } from '../stats/hypergeometric.js';
import { wilsonInterval } from '../stats/wilson.js';

export const SUCCESS_CONFIDENCE = 0.9;

export interface SuccessCounts {
  ok: number;
  total: number;
}

/**
 * Which exact test: Boschloo's (unconditional, Fisher's p as the statistic), Barnard's (unconditional, the pooled Wald
 * statistic), or Fisher's (conditional on the failures), which stands in for both above `UNCONDITIONAL_MAX_RUNS`.
 */
export type SuccessTestName = 'boschloo' | 'barnard' | 'fisher';

/**
 * The most runs (both sides together) an exact unconditional test is computed for. Its work grows with the square
 * of the runs (one call: 0.2 s at 2,400, 3 s at 20,000, 40 s at 80,000, for both tests), and a
 * 100,000-cell matrix pools millions. Above it the test is Fisher's exact test, whose work grows with the number of
 * failed runs only: still exact, more conservative (for 0 failed base runs against 5 of 3,000 on head, Fisher
 * p = 0.031 where Barnard's is 0.013), and the report names it (`test: "fisher"`).
 */
export const UNCONDITIONAL_MAX_RUNS = 4_000;

export interface SuccessTest {
  test: SuccessTestName;
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
   * Boschloo: an upper bound on the smallest p these margins allow, Fisher's p of the most extreme table (every
   * failed run on head), which Boschloo's p never exceeds. Barnard: that smallest p itself (`smallestSuccessP`).
   * Fisher: Fisher's p of the extreme table, its smallest p exactly.
   * Tarone's rule leaves the test out when it is above what the test would need; a bound that is too high only
   * keeps a test out that could rarely reject, which never raises the false-alarm rate.
   */
  minP: number;
}

/** Returns null when a side has no counted run. */
export function testSuccess(base: SuccessCounts, head: SuccessCounts, test: SuccessTestName = 'boschloo'): SuccessTest | null {
  if (base.total === 0 || head.total === 0) return null;
  const baseFailures = base.total - base.ok;
  const headFailures = head.total - head.ok;
  const testable = baseFailures + headFailures > 0;
  if (base.total + head.total > UNCONDITIONAL_MAX_RUNS) test = 'fisher';
  const failures = baseFailures + headFailures;
  return {
    test,
    base: describeSide(base),
    head: describeSide(head),
    newFailures: Math.max(0, headFailures - baseFailures),
    // With no failure at all every table with these margins is the observed one: p is exactly 1.
    p: testable ? moreFailuresP(test, base, head) : 1,
    pFewer: testable ? moreFailuresP(test, head, base) : 1,
    testable,
    // Barnard's p of the extreme table may exceed Fisher's; its own smallest p is cheap enough for one pooled test.
    minP: !testable ? 1 : test === 'barnard' ? extremeP(test, base.total, head.total, failures) : smallestFisherP(base.total, head.total, failures),
  };
}

/**
 * The exact smallest p these margins allow: the test's p of the table with as many failed runs as possible on
 * head (its rejection region — the tables whose Fisher p is at most the extreme one's, or whose Wald statistic is
 * at least the extreme one's — is contained in every other table's, so no table has a smaller p). For Boschloo at
 * most `minP`, and dearer, so callers ask only when `minP` is close.
 */
export function smallestSuccessP(test: SuccessTest): number {
  if (!test.testable) return 1;
  return extremeP(test.test, test.base.total, test.head.total, test.base.total - test.base.ok + test.head.total - test.head.ok);
}

/** The test's p of the table with as many of the `failures` as possible on head. */
function extremeP(test: SuccessTestName, baseTotal: number, headTotal: number, failures: number): number {
  const onHead = Math.min(failures, headTotal);
  return moreFailuresP(test, { ok: baseTotal - (failures - onHead), total: baseTotal }, { ok: headTotal - onHead, total: headTotal });
}

/** Fisher's one-sided p of the table with as many of the `failures` as possible on head: the hypergeometric mass at the extreme. */
function smallestFisherP(baseTotal: number, headTotal: number, failures: number): number {
  const table = hypergeometricTable(baseTotal + headTotal, failures, headTotal);
  return table.pmf[table.pmf.length - 1]!;
}

/** p-values already computed, by test and table: the adaptive loop asks for the same tables look after look. */
const memo = new Map<string, number>();
const MEMO_SIZE = 20_000;

/** One-sided p for "the second group fails more often than the first". */
function moreFailuresP(test: SuccessTestName, first: SuccessCounts, second: SuccessCounts): number {
  const key = `${test},${first.ok},${first.total},${second.ok},${second.total}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  // As scipy.stats.boschloo_exact and barnard_exact: the columns of [[a, b], [c, d]] are the two binomial samples
  // and the rows the outcome (failed, completed); 'less' asks whether the first column's failure rate is lower.
  const { p } = (test === 'barnard' ? barnard : test === 'fisher' ? fisherExact : boschloo)(first.total - first.ok, second.total - second.ok, first.ok, second.ok, 'less');
  const value = Number.isFinite(p) ? Math.min(1, p) : 1;
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(key, value);
  return value;
}

function describeSide(counts: SuccessCounts) {
  const interval = wilsonInterval(counts.ok, counts.total, SUCCESS_CONFIDENCE);
  return { ok: counts.ok, total: counts.total, rate: counts.ok / counts.total, ciLow: interval.low, ciHigh: interval.high };
}
