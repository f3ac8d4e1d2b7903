import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeRun } from '../src/traces/analyze.js';
import { coarseKeepingModelSpans, hasGenAiMarker, modelCriticalMs, modelSpanPredicate, nameGlob } from '../src/traces/model-spans.js';
import { CoarseRuns } from '../src/traces/receiver-coarse.js';
import type { Span } from '../src/traces/span.js';
import { runMetrics, spanAttributeValue } from '../src/runner/run-metrics.js';

const TRACE = 'c'.repeat(32);
function span(id: number, parent: number | null, name: string, startMs: number, endMs: number, attributes: Record<string, unknown> = {}): Span {
  return {
    traceId: TRACE,
    spanId: id.toString(16).padStart(16, '0'),
    parentSpanId: parent === null ? null : parent.toString(16).padStart(16, '0'),
    name,
    startNs: BigInt(Math.round(startMs * 1e6)),
    endNs: BigInt(Math.round(endMs * 1e6)),
    status: 'ok',
    attributes,
  };
}
const genAi = { 'gen_ai.operation.name': 'generate_content', 'gen_ai.provider.name': 'acme' };

// generate (0–1000) ─ preprocess (0–100) ─ model.generate (100–900) ─ model.request (150–750, GenAI) ─ http (200–700)
//                   └ serialize (900–1000)
const pipeline = [
  span(1, null, 'generate', 0, 1000),
  span(2, 1, 'preprocess', 0, 100),
  span(3, 1, 'model.generate', 100, 900),
  span(4, 3, 'model.request', 150, 750, { ...genAi, 'gen_ai.usage.output_tokens': 120, cost: 0.25 }),
  span(5, 4, 'http.post', 200, 700),
  span(6, 1, 'serialize', 900, 1000, { 'video.bytes': 4096 }),
];

describe('model spans', () => {
  it('are marked by gen_ai.operation.name, gen_ai.provider.name or the older gen_ai.system, or by name globs', () => {
    expect(hasGenAiMarker(span(1, null, 'x', 0, 1, { 'gen_ai.system': 'openai' }))).toBe(true);
    expect(hasGenAiMarker(span(1, null, 'x', 0, 1, { 'gen_ai.request.model': 'veo' }))).toBe(false);
    const isModel = modelSpanPredicate(['provider.*', 'call?']);
    expect(isModel(span(1, null, 'provider.veo', 0, 1))).toBe(true);
    expect(isModel(span(1, null, 'call1', 0, 1))).toBe(true);
    expect(isModel(span(1, null, 'call12', 0, 1))).toBe(false);
  });

  it('name globs treat every character but * and ? literally', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 5 }), (name, suffix) => {
      const literal = name.replace(/[*?]/g, '');
      expect(nameGlob(literal)(literal)).toBe(true);
      expect(nameGlob(`${literal}*`)(literal + suffix)).toBe(true);
      if (suffix !== '') expect(nameGlob(literal)(literal + suffix)).toBe(false);
    }));
    expect(nameGlob('a.b')('axb')).toBe(false);
  });

  it('model time is the critical-path time inside model spans, descendants included; own time is the rest', () => {
    const isModel = modelSpanPredicate([]);
    expect(modelCriticalMs(pipeline, isModel)).toBeCloseTo(600, 6);
    const metrics = runMetrics({ metrics: [], isModelSpan: isModel, spans: pipeline, latencyMs: 1000 });
    expect(metrics.values).toEqual({ modelMs: 600, ownMs: 400 });
    expect(metrics.missing).toEqual([]);
  });

  it('a model span nested in another counts once; parallel model calls only where they are on the critical path', () => {
    const nested = [span(1, null, 'root', 0, 100), span(2, 1, 'llm', 10, 60, genAi), span(3, 2, 'llm.inner', 20, 50, genAi)];
    expect(modelCriticalMs(nested, hasGenAiMarker)).toBeCloseTo(50, 6);
    const parallel = [span(1, null, 'root', 0, 100), span(2, 1, 'a', 10, 60, genAi), span(3, 1, 'b', 20, 80, genAi)];
    // The path walks back from 100: root 80–100, b 20–80, then a only for 10–20 (before b started), root 0–10.
    // a's 20–60 overlaps b and is not counted twice.
    expect(modelCriticalMs(parallel, hasGenAiMarker)).toBeCloseTo(70, 6);
  });

  it('a run without model spans has no time split (not a split of zero)', () => {
    const plain = pipeline.map((s) => ({ ...s, attributes: {} }));
    expect(modelCriticalMs(plain, hasGenAiMarker)).toBeNull();
    expect(runMetrics({ metrics: [], isModelSpan: hasGenAiMarker, spans: plain, latencyMs: 1000 }).values).toEqual({});
  });

  it('coarse keeps a model span nested below a stage, with its ancestors, so model time survives coarse runs', () => {
    const kept = coarseKeepingModelSpans(pipeline);
    expect(kept.map((s) => s.name)).toEqual(['generate', 'preprocess', 'model.generate', 'model.request', 'serialize']);
    expect(analyzeRun(kept).warnings.filter((w) => w.kind === 'orphan')).toEqual([]);
    expect(modelCriticalMs(kept, hasGenAiMarker)).toBeCloseTo(600, 6);
  });

  it('the receiver keeps deep model spans of a coarse run, also when they arrive after the root', () => {
    const delivered: Span[] = [];
    let dropped = 0;
    const coarse = new CoarseRuns((_, spans) => delivered.push(...spans), (n) => (dropped += n));
    coarse.add('r', [pipeline[4]!, pipeline[3]!, pipeline[2]!, pipeline[1]!, pipeline[5]!, pipeline[0]!]);
    expect(delivered.map((s) => s.name).sort()).toEqual(['generate', 'model.generate', 'model.request', 'preprocess', 'serialize']);
    expect(dropped).toBe(1);
    // After the root: a late model span three levels down and its parent, arriving after it, are kept.
    const late = [span(20, 21, 'llm.late', 10, 20, genAi), span(22, 20, 'tcp', 11, 12)];
    coarse.add('r', late);
    coarse.add('r', [span(21, 3, 'retry', 5, 30)]);
    expect(delivered.map((s) => s.name).slice(5)).toEqual(['llm.late', 'retry']);
  });

  it('the receiver keeps spans named by tracing.model-spans at any depth too', () => {
    const delivered: Span[] = [];
    const named = pipeline.map((s) => (s.name === 'model.request' ? { ...s, attributes: {} } : s));
    const coarse = new CoarseRuns((_, spans) => delivered.push(...spans), () => {}, undefined, modelSpanPredicate(['model.req*']));
    coarse.add('r', named);
    expect(delivered.map((s) => s.name)).toContain('model.request');
    const byDefault: Span[] = [];
    new CoarseRuns((_, spans) => byDefault.push(...spans), () => {}).add('r', named);
    expect(byDefault.map((s) => s.name)).not.toContain('model.request');
  });
});

