/**
 * The test of a span path present on one side only (DESIGN §4: absent = 0 ms). One side is all zeros, so a
 * ratio head/base is undefined (or infinite) and logs are out: the same rank tests as testShift run on
 * milliseconds, and the effect is the Hodges–Lehmann shift head − base in ms with its 90% interval.
 * Ranks do not change under the log, so p is what the log-scale test would give; only the effect differs.
 */
import { hodgesLehmannPaired, hodgesLehmannShift } from '../stats/hodges-lehmann.js';
import { mannWhitneyU } from '../stats/mann-whitney.js';
import { wilcoxonSignedRank } from '../stats/wilcoxon.js';
import type { LatencyResult } from '../report/model.js';
import type { GateSettings } from './settings.js';
import { INTERVAL_CONFIDENCE, type ShiftSamples } from './shift-test.js';
import type { CellVerdict } from '../report/model.js';

export interface AbsoluteShiftTest extends Pick<LatencyResult, 'test' | 'method' | 'n' | 'p'> {
  pFaster: number;
  /** Hodges–Lehmann shift head − base (ms) and its 90% interval; the interval is the data's range when too few values allow one. */
  shiftMs: number;
  ciLowMs: number;
  ciHighMs: number;
}

/**
 * Wilcoxon signed-rank on per-round differences head − base (ms) when paired, Mann–Whitney U on the two
 * sides' ms otherwise. Null when a side has no value.
 */
export function testAbsoluteShift(samples: ShiftSamples): AbsoluteShiftTest | null {
  if (samples.paired) {
    const d = samples.pairs.map((p) => p.head - p.base);
    if (d.length === 0) return null;
    const slower = wilcoxonSignedRank(d, 'greater');
    const hl = hodgesLehmannPaired(d, INTERVAL_CONFIDENCE);
    return {
      test: 'wilcoxon-signed-rank',
      method: slower.method,
      n: { base: d.length, head: d.length, pairs: d.length },
      p: slower.p,
      pFaster: wilcoxonSignedRank(d, 'less').p,
      ...shift(hl, Math.min(...d), Math.max(...d)),
    };
  }
  const { base, head } = samples;
  if (base.length === 0 || head.length === 0) return null;
  const slower = mannWhitneyU(head, base, 'greater');
  const hl = hodgesLehmannShift(base, head, INTERVAL_CONFIDENCE);
  return {
    test: 'mann-whitney',
    method: slower.method,
    n: { base: base.length, head: head.length },
    p: slower.p,
    pFaster: mannWhitneyU(head, base, 'less').p,
    ...shift(hl, Math.min(...head) - Math.max(...base), Math.max(...head) - Math.min(...base)),
  };
}

function shift(hl: { estimate: number; low: number; high: number }, smallest: number, largest: number) {
  const bounded = Number.isFinite(hl.low) && Number.isFinite(hl.high);
  return { shiftMs: hl.estimate, ciLowMs: bounded ? hl.low : smallest, ciHighMs: bounded ? hl.high : largest };
}

/**
 * The verdict of a path added or removed, on its absolute effect. The change that matters is
 * min-change of the cell's base median latency (what the same relative change of the whole run would
 * be), and at least min-abs-ms: `regression` when q ≤ α and the shift reaches it, `improvement` the mirror
 * image, `unchanged` when the interval's upper end stays below it, otherwise `inconclusive`.
 */
export function absoluteVerdict(
  e: { test: AbsoluteShiftTest; q: number; qFaster: number },
  cellBaseMedianMs: number | null,
  gate: GateSettings,
): CellVerdict {
  const thresholdMs = Math.max(gate.minAbsMs, gate.minChange * (cellBaseMedianMs ?? 0));
  if (e.q <= gate.alpha && e.test.shiftMs >= thresholdMs && e.test.shiftMs > 0) return 'regression';
  if (e.qFaster <= gate.alpha && e.test.shiftMs <= -thresholdMs && e.test.shiftMs < 0) return 'improvement';
  if (e.test.ciHighMs < thresholdMs) return 'unchanged';
  return 'inconclusive';
}
