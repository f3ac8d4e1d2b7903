import { describe, expect, it } from 'vitest';
import type { RunLine } from '../results/format.js';
import type { ResultsFile } from '../results/read.js';
import { compareResults, DEFAULT_GATE } from './compare.js';
import { metricSpecs } from './metrics.js';
import { roundsNeeded, roundsNeededText } from './rounds-needed.js';

/** A side of one cell: per round, own and model time (latency is their sum) and optional other metrics. */
function side(name: 'base' | 'head', rounds: { own: number; model: number; extra?: Record<string, number> }[]): ResultsFile {
  const runs: RunLine[] = rounds.map((r, i) => ({
    type: 'run', id: `${name}-${i}`, side: name, input: 'pirouette', variant: 'wide', round: i + 1, status: 'completed',
    latencyMs: r.own + r.model, granularity: 'coarse', phase: 'measure',
    metrics: { ownMs: r.own, modelMs: r.model, ...r.extra },
  }));
  return { file: `${name}.jsonl`, runs, spans: [], warnings: [] };
}

// Deterministic spreads: model time swings ±25% around 8 s, own time ±2% around 1 s.
const swing = (i: number, width: number) => 1 + width * Math.sin(i * 2.399963);
const rounds = (ownFactor: number, n = 12, extra?: (i: number) => Record<string, number>) =>
  Array.from({ length: n }, (_, i) => ({ own: 1000 * ownFactor * swing(i + 7, 0.02), model: 8000 * swing(i, 0.25), ...(extra ? { extra: extra(i) } : {}) }));

