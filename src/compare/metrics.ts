/**
 * Metrics beyond latency, per cell (README "Metrics"): own time and model time (from model spans) and the
 * metrics the pipeline reports. Each is tested like latency (testShift: rank test on logs, paired by
 * round when the rounds share noise, Hodges–Lehmann ratio with its 90% interval), one-sided in the
 * metric's bad direction, and joins the PR's one Benjamini–Hochberg family. Values a completed run did
 * not give are counted as missing and left out, never taken as 0. `unchanged` reads the same look-adjusted
 * bound as latency for lower-is-better metrics, the 90% interval for higher-is-better ones.
 */
import type { MetricConfig } from '../config/schema.js';
import type { RunLine } from '../results/format.js';
import type { MetricResult } from '../report/model.js';
import { median, pairByRound, type CellRuns } from './cells.js';
import type { GateSettings } from './settings.js';
import { roundsShareNoise, testShift, type ShiftTest } from './shift-test.js';
import { latencyVerdict } from './verdict.js';

export const OWN_TIME = 'ownMs';
export const MODEL_TIME = 'modelMs';

/** What is compared for one metric, and how. */
export interface MetricSpec {
  name: string;
  /** How reports name it: "own time", "model time", or the configured name. */
  label: string;
  unit: string;
  direction: 'lower' | 'higher';
  minChange: number;
  gate: boolean;
}

export interface MetricOptions {
  /** gate.own-time: gate own time where model spans are present (default true). */
  ownTime: boolean;
  /**
   * False when the base was measured at another time (`baseline: artifact`): the provider may have
   * drifted, so model time is shown but marked not comparable, and the gate reads own time, not latency.
   */
  modelComparable: boolean;
}

/** Own time and model time first, then the configured metrics in config order. */
export function metricSpecs(metrics: readonly MetricConfig[], gate: Pick<GateSettings, 'minChange'>, options: MetricOptions): MetricSpec[] {
  return [
    { name: OWN_TIME, label: 'own time', unit: 'ms', direction: 'lower', minChange: gate.minChange, gate: options.ownTime || !options.modelComparable },
    { name: MODEL_TIME, label: 'model time', unit: 'ms', direction: 'lower', minChange: gate.minChange, gate: false },
    ...metrics.map((m) => ({
      name: m.name,
      label: m.name,
      unit: m.builtin === 'peak-rss' && m.unit === '' ? 'MB' : m.unit,
      direction: m.direction,
      minChange: m['min-change'] ?? gate.minChange,
      gate: m.gate,
    })),
  ];
}

/** One metric of one cell before multiplicity: the test (null when a side has no value) and the values. */
export interface MetricWork {
  spec: MetricSpec;
  test: ShiftTest | null;
  base: SideValues;
  head: SideValues;
  /** p of the regression direction and of the improvement direction (swapped for higher-is-better). */
  pWorse: number;
  pBetter: number;
}

interface SideValues {
  values: number[];
  missing: number;
}

/**
 * The metric tests of one compared cell. A metric no run of the cell reported on either side (e.g. own
 * time in a pipeline without model spans) is left out; one reported on one side only is kept, untested.
 */
export function testCellMetrics(runs: CellRuns, specs: readonly MetricSpec[], boundLevel?: number): MetricWork[] {
  const work: MetricWork[] = [];
  for (const spec of specs) {
    const base = sideValues(runs.base, spec.name);
    const head = sideValues(runs.head, spec.name);
    if (base.values.length === 0 && head.values.length === 0) continue;
    const test = base.values.length > 0 && head.values.length > 0 ? shiftTestOf(runs, spec.name, base, head, boundLevel) : null;
    const worse = spec.direction === 'lower' ? test?.p : test?.pFaster;
    const better = spec.direction === 'lower' ? test?.pFaster : test?.p;
    work.push({ spec, test, base, head, pWorse: worse ?? 1, pBetter: better ?? 1 });
  }
  return work;
}

