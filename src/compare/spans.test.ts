import { describe, expect, it } from 'vitest';
import reference from '../../fixtures/stats/span-presence.json' with { type: 'json' };
import { causes } from '../report/matrix.js';
import { testAbsoluteShift } from './absolute-shift.js';
import type { SpanPathMetrics } from '../traces/span.js';
import { compareResults } from './compare.js';
import { mergeFixtures, resultsFixture } from './results-fixture.js';
import { DEFAULT_GATE } from './settings.js';

const NOISE = [1.0, 0.97, 1.03, 0.99, 1.02, 0.98, 1.01, 1.04, 0.96, 1.005];

/** Per-run metrics of a pipeline root → preprocess, generate, where head's generate is slower. */
function metricsFor(runId: string): SpanPathMetrics[] {
  const [side, , , phase, roundText] = runId.split('-') as [string, string, string, string, string];
  const noise = NOISE[(Number(roundText) - 1) % NOISE.length]!;
  const generateMs = (side === 'head' ? 7000 : 5000) * noise;
  const preprocessMs = 1000 * NOISE[(Number(roundText) + 3) % NOISE.length]!;
  const span = (path: string, totalMs: number, onCriticalPath: boolean, code?: SpanPathMetrics['code']): SpanPathMetrics => ({
    path,
    name: path.split('/').at(-1)!,
    count: 1,
    totalMs,
    selfMs: totalMs,
    criticalMs: onCriticalPath ? totalMs : 0,
    onCriticalPath,
    errors: 0,
    ...(code ? { code } : {}),
  });
  const metrics = [
    span('root', generateMs + preprocessMs + (side === 'head' ? 500 : 0), true),
    span('root/preprocess', preprocessMs, true),
    span('root/generate', generateMs, true, { file: 'pipeline.mjs', line: 42, function: 'generate' }),
    span('root/upload', 5, false),
  ];
  // Attribution runs are fine-grained: one more level of detail.
  if (phase === 'attribution') metrics.push(span('root/generate/decode', generateMs * 0.9, true));
  return side === 'base' ? metrics.filter((m) => m.path !== 'root/upload' || Number(roundText) % 2 === 0) : metrics;
}

describe('span comparison', () => {
  const base = resultsFixture('base', { 'a/x': NOISE.map((n) => 6000 * n) });
  const head = resultsFixture('head', { 'a/x': NOISE.map((n) => 8000 * n) });

  it('ranks the span paths by change of critical-path time and carries the source location', () => {
    const report = compareResults({ base, head, gate: DEFAULT_GATE, spanMetrics: metricsFor });
    const spans = report.cells[0]!.spans;
    expect(spans.map((s) => s.path)).toEqual(['root', 'root/generate', 'root/preprocess', 'root/upload']);
    const generate = spans[1]!;
    expect(generate).toMatchObject({ name: 'generate', onCriticalPath: true, verdict: 'regression', granularity: 'coarse', code: { file: 'pipeline.mjs', line: 42 } });
    expect(generate.deltaMs).toBeCloseTo(2000 * ((1.0 + 1.005) / 2), 6);
    expect(generate.criticalDeltaMs).toBeCloseTo(generate.deltaMs, 6);
    expect(generate.ratio).toBeCloseTo(1.4, 6);
    expect(generate.q!).toBeGreaterThanOrEqual(generate.p!);
    expect(spans[2]).toMatchObject({ deltaMs: 0, ratio: 1, verdict: 'unchanged' });
  });

  it('judges stages on the counted runs and takes only the deeper paths from fine attribution runs', () => {
    const report = compareResults({
      base: mergeFixtures(base, resultsFixture('base', { 'a/x': [6000, 6100, 5900] }, { phase: 'attribution', granularity: 'fine' })),
      head: mergeFixtures(head, resultsFixture('head', { 'a/x': [8000, 8100, 7900] }, { phase: 'attribution', granularity: 'fine' })),
      gate: DEFAULT_GATE,
      spanMetrics: metricsFor,
    });
    const byPath = new Map(report.cells[0]!.spans.map((s) => [s.path, s]));
    // The stage keeps its 10-round verdict: 3 fine rounds alone could never reach significance.
    expect(byPath.get('root/generate')).toMatchObject({ granularity: 'coarse', verdict: 'regression' });
    expect(byPath.get('root/generate/decode')).toMatchObject({ granularity: 'fine' });
    expect([...byPath.keys()].filter((p) => p === 'root/generate')).toHaveLength(1);
  });

  it('tests spans paired or unpaired as the cell’s latency is, whatever a single stage’s rounds look like', () => {
    // Run latencies whose rounds move against each other (Spearman r −0.90): the rounds share no noise.
    const independent = resultsFixture('head', { 'a/x': [0.99, 1.02, 0.985, 1.03, 0.97, 1.01, 1.0, 0.965, 1.035, 0.995].map((n) => 8000 * n) });
    const report = compareResults({ base, head: independent, gate: DEFAULT_GATE, spanMetrics: metricsFor });
    expect(report.cells[0]!.latency!.test).toBe('mann-whitney');
    // generate's own rounds move together (same noise on both sides), yet it is compared unpaired too:
    // every head run slower than every base run is p = 1/C(20, 10), where 10 pairs could give only 1/2¹⁰.
    const generate = report.cells[0]!.spans.find((s) => s.path === 'root/generate')!;
    expect(generate.p).toBeCloseTo(1 / 184756, 12);
    // With rounds that share noise the same span is paired.
    const paired = compareResults({ base, head, gate: DEFAULT_GATE, spanMetrics: metricsFor });
    expect(paired.cells[0]!.latency!.test).toBe('wilcoxon-signed-rank');
    expect(paired.cells[0]!.spans.find((s) => s.path === 'root/generate')!.p).toBeCloseTo(1 / 1024, 12);
  });

  it('has no spans when no run has span metrics', () => {
    const report = compareResults({ base, head, gate: DEFAULT_GATE, spanMetrics: () => undefined });
    expect(report.cells[0]!.spans).toEqual([]);
  });
});