describe('metrics in the comparison', () => {
  it('own time catches a 15% regression that model-time noise hides from total latency, and the cell fails on it', () => {
    const report = compareResults({ base: side('base', rounds(1)), head: side('head', rounds(1.15)), gate: { ...DEFAULT_GATE, successRate: false } });
    const cell = report.cells[0]!;
    const own = cell.metrics!.find((m) => m.name === 'ownMs')!;
    const model = cell.metrics!.find((m) => m.name === 'modelMs')!;
    expect(own.verdict).toBe('regression');
    expect(own.gate).toBe(true);
    expect(own.ratio).toBeGreaterThan(1.12);
    expect(model.gate).toBe(false);
    expect(['unchanged', 'inconclusive']).toContain(model.verdict);
    expect(cell.latency!.verdict).not.toBe('regression');
    expect(cell.verdict).toBe('regression');
    expect(report.verdict).toBe('fail');
  });

  it('gate.own-time off: own time is still compared and shown, but does not fail the cell', () => {
    const specs = metricSpecs([], DEFAULT_GATE, { ownTime: false, modelComparable: true });
    const report = compareResults({ base: side('base', rounds(1)), head: side('head', rounds(1.15)), gate: { ...DEFAULT_GATE, successRate: false }, metrics: specs });
    const own = report.cells[0]!.metrics!.find((m) => m.name === 'ownMs')!;
    expect(own.verdict).toBe('regression');
    expect(own.gate).toBe(false);
    expect(report.cells[0]!.verdict).not.toBe('regression');
  });

  it('a higher-is-better metric regresses when head is lower; a gated one fails the cell; missing values are counted', () => {
    const specs = metricSpecs(
      [{ name: 'score', unit: '', direction: 'higher', gate: true, file: true }, { name: 'cost', unit: 'USD', direction: 'lower', gate: false, file: true }],
      DEFAULT_GATE,
      { ownTime: false, modelComparable: true },
    );
    const base = side('base', rounds(1, 12, (i) => ({ score: 0.9 * swing(i, 0.01), cost: 0.5 })));
    const head = side('head', rounds(1, 12, (i): Record<string, number> => (i === 3 ? { score: 0.7 * swing(i, 0.01) } : { score: 0.7 * swing(i, 0.01), cost: 0.5 })));
    const report = compareResults({ base, head, gate: { ...DEFAULT_GATE, successRate: false }, metrics: specs });
    const cell = report.cells[0]!;
    const score = cell.metrics!.find((m) => m.name === 'score')!;
    expect(score.verdict).toBe('regression');
    expect(score.ratio).toBeLessThan(0.8);
    const cost = cell.metrics!.find((m) => m.name === 'cost')!;
    expect(cost.verdict).toBe('unchanged');
    expect(cost.head).toMatchObject({ n: 11, missing: 1 });
    expect(cell.notes).toContain('cost: 0 base and 1 head completed runs gave no value (left out)');
    expect(cell.verdict).toBe('regression');
  });

  it('every metric test is in the one BH family: more tests, larger q for the same p', () => {
    const base = side('base', rounds(1));
    // Model time that differs by round between the sides (equal in every round, its test could never reject and would leave the family).
    const head = side('head', rounds(1.15).map((r, i) => ({ ...r, model: 8000 * swing(i + 3, 0.25) })));
    const gate = { ...DEFAULT_GATE, successRate: false };
    const alone = compareResults({ base, head, gate, metrics: [] });
    const withMetrics = compareResults({ base, head, gate });
    expect(alone.cells[0]!.metrics).toBeUndefined();
    // Latency's p is the same; its q grows with the family (3 tests: latency, own, model).
    expect(withMetrics.cells[0]!.latency!.p).toBe(alone.cells[0]!.latency!.p);
    expect(withMetrics.cells[0]!.latency!.q).toBeGreaterThan(alone.cells[0]!.latency!.q);
  });

  it('a metric with the same value in every run (a fixed cost) leaves the family (Tarone): it takes no α from the others', () => {
    const gate = { ...DEFAULT_GATE, successRate: false };
    const specs = metricSpecs([{ name: 'cost', unit: 'USD', direction: 'lower', gate: true, file: true }], gate, { ownTime: true, modelComparable: true });
    const fixed = () => ({ cost: 0.288 });
    const varying = (i: number) => ({ cost: 0.288 * swing(i, 0.1) });
    const base = (extra: (i: number) => Record<string, number>) => side('base', rounds(1, 12, extra));
    const head = (extra: (i: number) => Record<string, number>) => side('head', rounds(1.15, 12, extra).map((r, i) => ({ ...r, model: 8000 * swing(i + 3, 0.25) })));
    const withoutCost = compareResults({ base: base(fixed), head: head(fixed), gate });
    const withFixedCost = compareResults({ base: base(fixed), head: head(fixed), gate, metrics: specs });
    const withVaryingCost = compareResults({ base: base(varying), head: head((i) => varying(i + 5)), gate, metrics: specs });
    const qOf = (report: typeof withoutCost) => report.cells[0]!.metrics!.find((m) => m.name === 'ownMs')!.q ?? NaN;
    // The fixed cost is still compared and shown (unchanged, p = 1) …
    expect(withFixedCost.cells[0]!.metrics!.find((m) => m.name === 'cost')).toMatchObject({ verdict: 'unchanged', p: 1 });
    // … but own time's q is what it is without it, while a cost that varies does join the family.
    expect(qOf(withFixedCost)).toBe(qOf(withoutCost));
    expect(qOf(withVaryingCost)).toBeGreaterThan(qOf(withoutCost));
  });

  it('baseline: artifact: model time is marked not comparable and own time, not latency, is gated', () => {
    // The provider got 30% slower between the base's day and the head's: latency regresses, own time does not.
    const base = side('base', rounds(1));
    const head = side('head', rounds(1).map((r) => ({ ...r, model: r.model * 1.3 })));
    const gate = { ...DEFAULT_GATE, successRate: false };
    const rerun = compareResults({ base, head, gate });
    expect(rerun.cells[0]!.latency!.verdict).toBe('regression');
    expect(rerun.verdict).toBe('fail');
    const artifact = compareResults({ base, head, gate, metrics: metricSpecs([], gate, { ownTime: true, modelComparable: false }), modelComparable: false });
    const cell = artifact.cells[0]!;
    expect(cell.metrics!.find((m) => m.name === 'modelMs')).toMatchObject({ comparable: false, verdict: 'inconclusive' });
    expect(cell.notes).toContain('latency not gated: the base was measured at another time (baseline: artifact); own time is gated instead');
    expect(artifact.verdict).not.toBe('fail');
  });

  it('a pipeline without model spans gets no own/model test', () => {
    const plain = (name: 'base' | 'head') => ({ ...side(name, rounds(1)), runs: side(name, rounds(1)).runs.map(({ metrics: _m, ...run }) => run) });
    const report = compareResults({ base: plain('base'), head: plain('head'), gate: DEFAULT_GATE });
    expect(report.cells[0]!.metrics).toBeUndefined();
  });

  it('rounds needed: own time finds the regression in fewer rounds than total latency (which here never does)', () => {
    const gate = { ...DEFAULT_GATE, successRate: false };
    const needed = roundsNeeded(side('base', rounds(1, 12)), side('head', rounds(1.15, 12)), (b, h) => compareResults({ base: b, head: h, gate }));
    expect(needed.maxRounds).toBe(12);
    expect(needed.cells).toHaveLength(1);
    expect(needed.cells[0]!.ownTime).toBeGreaterThanOrEqual(2);
    expect(needed.cells[0]!.ownTime).toBeLessThan(12);
    expect(needed.cells[0]!.latency).toBeNull();
    expect(roundsNeededText(needed)).toMatch(/^Rounds needed to find a regression: own time in 1 of 1 cells, after \d rounds; total latency in none within 12 rounds$/);
  });
});