/** The metric's verdict and the report's entry, once BH has given q (worse) and qBetter. */
export function metricResult(work: MetricWork, q: number, qBetter: number, gate: GateSettings, alpha: number, modelComparable: boolean, boundLevel?: number): MetricResult {
  const { spec, test } = work;
  const baseMedian = work.base.values.length > 0 ? median(work.base.values) : null;
  const headMedian = work.head.values.length > 0 ? median(work.head.values) : null;
  const side = (s: SideValues, med: number | null) => ({ n: s.values.length, missing: s.missing, median: med, samples: s.values });
  const common = {
    name: spec.name,
    label: spec.label,
    unit: spec.unit,
    direction: spec.direction,
    gate: spec.gate,
    base: side(work.base, baseMedian),
    head: side(work.head, headMedian),
  };
  const notComparable = spec.name === MODEL_TIME && !modelComparable;
  if (!test || baseMedian === null || headMedian === null) {
    const empty = work.base.values.length === 0 ? 'base' : 'head';
    return { ...common, ratio: null, ciLow: null, ciHigh: null, p: null, q: null, verdict: 'inconclusive', reason: `no ${spec.label} value on the ${empty} side (${work[empty].missing} completed runs without one)` };
  }
  // Verdict rules of latency, on the ratio oriented so that > 1 is worse.
  const lower = spec.direction === 'lower';
  const evidence = lower
    ? { ratio: test.ratio, ciLow: test.ciLow, ciHigh: test.ciHigh, baseMedianMs: baseMedian, headMedianMs: headMedian, ...(boundLevel !== undefined && test.ruledOutAbove !== undefined ? { ruledOutAbove: test.ruledOutAbove, boundLevel } : {}) }
    : { ratio: 1 / test.ratio, ciLow: 1 / test.ciHigh, ciHigh: 1 / test.ciLow, baseMedianMs: headMedian, headMedianMs: baseMedian };
  const judged = latencyVerdict({ ...evidence, q, qFaster: qBetter }, { ...gate, minChange: spec.minChange, minAbsMs: 0 }, alpha);
  const verdict = notComparable ? 'inconclusive' : judged.verdict;
  const reason = notComparable
    ? 'not comparable: the base was measured at another time (baseline: artifact), when the provider may have been faster or slower'
    : lower
      ? judged.reason
      : `${judged.reason} (higher is better: changes read base/head)`;
  return {
    ...common,
    test: test.test,
    method: test.method,
    ratio: test.ratio,
    ciLow: test.ciLow,
    ciHigh: test.ciHigh,
    p: work.pWorse,
    q,
    verdict,
    reason,
    ...(notComparable ? { comparable: false } : {}),
  };
}

function sideValues(runs: readonly RunLine[], name: string): SideValues {
  const values: number[] = [];
  let missing = 0;
  for (const run of runs) {
    if (run.status !== 'completed') continue;
    const value = valueOf(run, name);
    if (value === undefined) missing++;
    else values.push(value);
  }
  return { values, missing };
}

function valueOf(run: RunLine, name: string): number | undefined {
  const value = run.metrics && Object.hasOwn(run.metrics, name) ? run.metrics[name] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Paired by round when both sides ran the same rounds and the rounds share noise, as latency is. */
function shiftTestOf(runs: CellRuns, name: string, base: SideValues, head: SideValues, boundLevel: number | undefined): ShiftTest | null {
  const pairing = pairByRound(runs.base, runs.head);
  const pairs = pairing.pairs.flatMap((p) => {
    const b = valueOf(p.base, name);
    const h = valueOf(p.head, name);
    return b === undefined || h === undefined ? [] : [{ base: b, head: h }];
  });
  const shared = pairing.paired && roundsShareNoise(pairs).shared;
  const options = boundLevel === undefined ? {} : { boundLevel };
  return testShift(shared ? { paired: true, pairs } : { paired: false, base: base.values, head: head.values }, options);
}