/**
 * A pipeline root → decode where head adds `decode.sharpen` (the 134–346 ms a run, on the critical
 * path) and drops `legacy.cleanup` (2 ms, off it). Values from fixtures/stats/span-presence.json (scipy).
 */
function presenceMetrics(runId: string, sharpenScale = 1): SpanPathMetrics[] {
  const [side, , , , roundText] = runId.split('-') as [string, string, string, string, string];
  const round = Number(roundText) - 1;
  const noise = NOISE[round % NOISE.length]!;
  const sharpen = side === 'head' ? reference.head[round]! * sharpenScale : 0;
  const span = (path: string, totalMs: number, onCriticalPath: boolean): SpanPathMetrics => ({
    path, name: path.split('/').at(-1)!, count: 1, totalMs, selfMs: totalMs, criticalMs: onCriticalPath ? totalMs : 0, onCriticalPath, errors: 0,
  });
  const decodeMs = 1500 * noise + sharpen;
  const metrics = [span('root', decodeMs + 1000, true), span('root/decode', decodeMs, true)];
  if (side === 'head') metrics.push(span('root/decode/decode.sharpen', sharpen, true));
  else metrics.push(span('root/legacy.cleanup', 2, false));
  return metrics;
}

describe('operations added or removed between base and head', () => {
  const latencies = (side: 'base' | 'head') => NOISE.map((n, i) => 2000 * n + (side === 'head' ? reference.head[i]! : 0));
  const noRounds = { noRounds: true };

  it('compares a new operation with absent = 0 ms on base, on the absolute shift, and names it as the cause', () => {
    const report = compareResults({ base: resultsFixture('base', { 'a/x': latencies('base') }, noRounds), head: resultsFixture('head', { 'a/x': latencies('head') }, noRounds), gate: DEFAULT_GATE, spanMetrics: presenceMetrics });
    const cell = report.cells[0]!;
    const sharpen = cell.spans.find((s) => s.path === 'root/decode/decode.sharpen')!;
    expect(sharpen).toMatchObject({ presence: 'head-only', baseMs: 0, headMs: reference.unpaired.medianHeadMs, ratio: null, onCriticalPath: true, verdict: 'regression' });
    expect(sharpen.deltaMs).toBe(reference.unpaired.medianHeadMs);
    expect(sharpen.criticalDeltaMs).toBe(reference.unpaired.medianHeadMs);
    expect(sharpen.p).toBeCloseTo(reference.unpaired.p, 12);
    // The cause is the new operation, not its parent that only grew through it.
    expect(causes(cell).map((c) => c.span.path)).toEqual(['root/decode/decode.sharpen']);
    // Present on both sides: no presence mark, a ratio as before.
    const decode = cell.spans.find((s) => s.path === 'root/decode')!;
    expect(decode.presence).toBeUndefined();
    expect(decode.ratio).toBeGreaterThan(1);
  });

  it('compares a removed operation with absent = 0 ms on head', () => {
    const report = compareResults({ base: resultsFixture('base', { 'a/x': latencies('base') }, noRounds), head: resultsFixture('head', { 'a/x': latencies('head') }, noRounds), gate: DEFAULT_GATE, spanMetrics: presenceMetrics });
    const cleanup = report.cells[0]!.spans.find((s) => s.path === 'root/legacy.cleanup')!;
    expect(cleanup).toMatchObject({ presence: 'base-only', baseMs: 2, headMs: 0, deltaMs: -2, ratio: null, onCriticalPath: false });
    // 2 ms of a 2 s pipeline is below min-change of the cell's latency: no improvement worth naming.
    expect(cleanup.verdict).toBe('unchanged');
  });

  it('pairs a new operation by round when the rounds share noise (exact signed-rank p from scipy)', () => {
    // Rounds that move both sides by ±80%: the run latency pairs, and so does every span.
    const shared = (side: 'base' | 'head') => NOISE.map((n, i) => 2000 * (1 + 20 * (n - 1)) + (side === 'head' ? reference.head[i]! : 0));
    const report = compareResults({ base: resultsFixture('base', { 'a/x': shared('base') }), head: resultsFixture('head', { 'a/x': shared('head') }), gate: DEFAULT_GATE, spanMetrics: presenceMetrics });
    expect(report.cells[0]!.latency!.test).toBe('wilcoxon-signed-rank');
    const sharpen = report.cells[0]!.spans.find((s) => s.path === 'root/decode/decode.sharpen')!;
    expect(sharpen.p).toBeCloseTo(reference.paired.p, 12);
    expect(sharpen.verdict).toBe('regression');
  });

  it('does not call a new operation too small to matter a regression', () => {
    const tiny = (runId: string) => presenceMetrics(runId, 1 / 1000);
    const report = compareResults({ base: resultsFixture('base', { 'a/x': latencies('base') }, noRounds), head: resultsFixture('head', { 'a/x': latencies('base') }, noRounds), gate: DEFAULT_GATE, spanMetrics: tiny });
    const sharpen = report.cells[0]!.spans.find((s) => s.path === 'root/decode/decode.sharpen')!;
    expect(sharpen.p).toBeLessThan(0.001); // certainly there, yet 0.2 ms in a 2 s run
    expect(sharpen.verdict).toBe('unchanged');
    expect(causes(report.cells[0]!)).toEqual([]);
  });
});

describe('testAbsoluteShift (a side of zeros: no ratio, a shift in ms)', () => {
  it('matches scipy for p and numpy for the Hodges–Lehmann shift, unpaired and paired', () => {
    const unpaired = testAbsoluteShift({ paired: false, base: reference.base, head: reference.head })!;
    expect(unpaired).toMatchObject({ test: 'mann-whitney', method: 'asymptotic', shiftMs: reference.unpaired.shiftMs });
    expect(unpaired.p).toBeCloseTo(reference.unpaired.p, 12);
    expect(unpaired.pFaster).toBeCloseTo(reference.unpaired.pFaster, 12);
    expect(unpaired.ciLowMs).toBeGreaterThan(0);
    const paired = testAbsoluteShift({ paired: true, pairs: reference.head.map((head, i) => ({ base: reference.base[i]!, head })) })!;
    expect(paired).toMatchObject({ test: 'wilcoxon-signed-rank', method: 'exact', shiftMs: reference.paired.shiftMs });
    expect(paired.p).toBeCloseTo(reference.paired.p, 12);
  });
});
