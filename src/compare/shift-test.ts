/**
 * The latency test of DESIGN §5 on one cell (or one span path): a rank test on log latencies and the
 * Hodges–Lehmann ratio head/base with its exact 90% interval. Logs make the effect a ratio, so scaling
 * every latency by a constant changes nothing.
 */
import { farOutFences, farOutFencesSorted, rareFarOut } from '../stats/far-out.js';
import type { FarOutStratum } from '../stats/far-out-sides.js';
import { hodgesLehmannPairedAt, hodgesLehmannShiftAt } from '../stats/hodges-lehmann.js';
import { mannWhitneyUAt, type MannWhitneyResult } from '../stats/mann-whitney.js';
import { normalQuantile } from '../stats/normal.js';
import { sortInPlace, zerosInSortOrder } from '../stats/order-statistic.js';
import { averageRanks } from '../stats/rank.js';
import { wilcoxonSignedRank } from '../stats/wilcoxon.js';
import type { LatencyResult } from '../report/model.js';

export const INTERVAL_CONFIDENCE = 0.9;

/** Latencies below this (ms) are clamped before taking logs: a 0 ms span has no finite log. */
const FLOOR_MS = 1e-3;

export type ShiftSamples =
  | { paired: true; pairs: { base: number; head: number }[] }
  | { paired: false; base: number[]; head: number[] };

/** The report's latency fields the test decides (test, method, n, ratio with its interval, p for "head is slower"), and more. */
export interface ShiftTest extends Pick<LatencyResult, 'test' | 'method' | 'n' | 'ratio' | 'ciLow' | 'ciHigh' | 'p' | 'farOut'> {
  /** One-sided p for "head is faster" (drives the improvement verdict). */
  pFaster: number;
  /** Set when the data made the test degenerate (every value equal): the reason, for the report's notes. */
  degenerate?: string;
  /** True when too few values allow a 90% interval: the interval shown is then the range of the data. */
  rangeInterval?: boolean;
  /**
   * Upper end of the ratio's one-sided interval at level `boundLevel` (Infinity when too few values allow
   * one): a slowdown above it is ruled out at that level. The `unchanged` verdict reads it.
   */
  ruledOutAbove: number;
  /**
   * Slow far-out values by side, counted beyond the same label-free fences whether or not they were set
   * aside (paired: rounds whose ratio is far out, by the side that was slow): the cell's stratum of the
   * matrix-level tail test (stats/far-out-sides.ts).
   */
  slowFarOut: FarOutStratum;
}

/** Options of `testShift`. */
export interface ShiftOptions {
  /** One-sided level of `ruledOutAbove` (default 0.05: the upper end of the 90% interval). */
  boundLevel?: number;
}

/**
 * Log latency, rounded to 1e-9: values that agree to nine digits are ties, so rounding noise in the last
 * bits (e.g. after every latency is scaled by a constant) can neither create nor break a tie.
 */
const log = (ms: number) => snap(Math.log(Math.max(ms, FLOOR_MS)));
const snap = (x: number) => Math.round(x * 1e9) / 1e9;

/**
 * At most one value in ten that a test reads (runs unpaired, rounds paired; rounded up) may be set aside
 * as far-out: a 2–5× cold start or retry in a run or two says nothing about the change under test, yet
 * costs a rank test real power (one slow base run outranks every head run). More far-out values than that
 * are the cell's pattern (a second mode, a side that moved far), and all of them stay in.
 * docs/statistics.md, "Far-out runs".
 */
export const FAR_OUT_SHARE = 0.1;

/**
 * Wilcoxon signed-rank on per-round log ratios head − base when paired, Mann–Whitney U on log latencies
 * otherwise, after setting aside rare far-out values (Tukey's 3·IQR fences). Returns null when a side has
 * no value to test.
 *
 * The fences are computed from what the test's null hypothesis leaves unchanged, so the test stays exact:
 * unpaired, from both sides' values pooled (under no change every split of the pool into base and head is
 * equally likely, whichever values are set aside); paired, from the differences and their negatives
 * (under no change every sign pattern is equally likely, and the fences ignore signs).
 */
export function testShift(samples: ShiftSamples, options: ShiftOptions = {}): ShiftTest | null {
  const boundLevel = options.boundLevel ?? (1 - INTERVAL_CONFIDENCE) / 2;
  return samples.paired ? pairedTest(samples.pairs, boundLevel) : unpairedTest(samples.base, samples.head, boundLevel);
}

/** Slow far-out values by side beyond Tukey's fences of `values` (which must not depend on the labels). */
function slowFarOutCounts(fences: { low: number; high: number } | null, base: readonly number[], head: readonly number[]): { base: number; head: number } {
  if (!fences) return { base: 0, head: 0 };
  return { base: countAbove(base, fences.high), head: countAbove(head, fences.high) };
}

const NONE: ReadonlySet<number> = new Set();

/** The indexes as a set; most cells have no far-out value, and then no set is built. */
function asSet(indexes: number[]): ReadonlySet<number> {
  return indexes.length > 0 ? new Set(indexes) : NONE;
}

