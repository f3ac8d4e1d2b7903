import { describe, expect, it } from 'vitest';
import { causes } from '../src/report/matrix.js';
import type { CellReport, SpanComparison } from '../src/report/model.js';

function span(path: string, criticalDeltaMs: number, verdict: SpanComparison['verdict'], granularity: 'coarse' | 'fine' = 'coarse'): SpanComparison {
  return { path, name: path.split('/').at(-1)!, baseMs: 10, headMs: 10 + criticalDeltaMs, deltaMs: criticalDeltaMs, ratio: 1 + criticalDeltaMs / 10, criticalDeltaMs, p: 0.01, q: 0.02, onCriticalPath: true, verdict, granularity };
}

function cell(spans: SpanComparison[], baseMs = 140, headMs = 210): CellReport {
  const side = (medianMs: number) => ({ runs: 7, ok: 7, failed: 0, timeout: 0, medianMs, samplesMs: [] });
  return { input: 'pirouette', variant: 'wide', presence: 'both', base: side(baseMs), head: side(headMs), latency: null, success: null, verdict: 'regression', spans, rounds: 7, stop: 'max-rounds', notes: [] };
}

describe('causes', () => {
  it('names the regressed stage, shows what grew inside it, and leaves out noise and ancestors', () => {
    const found = causes(
      cell([
        span('generate', 70, 'regression'),
        span('generate/cache.lookup', 66, 'regression'),
        span('generate/cache.lookup/cache.hash', 60, 'inconclusive', 'fine'),
        span('generate/serialize', 12, 'inconclusive'),
        span('generate/preprocess', 0.03, 'regression'),
        span('generate/encode', -5, 'unchanged'),
      ]),
    );
    expect(found.map((c) => c.span.path)).toEqual(['generate/cache.lookup']);
    expect(found[0]!.within?.path).toBe('generate/cache.lookup/cache.hash');
  });

  it('keeps the root as the cause when no stage below it regressed', () => {
    expect(causes(cell([span('generate', 70, 'regression'), span('generate/model', 3, 'unchanged')])).map((c) => c.span.path)).toEqual(['generate']);
  });

  it('names nothing when no span regressed', () => {
    expect(causes(cell([span('generate/serialize', 40, 'inconclusive')]))).toEqual([]);
  });
});
