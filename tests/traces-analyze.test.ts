import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeRun, coarseFilter } from '../src/traces/analyze.js';
import { parseTraceFile } from '../src/traces/files.js';
import type { Span } from '../src/traces/span.js';
import { waterfallBars } from '../src/traces/waterfall.js';

const TRACE = '5b8efff798038103d269b633813fc60c';

function span(id: number, parent: number | null, name: string, startMs: number, endMs: number, extra: Partial<Span> = {}): Span {
  return {
    traceId: TRACE,
    spanId: id.toString(16).padStart(16, '0'),
    parentSpanId: parent === null ? null : parent.toString(16).padStart(16, '0'),
    name,
    startNs: BigInt(Math.round(startMs * 1e6)),
    endNs: BigInt(Math.round(endMs * 1e6)),
    status: 'unset',
    attributes: {},
    ...extra,
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('analyzeRun on the OTLP fixture', () => {
  const { spans } = parseTraceFile(readFileSync(new URL('../fixtures/traces/otlp-small.json', import.meta.url)), 'otlp-small.json');
  const analysis = analyzeRun(spans);
  const m = Object.fromEntries(analysis.metrics.map((x) => [x.path, x]));

  it('gives self time as duration minus the union of children (parallel encode hides under denoise)', () => {
    expect(analysis.rootDurationMs).toBe(100);
    expect([m.generate, m['generate/preprocess'], m['generate/preprocess/cache.lookup'], m['generate/denoise'], m['generate/encode']].map((x) => x!.selfMs)).toEqual([10, 10, 10, 70, 30]);
  });

  it('walks the critical path back from the end through the child that finishes last', () => {
    expect(analysis.criticalPath).toEqual(['generate', 'generate/denoise']);
    expect(m.generate!.criticalMs).toBe(10);
    expect(m['generate/denoise']!.criticalMs).toBe(70);
    expect(m['generate/preprocess']!.criticalMs).toBe(10);
    expect(m['generate/encode']!.criticalMs).toBe(0);
    expect(m['generate/encode']!.onCriticalPath).toBe(false);
    expect(m['generate/preprocess/cache.lookup']!.onCriticalPath).toBe(true);
  });

  it('lists paths depth first with counts, errors and code locations', () => {
    expect(analysis.metrics.map((x) => x.path)).toEqual(['generate', 'generate/preprocess', 'generate/preprocess/cache.lookup', 'generate/denoise', 'generate/encode']);
    expect(m['generate/denoise']!.errors).toBe(1);
    expect(m['generate/preprocess/cache.lookup']!.code).toEqual({ file: 'pipeline/preprocess.py', line: 42, function: 'lookup' });
    expect(analysis.roots[0]!.children.map((c) => c.span.name)).toEqual(['preprocess', 'denoise', 'encode']);
  });

  it('coarse keeps the root and its direct children only', () => {
    expect(coarseFilter(spans).map((s) => s.name)).toEqual(['generate', 'preprocess', 'denoise', 'encode']);
  });
});

describe('repairs', () => {
  it('attaches orphans and extra roots to the longest root and warns', () => {
    const a = analyzeRun([span(1, null, 'root', 0, 10), span(2, 99, 'lost', 1, 2), span(3, null, 'other', 2, 3)]);
    expect(a.metrics.map((m) => m.path)).toEqual(['root', 'root/lost', 'root/other']);
    expect(a.warnings.map((w) => w.kind)).toEqual(['orphan', 'orphan']);
    expect(a.warnings[0]!.message).toMatch(/parent 0000000000000063 of "lost" not found/);
  });

  it('breaks cycles, reporting them, and still analyzes every span', () => {
    const a = analyzeRun([span(1, null, 'root', 0, 10), span(2, 3, 'a', 1, 5), span(3, 2, 'b', 2, 4)]);
    expect(a.warnings.map((w) => w.kind)).toEqual(['cycle']);
    expect(sum(a.metrics.map((m) => m.count))).toBe(3);
    expect(a.metrics[0]!.path).toBe('root');
    const allCycle = analyzeRun([span(2, 3, 'a', 1, 5), span(3, 2, 'b', 2, 4)]);
    expect(allCycle.metrics.map((m) => m.path)).toEqual(['a', 'a/b']);
    expect(allCycle.warnings.map((w) => w.kind)).toEqual(['cycle']);
  });

  it('counts duplicate ids and negative durations', () => {
    const a = analyzeRun([span(1, null, 'root', 0, 10), span(2, 1, 'x', 5, 3), span(2, 1, 'y', 6, 7)]);
    expect(a.warnings.map((w) => w.kind).sort()).toEqual(['duplicate-span-id', 'negative-duration']);
    const m = Object.fromEntries(a.metrics.map((x) => [x.path, x]));
    expect(m['root/x']!.totalMs).toBe(0);
    expect(m['root/y']!.totalMs).toBe(1);
  });

  it('shifts a child from another process back inside its parent (clock skew) but only clips a same-process one', () => {
    const worker = { 'service.name': 'worker' };
    const app = { 'service.name': 'app' };
    const skewed = analyzeRun([
      span(1, null, 'root', 0, 10, { resource: app }),
      span(2, 1, 'remote', 12, 14, { resource: worker }),
    ]);
    expect(skewed.warnings.map((w) => w.kind)).toEqual(['clock-skew']);
    expect(skewed.roots[0]!.children[0]!.startMs).toBe(8);
    expect(skewed.metrics[0]!.selfMs).toBe(8);
    const async = analyzeRun([span(1, null, 'root', 0, 10, { resource: app }), span(2, 1, 'late', 9, 14, { resource: app })]);
    expect(async.warnings).toEqual([]);
    expect(async.metrics.map((m) => m.selfMs)).toEqual([9, 1]);
    expect(async.metrics[1]!.totalMs).toBe(5);
  });

  it('lists 20 warnings of a kind and counts the rest', () => {
    const spans = [span(1, null, 'root', 0, 100), ...Array.from({ length: 50 }, (_, i) => span(i + 2, 9999, 'orphan', 1, 2))];
    const a = analyzeRun(spans);
    expect(a.warnings).toHaveLength(21);
    expect(a.warnings[20]!.message).toBe('… and 30 more orphan warnings (50 in all)');
  });

  it('returns an empty analysis for no spans', () => {
    expect(analyzeRun([])).toEqual({ roots: [], metrics: [], criticalPath: [], rootDurationMs: null, warnings: [] });
  });
});

/** A random tree whose children split their parent's interval into disjoint slots. */
const nestedTree = fc.array(fc.nat(), { maxLength: 80 }).map((choices) => {
  const parents = [-1, ...choices.map((c, i) => c % (i + 1))];
  const children = parents.map(() => [] as number[]);
  parents.forEach((p, i) => p >= 0 && children[p]!.push(i));
  const start = new Array<bigint>(parents.length).fill(0n);
  const end = new Array<bigint>(parents.length).fill(0n);
  end[0] = 3n ** 20n;
  for (let v = 0; v < parents.length; v++) {
    const k = BigInt(children[v]!.length);
    const slot = (end[v]! - start[v]!) / (2n * k + 1n);
    children[v]!.forEach((c, j) => {
      start[c] = start[v]! + slot * (2n * BigInt(j) + 1n);
      end[c] = start[c]! + slot;
    });
  }
  return parents.map((p, i) => ({
    traceId: TRACE, spanId: (i + 1).toString(16).padStart(16, '0'),
    parentSpanId: p < 0 ? null : (p + 1).toString(16).padStart(16, '0'), name: `s${i % 5}`,
    startNs: 1_700_000_000_000_000_000n + start[i]!, endNs: 1_700_000_000_000_000_000n + end[i]!,
    status: 'unset' as const, attributes: {},
  }));
});

describe('properties', () => {
  it('self times and critical times each sum to the root duration when children do not overlap', () => {
    fc.assert(
      fc.property(nestedTree, (spans) => {
        const a = analyzeRun(spans);
        expect(a.warnings).toEqual([]);
        expect(sum(a.metrics.map((m) => m.selfMs))).toBeCloseTo(a.rootDurationMs!, 6);
        expect(sum(a.metrics.map((m) => m.criticalMs))).toBeCloseTo(a.rootDurationMs!, 6);
        expect(sum(a.metrics.map((m) => m.count))).toBe(spans.length);
      }),
    );
  });

  it('never crashes on arbitrary ids, parents and times, and keeps its invariants', () => {
    const id = fc.integer({ min: 1, max: 12 }).map((n) => n.toString(16).padStart(16, '0'));
    const arbitrarySpan = fc.record({
      traceId: fc.constant(TRACE), spanId: id, parentSpanId: fc.option(id), name: fc.constantFrom('a', 'b', 'c/d', ''),
      startNs: fc.bigInt({ min: 0n, max: 10n ** 12n }), endNs: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      status: fc.constantFrom('unset' as const, 'error' as const), attributes: fc.constant({}),
      resource: fc.option(fc.constantFrom({ 'service.name': 'a' }, { 'service.name': 'b' }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arbitrarySpan, { minLength: 1, maxLength: 30 }), (spans) => {
        const a = analyzeRun(spans);
        expect(sum(a.metrics.map((m) => m.count))).toBe(spans.length);
        expect(a.criticalPath[0]).toBe(a.metrics[0]!.path);
        for (const m of a.metrics) expect(m.selfMs).toBeGreaterThanOrEqual(0);
        expect(sum(a.metrics.map((m) => m.criticalMs))).toBeCloseTo(a.rootDurationMs!, 3);
        expect(coarseFilter(spans).length).toBeLessThanOrEqual(spans.length);
      }),
    );
  });
});

describe('waterfallBars', () => {
  const { spans } = parseTraceFile(readFileSync(new URL('../fixtures/traces/otlp-small.json', import.meta.url)), 'otlp-small.json');

  it('lists spans depth first with offsets from the root and critical-path marks', () => {
    expect(waterfallBars(analyzeRun(spans)).map((b) => [b.path, b.depth, b.startMs, b.durationMs, b.onCriticalPath])).toEqual([
      ['generate', 0, 0, 100, true],
      ['generate/preprocess', 1, 0, 20, true],
      ['generate/preprocess/cache.lookup', 2, 5, 10, true],
      ['generate/denoise', 1, 20, 70, true],
      ['generate/encode', 1, 30, 30, false],
    ]);
  });

  it('drops whole deeper levels first to fit the limit', () => {
    expect(waterfallBars(analyzeRun(spans), 4).map((b) => b.name)).toEqual(['generate', 'preprocess', 'denoise', 'encode']);
    expect(waterfallBars(analyzeRun(spans), 2).map((b) => b.name)).toEqual(['generate']);
  });
});
