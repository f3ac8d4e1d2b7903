/**
 * The latency test of DESIGN §5 on one cell (or one span path): a rank test on log latencies and the
 * Hodges–Lehmann ratio head/base with its exact 90% interval. Logs make the effect a ratio, so scaling
 * every latency by a constant changes nothing.
 */
import { hodgesLehmannPaired, hodgesLehmannShift } from '../stats/hodges-lehmann.js';
import { mannWhitneyU } from '../stats/mann-whitney.js';
import { wilcoxonSignedRank } from '../stats/wilcoxon.js';

export const INTERVAL_CONFIDENCE = 0.9;

/** Latencies below this (ms) are clamped before taking logs: a 0 ms span has no finite log. */
const FLOOR_MS = 1e-3;

export type ShiftSamples =
  | { paired: true; pairs: { base: number; head: number }[] }
  | { paired: false; base: number[]; head: number[] };

export interface ShiftTest {
  test: 'wilcoxon-signed-rank' | 'mann-whitney';
  method: 'exact' | 'asymptotic';
  n: { base: number; head: number; pairs?: number };
  ratio: number;
  ciLow: number;
  ciHigh: number;
  /** One-sided p for "head is slower". */
  p: number;
  /** One-sided p for "head is faster" (drives the improvement verdict). */
  pFaster: number;
  /** Set when the data made the test degenerate (every value equal): the reason, for the report's notes. */
  degenerate?: string;
  /** True when too few values allow a 90% interval: the interval shown is then the range of the data. */
  rangeInterval?: boolean;
}

/**
 * Log latency, rounded to 1e-9: values that agree to nine digits are ties, so rounding noise in the last
 * bits (e.g. after every latency is scaled by a constant) can neither create nor break a tie.
 */
const log = (ms: number) => snap(Math.log(Math.max(ms, FLOOR_MS)));
const snap = (x: number) => Math.round(x * 1e9) / 1e9;

/**
 * Wilcoxon signed-rank on per-round log ratios head − base when paired, Mann–Whitney U on log latencies
 * otherwise. Returns null when a side has no value to test.
 */
export function testShift(samples: ShiftSamples): ShiftTest | null {
  return samples.paired ? pairedTest(samples.pairs) : unpairedTest(samples.base, samples.head);
}

function pairedTest(pairs: { base: number; head: number }[]): ShiftTest | null {
  if (pairs.length === 0) return null;
  const d = pairs.map((p) => snap(log(p.head) - log(p.base)));
  const n = { base: pairs.length, head: pairs.length, pairs: pairs.length };
  if (d.every((x) => x === 0)) {
    return { ...noChange('wilcoxon-signed-rank', n), degenerate: 'every round had the same latency on both sides' };
  }
  const slower = wilcoxonSignedRank(d, 'greater');
  const faster = wilcoxonSignedRank(d, 'less');
  const hl = hodgesLehmannPaired(d, INTERVAL_CONFIDENCE);
  return {
    test: 'wilcoxon-signed-rank',
    method: slower.method,
    n,
    ...effect(hl, Math.min(...d), Math.max(...d)),
    p: finiteOr(slower.p, 1),
    pFaster: finiteOr(faster.p, 1),
  };
}

function unpairedTest(baseMs: number[], headMs: number[]): ShiftTest | null {
  if (baseMs.length === 0 || headMs.length === 0) return null;
  const base = baseMs.map(log);
  const head = headMs.map(log);
  const n = { base: base.length, head: head.length };
  const first = base[0]!;
  if (base.every((x) => x === first) && head.every((x) => x === first)) {
    return { ...noChange('mann-whitney', n), degenerate: 'every run had the same latency on both sides' };
  }
  const slower = mannWhitneyU(head, base, 'greater');
  const faster = mannWhitneyU(head, base, 'less');
  const hl = hodgesLehmannShift(base, head, INTERVAL_CONFIDENCE);
  return {
    test: 'mann-whitney',
    method: slower.method,
    n,
    ...effect(hl, Math.min(...head) - Math.max(...base), Math.max(...head) - Math.min(...base)),
    p: finiteOr(slower.p, 1),
    pFaster: finiteOr(faster.p, 1),
  };
}

/**
 * The ratio and its interval from a Hodges–Lehmann estimate on logs. With too few values for a 90%
 * interval the ends are unbounded; the report then shows the range of the data (smallest and largest
 * possible shift) so every number stays finite.
 */
function effect(hl: { estimate: number; low: number; high: number }, smallest: number, largest: number): Pick<ShiftTest, 'ratio' | 'ciLow' | 'ciHigh' | 'rangeInterval'> {
  const bounded = Number.isFinite(hl.low) && Number.isFinite(hl.high);
  return {
    ratio: Math.exp(hl.estimate),
    ciLow: Math.exp(bounded ? hl.low : smallest),
    ciHigh: Math.exp(bounded ? hl.high : largest),
    ...(bounded ? {} : { rangeInterval: true }),
  };
}

/** Identical data on both sides: no evidence of any change, and an interval that is the point 1. */
function noChange(test: ShiftTest['test'], n: ShiftTest['n']): ShiftTest {
  return { test, method: 'exact', n, ratio: 1, ciLow: 1, ciHigh: 1, p: 1, pFaster: 1 };
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}