function countAbove(values: readonly number[], limit: number): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > limit) count++;
  return count;
}

function pairedTest(pairs: { base: number; head: number }[], boundLevel: number): ShiftTest | null {
  if (pairs.length === 0) return null;
  const all = pairs.map((p) => snap(log(p.head) - log(p.base)));
  // Each far-out round appears twice among the differences and their negatives.
  const maxRounds = Math.ceil(FAR_OUT_SHARE * all.length);
  const mirrored = [...all, ...all.map((x) => -x)];
  const fences = farOutFences(mirrored);
  const far = asSet(rareFarOut(mirrored, 2 * maxRounds, fences).filter((i) => i < all.length));
  const d = far.size > 0 && far.size < all.length ? all.filter((_, i) => !far.has(i)) : all;
  const farOut = d === all ? undefined : countFarOut([...far].map((i) => (all[i]! > 0 ? 'head' : 'base')));
  const n = { base: d.length, head: d.length, pairs: d.length };
  // The fences of the differences and their negatives ignore signs: a far-out round is slow on head (d > 0) or on base.
  const symmetric = slowFarOutCounts(fences, all.map((x) => -x), all);
  const slowFarOut: FarOutStratum = { paired: true, farOut: symmetric.base + symmetric.head, headFarOut: symmetric.head };
  if (d.every((x) => x === 0)) {
    return { ...noChange('wilcoxon-signed-rank', n, slowFarOut), degenerate: 'every round had the same latency on both sides' };
  }
  const slower = wilcoxonSignedRank(d, 'greater');
  const faster = wilcoxonSignedRank(d, 'less');
  const [hl, bound] = hodgesLehmannPairedAt(d, [INTERVAL_CONFIDENCE, 1 - 2 * boundLevel]);
  return {
    test: 'wilcoxon-signed-rank',
    method: slower.method,
    n,
    ...effect(hl!, () => ({ smallest: Math.min(...d), largest: Math.max(...d) })),
    ruledOutAbove: upperBound(bound!.high),
    slowFarOut,
    p: finiteOr(slower.p, 1),
    pFaster: finiteOr(faster.p, 1),
    ...(farOut ? { farOut } : {}),
  };
}

function unpairedTest(baseMs: number[], headMs: number[], boundLevel: number): ShiftTest | null {
  if (baseMs.length === 0 || headMs.length === 0) return null;
  // Everything below reads each side as a multiset, so each side is sorted once here: the rank sum, the
  // pairwise differences and the fences then find their values in order instead of sorting them again.
  // A NaN (a hand-built run without latency: files never hold one) leaves both in input order, as before:
  // with a NaN the rank tests' results depend on the order.
  const allBase = logsOf(baseMs);
  const allHead = logsOf(headMs);
  const unordered = hasNaN(allBase) || hasNaN(allHead);
  if (!unordered) {
    sortInPlace(allBase);
    sortInPlace(allHead);
  }
  const pooled = [...allBase, ...allHead];
  const fences = unordered ? farOutFences(pooled) : farOutFencesSorted(mergeAscending(allBase, allHead));
  const far = asSet(rareFarOut(pooled, Math.ceil(FAR_OUT_SHARE * pooled.length), fences));
  const keptBase = far.size > 0 ? allBase.filter((_, i) => !far.has(i)) : allBase;
  const keptHead = far.size > 0 ? allHead.filter((_, i) => !far.has(allBase.length + i)) : allHead;
  // A side is never set aside whole: with one or two runs left, its far-out value is all there is to test.
  const setAside = far.size > 0 && keptBase.length > 0 && keptHead.length > 0;
  const base = setAside ? keptBase : allBase;
  const head = setAside ? keptHead : allHead;
  const farOut = setAside ? countFarOut([...far].map((i) => (i < allBase.length ? 'base' : 'head'))) : undefined;
  const n = { base: base.length, head: head.length };
  const slow = slowFarOutCounts(fences, allBase, allHead);
  const slowFarOut: FarOutStratum = { paired: false, total: pooled.length, head: allHead.length, farOut: slow.base + slow.head, headFarOut: slow.head };
  const first = base[0]!;
  if (base.every((x) => x === first) && head.every((x) => x === first)) {
    return { ...noChange('mann-whitney', n, slowFarOut), degenerate: 'every run had the same latency on both sides' };
  }
  const [slower, faster] = mannWhitneyUAt(head, base, ['greater', 'less']) as [MannWhitneyResult, MannWhitneyResult];
  const [hl, bound] = hodgesLehmannShiftAt(base, head, [INTERVAL_CONFIDENCE, 1 - 2 * boundLevel]);
  return {
    test: 'mann-whitney',
    method: slower.method,
    n,
    ...effect(hl!, () => ({ smallest: Math.min(...head) - Math.max(...base), largest: Math.max(...head) - Math.min(...base) })),
    ruledOutAbove: upperBound(bound!.high),
    slowFarOut,
    p: finiteOr(slower.p, 1),
    pFaster: finiteOr(faster.p, 1),
    ...(farOut ? { farOut } : {}),
  };
}

