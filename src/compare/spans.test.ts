import { describe, expect, it } from 'vitest';
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
