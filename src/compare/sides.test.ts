import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse.js';
import { InputError } from '../errors.js';
import type { SpanLine } from '../results/format.js';
import type { ResultsFile } from '../results/read.js';
import { verdictSentence } from '../report/headline.js';
import { familyLookAlphas } from './adaptive.js';
import { exitCodeFor } from './gate.js';
import { resultsFixture } from './results-fixture.js';
import { compareSides } from './sides.js';

const config = parseConfig(readFileSync('.github/frametail.yml', 'utf8'), '.github/frametail.yml');
const NOISE = [1.0, 0.97, 1.03, 0.99, 1.02, 0.98, 1.01, 1.04, 0.96, 1.005];

/** Adds a two-span trace to every completed run: root "generate" and its child "render". */
function withSpans(file: ResultsFile, renderShare: number): ResultsFile {
  const spans: SpanLine[] = file.runs.flatMap((run, i) => {
    if (run.status !== 'completed') return [];
    const traceId = (i + 1).toString(16).padStart(32, '0');
    const start = 1_700_000_000_000_000_000n + BigInt(i) * 100_000_000_000n;
    const totalNs = BigInt(Math.round(run.latencyMs! * 1e6));
    const renderNs = BigInt(Math.round(run.latencyMs! * renderShare * 1e6));
    const span = (spanId: string, parentSpanId: string | null, name: string, startNs: bigint, endNs: bigint): SpanLine => ({
      type: 'span', run: run.id, traceId, spanId, parentSpanId, name, startNs: String(startNs), endNs: String(endNs), status: 'ok', attributes: {},
    });
    return [span('a'.repeat(16), null, 'generate', start, start + totalNs), span('b'.repeat(16), 'a'.repeat(16), 'render', start + totalNs - renderNs, start + totalNs)];
  });
  return { ...file, spans };
}

describe('compareSides', () => {
  const base = withSpans(resultsFixture('base', { 'arm-extension/wide': NOISE.map((n) => 8000 * n), 'pirouette/wide': NOISE.map((n) => 8100 * n) }), 0.5);
  const head = withSpans(
    resultsFixture('head', { 'arm-extension/wide': NOISE.map((n) => 8000 * n * 0.99), 'pirouette/wide': NOISE.map((n) => 8100 * n * 1.25).reverse() }),
    0.6,
  );

  it('uses the config for task order, labels, config lines and the gate', () => {
    const report = compareSides(base, head, { config });
    expect(report.experiment).toMatchObject({ name: 'Motion comparison test', dimension: { name: 'Camera' } });
    expect(report.cells.map((c) => c.input)).toEqual(['pirouette', 'arm-extension']);
    expect(report.cells[0]!.configLine).toBe(config.source.lines.inputs.pirouette);
    expect(report.cells[0]!.verdict).toBe('regression');
    expect(verdictSentence(report)).toMatch(/^1 latency regression: pirouette × Wide shot \+\d+%/);
    expect(exitCodeFor(report)).toBe(1);
  });

  it('compares spans per path and fills the waterfall of a regressed cell', () => {
    const report = compareSides(base, head, { config });
    const [regressed, steady] = report.cells as [(typeof report.cells)[0], (typeof report.cells)[0]];
    // render carries the growth on the critical path (the root's own critical time barely moves).
    expect(regressed.spans.map((s) => s.path)).toEqual(['generate/render', 'generate']);
    expect(regressed.spans[0]).toMatchObject({ onCriticalPath: true, verdict: 'regression' });
    expect(regressed.spans[0]!.ratio).toBeGreaterThan(1.45);
    expect(regressed.waterfall?.head.map((s) => [s.path, s.depth])).toEqual([
      ['generate', 0],
      ['generate/render', 1],
    ]);
    expect(steady.waterfall).toBeUndefined();
  });

  it('overrides the config gate and applies the per-look α for adaptive rounds', () => {
    const report = compareSides(base, head, { config, gate: { failOn: ['never'] }, adaptive: true });
    expect(report.gate.failOn).toEqual(['never']);
    // Two latency tests share α = 0.018: the last look's α of the O'Brien–Fleming-type boundary at 0.009, ×2.
    expect(report.gate.alpha).toBe(0.018);
    expect(report.gate.perLookAlpha).toBe(familyLookAlphas([5, 10, 20], 0.018, 2)[2]);
    expect(report.gate.lookAlphas).toHaveLength(3);
    expect(exitCodeFor(report)).toBe(0);
  });

  it('works without a config, from the ids in the files', () => {
    const report = compareSides(base, head);
    expect(report.experiment.dimension.variants).toEqual([{ id: 'wide', label: 'wide' }]);
    expect(report.cells.map((c) => c.input)).toEqual(['arm-extension', 'pirouette']);
  });

  it('refuses to compare two files without any run', () => {
    const empty = (file: string): ResultsFile => ({ file, runs: [], spans: [], warnings: [] });
    expect(() => compareSides(empty('a.jsonl'), empty('b.jsonl'))).toThrow(InputError);
    expect(() => compareSides(empty('a.jsonl'), empty('b.jsonl'))).toThrow(/a\.jsonl and b\.jsonl: neither results file holds a run line/);
  });
});

describe('compareSides on the fixture files', () => {
  it('finds the latency regression and the new failures of fixtures/results', async () => {
    const { readResults } = await import('../results/read.js');
    const report = compareSides(await readResults('fixtures/results/base.jsonl'), await readResults('fixtures/results/head.jsonl'));
    expect(report.cells.map((c) => [c.input, c.variant, c.verdict])).toEqual([
      ['pirouette', 'closeup', 'unchanged'],
      ['pirouette', 'wide', 'regression'],
      ['arm-extension', 'closeup', 'unchanged'],
      ['arm-extension', 'wide', 'unchanged'],
    ]);
    // 2 new failures in 10 runs are within chance for the exact test (p 0.13); the strict guard is opt-in.
    expect(report.cells[2]!.success).toMatchObject({ newFailures: 2, head: { ok: 8, total: 10 }, verdict: 'unchanged' });
    const strict = compareSides(await readResults('fixtures/results/base.jsonl'), await readResults('fixtures/results/head.jsonl'), { gate: { maxNewFailures: 0 } });
    expect(strict.cells[2]!.verdict).toBe('regression');
    expect(report.sides).toEqual({ base: { ref: 'main', sha: 'a'.repeat(40), runs: 40 }, head: { ref: 'feature/faster-upscaler', sha: 'b'.repeat(40), runs: 40 } });
    expect(verdictSentence(report)).toMatch(/^1 latency regression: pirouette × Wide shot \+2\d% \(8\.1 s → 9\.9 s\)$/);
    expect(verdictSentence(strict)).toMatch(/; 1 success-rate regression: arm-extension × Subject closeup 10\/10 → 8\/10 completed$/);
  });
});