/**
 * The log latencies in a fresh array of unboxed doubles: `map(log)` made an array of boxed numbers, and
 * every move of the in-place sort that follows allocated a number again.
 */
function logsOf(ms: readonly number[]): number[] {
  const logs = new Array<number>(ms.length);
  for (let i = 0; i < ms.length; i++) logs[i] = log(ms[i]!);
  return logs;
}

function hasNaN(values: readonly number[]): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return true;
  return false;
}

/** Two ascending samples merged into one, in the native sort's order (−0 before +0). */
function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  const merged = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let out = 0;
  let zero = false;
  while (i < a.length || j < b.length) {
    const value = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (value === 0) zero = true;
    merged[out++] = value;
  }
  if (zero) zerosInSortOrder(merged);
  return merged;
}

function countFarOut(sides: ('base' | 'head')[]): NonNullable<ShiftTest['farOut']> {
  return { base: sides.filter((s) => s === 'base').length, head: sides.filter((s) => s === 'head').length };
}

/**
 * The ratio and its interval from a Hodges–Lehmann estimate on logs. With too few values for a 90%
 * interval the ends are unbounded; the report then shows the range of the data (smallest and largest
 * possible shift) so every number stays finite.
 */
function effect(
  hl: { estimate: number; low: number; high: number },
  range: () => { smallest: number; largest: number },
): Pick<ShiftTest, 'ratio' | 'ciLow' | 'ciHigh' | 'rangeInterval'> {
  if (Number.isFinite(hl.low) && Number.isFinite(hl.high)) return { ratio: Math.exp(hl.estimate), ciLow: Math.exp(hl.low), ciHigh: Math.exp(hl.high) };
  // The range only when it is shown: spreading every cell's samples into Math.min and Math.max cost more.
  const { smallest, largest } = range();
  return { ratio: Math.exp(hl.estimate), ciLow: Math.exp(smallest), ciHigh: Math.exp(largest), rangeInterval: true };
}

/** Identical data on both sides: no evidence of any change, and an interval that is the point 1. */
function noChange(test: ShiftTest['test'], n: ShiftTest['n'], slowFarOut: FarOutStratum): ShiftTest {
  return { test, method: 'exact', n, ratio: 1, ciLow: 1, ciHigh: 1, p: 1, pFaster: 1, ruledOutAbove: 1, slowFarOut };
}

/** exp of a Hodges–Lehmann interval's upper end; Infinity when too few values give such an interval (no slowdown can be ruled out then). */
function upperBound(high: number): number {
  return Number.isFinite(high) ? Math.exp(high) : Infinity;
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/** One-sided level at which the rounds' shared noise must show for the paired test to be used. */
export const SHARED_NOISE_LEVEL = 0.01;

/**
 * Whether pairing by round pays: Spearman's rank correlation r between base and head latency across the
 * rounds, and whether it is significantly positive at SHARED_NOISE_LEVEL, by the Fisher transform with
 * Fieller, Hartley & Pearson's variance: atanh(r)·√((n − 3)/1.06) ≥ z₀.₉₉ = 2.326 (needs r ≥ 0.94 over 5
 * rounds, 0.72 over 10, 0.52 over 20). Rounds that share noise (a busy model API, drift over the job)
 * move both sides together and the per-round ratio cancels it. Without shared noise pairing only costs:
 * 20 pairs have far fewer sign patterns than 20 + 20 runs have orderings, and one 2–5× outlier takes the
 * largest signed rank, so Mann–Whitney is the stronger test (docs/statistics.md, "Paired or unpaired").
 *
 * Why a rank correlation: with independent runs, r reads only the order of the rounds within each side,
 * which is independent of the two samples Mann–Whitney reads, so Mann–Whitney stays exact when chosen.
 * The paired test, chosen only when r is high, then rejects more often than its level; at level 0.01 it is
 * chosen for about 1% of cells with independent runs, and the two together rejected 0.47% of cells where
 * Mann–Whitney alone rejected 0.44% (threshold 0.004, measured; docs/statistics.md).
 */
export function roundsShareNoise(pairs: readonly { base: number; head: number }[]): { shared: boolean; r: number } {
  return sidesShareNoise(
    pairs.map((p) => p.base),
    pairs.map((p) => p.head),
  );
}

/** roundsShareNoise of the rounds' base and head latencies given side by side (base[i] and head[i]: round i). */
export function sidesShareNoise(base: readonly number[], head: readonly number[]): { shared: boolean; r: number } {
  const n = base.length;
  if (n < 4) return { shared: false, r: 0 };
  const baseRanks = averageRanks(base).ranks;
  const headRanks = averageRanks(head).ranks;
  const center = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const x = baseRanks[i]! - center;
    const y = headRanks[i]! - center;
    sxy += x * y;
    sxx += x * x;
    syy += y * y;
  }
  const r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
  const z = r >= 1 ? Infinity : Math.atanh(r) * Math.sqrt((n - 3) / 1.06);
  return { shared: z >= normalQuantile(1 - SHARED_NOISE_LEVEL), r };
}