describe('span-attribute metrics', () => {
  it('sum, max and last over the spans that carry the attribute, optionally of a span name', () => {
    const spans = [span(1, null, 'root', 0, 10, { tokens: 5 }), span(2, 1, 'llm', 0, 8, { tokens: '7' }), span(3, 1, 'llm', 0, 4, { tokens: 3 })];
    expect(spanAttributeValue(spans, { name: 'tokens', aggregate: 'sum' })).toBe(15);
    expect(spanAttributeValue(spans, { name: 'tokens', aggregate: 'max' })).toBe(7);
    expect(spanAttributeValue(spans, { name: 'tokens', aggregate: 'last' })).toBe(5);
    expect(spanAttributeValue(spans, { name: 'tokens', aggregate: 'sum', span: 'll*' })).toBe(10);
    expect(spanAttributeValue(spans, { name: 'absent', aggregate: 'sum' })).toBeNull();
  });

  it('a non-numeric attribute is a warning, and a configured metric with no value is missing, never 0', () => {
    const spans = [span(1, null, 'root', 0, 10, { cost: 'cheap' })];
    const result = runMetrics({
      metrics: [
        { name: 'cost', unit: 'USD', direction: 'lower', gate: true, 'span-attribute': { name: 'cost', aggregate: 'sum' } },
        { name: 'score', unit: '', direction: 'higher', gate: false, file: true },
        { name: 'rss', unit: 'MB', direction: 'lower', gate: false, builtin: 'peak-rss' },
      ],
      isModelSpan: hasGenAiMarker,
      spans,
      latencyMs: 10,
      fileValues: new Map([['score', 0.9]]),
      peakRssMb: null,
    });
    expect(result.values).toEqual({ score: 0.9 });
    expect(result.missing).toEqual(['cost', 'rss']);
    expect(result.warnings).toEqual(['span "root": attribute cost is not a finite number; ignored']);
  });
});
