import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { analyzeRun } from '../src/traces/analyze.js';
import { CHROME_ROOT_NAME, microsToNs } from '../src/traces/chrome.js';
import { parseTraceFile } from '../src/traces/files.js';
import type { Span } from '../src/traces/span.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/traces/${name}`, import.meta.url));
const T = 1_700_000_000_000_000_000n;
const MS = 1_000_000n;

function byName(spans: Span[]): Record<string, Span> {
  return Object.fromEntries(spans.map((s) => [s.name, s]));
}

describe('OTLP JSON and JSON Lines files', () => {
  for (const [file, format] of [['otlp-small.json', 'otlp-json'], ['otlp-small.jsonl', 'otlp-jsonl']] as const) {
    it(`${file}: ids, parents, exact ns times, status, attributes and code location`, () => {
      const parsed = parseTraceFile(fixture(file), file);
      expect(parsed.format).toBe(format);
      expect(parsed.warnings).toEqual([]);
      const s = byName(parsed.spans);
      expect(Object.keys(s).sort()).toEqual(['cache.lookup', 'denoise', 'encode', 'generate', 'preprocess']);
      // The root's start is a bare JSON number beyond 2^53 in otlp-small.json.
      expect(s.generate!.startNs).toBe(T);
      expect(s.generate!.endNs).toBe(T + 100n * MS);
      // preprocess's span id is written in base64.
      expect(s.preprocess!.spanId).toBe('eee19b7ec3c1b173');
      expect(s['cache.lookup']!.parentSpanId).toBe('eee19b7ec3c1b173');
      expect(s.generate!.parentSpanId).toBeNull();
      expect(s.denoise!.status).toBe('error');
      expect(s.generate!.attributes).toEqual({ model: 'wan-2.1', frames: 48 });
      expect(s.generate!.resource?.['frametail.run.id']).toBe('run-0001');
      expect(s['cache.lookup']!.code).toEqual({ file: 'pipeline/preprocess.py', line: 42, function: 'lookup' });
      expect(s.encode!.code).toEqual({ file: 'pipeline/encode.py', line: 7 });
    });
  }

  it('names the file and line of a broken JSON Lines record', () => {
    const text = `${fixture('otlp-small.jsonl').toString().trimEnd()}\n{"resourceSpans": [\n`;
    expect(() => parseTraceFile(text, 'spans.jsonl')).toThrow(/^spans\.jsonl:3: invalid JSON/);
    const notTrace = `${fixture('otlp-small.jsonl').toString()}{"hello":1}\n`;
    expect(() => parseTraceFile(notTrace, 'spans.jsonl')).toThrow(/^spans\.jsonl:3: .*no resourceSpans/);
  });

  it('skips spans without valid ids with a warning instead of failing the file', () => {
    const text = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [
        { traceId: 'nothex', spanId: 'eee19b7ec3c1b174', name: 'bad', startTimeUnixNano: '1' },
        { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'good', startTimeUnixNano: '1', endTimeUnixNano: '2' },
      ] }] }],
    });
    const parsed = parseTraceFile(text, 't.json');
    expect(parsed.spans.map((s) => s.name)).toEqual(['good']);
    expect(parsed.warnings).toEqual([{ kind: 'unparsable', message: 't.json: span "bad" skipped: invalid traceId' }]);
  });

  it('rejects files that are no trace format, naming the file', () => {
    expect(() => parseTraceFile('hello', 'x.txt')).toThrow(InputError);
    expect(() => parseTraceFile('{"foo":1}', 'x.json')).toThrow(/^x\.json: .*neither resourceSpans/);
    expect(() => parseTraceFile('{"traceEvents":', 'x.json')).toThrow(/^x\.json:1: invalid JSON/);
  });
});

describe('Chrome Trace Event files', () => {
  it('reads X and B/E events on several threads in both the object and the array form alike', () => {
    const object = parseTraceFile(fixture('chrome-object.json'), 'trace.json');
    const array = parseTraceFile(fixture('chrome-array.json'), 'trace.json');
    expect(object.format).toBe('chrome');
    expect(array.format).toBe('chrome');
    expect(array.spans).toEqual(object.spans);
    expect(object.warnings).toEqual([]);
  });

  it('nests events by time within their thread, under one added root when there are several top-level events', () => {
    const { spans } = parseTraceFile(fixture('chrome-object.json'), 'trace.json');
    const s = byName(spans);
    expect(spans).toHaveLength(6);
    expect(s[CHROME_ROOT_NAME]!.parentSpanId).toBeNull();
    expect(s.step!.parentSpanId).toBe(s[CHROME_ROOT_NAME]!.spanId);
    expect(s.forward!.parentSpanId).toBe(s.step!.spanId);
    expect(s['aten::mm']!.parentSpanId).toBe(s.forward!.spanId);
    expect(s.dataloader!.parentSpanId).toBe(s[CHROME_ROOT_NAME]!.spanId);
    expect(s.kernel!.parentSpanId).toBe(s[CHROME_ROOT_NAME]!.spanId);
    expect(s['aten::mm']!.startNs).toBe(1_150_500n);
    expect(s['aten::mm']!.endNs).toBe(1_250_000n);
    expect(s.forward!.endNs).toBe(1_300_000n);
    expect(s.forward!.attributes).toEqual({ batch: 4 });
    expect(s.kernel!.resource).toEqual({ 'process.pid': 2, 'thread.id': 7 });
    expect(s[CHROME_ROOT_NAME]!.startNs).toBe(900_000n);
    expect(s[CHROME_ROOT_NAME]!.endNs).toBe(1_500_000n);
  });

  it('analyzes to the expected self and critical-path times', () => {
    const { spans } = parseTraceFile(fixture('chrome-array.json'), 'trace.json');
    const analysis = analyzeRun(spans);
    const m = Object.fromEntries(analysis.metrics.map((x) => [x.path, x]));
    expect(analysis.rootDurationMs).toBeCloseTo(0.6, 12);
    expect(m['trace/step']!.selfMs).toBeCloseTo(0.3, 12);
    expect(m['trace/step/forward']!.selfMs).toBeCloseTo(0.1005, 12);
    expect(m['trace/dataloader']!.criticalMs).toBeCloseTo(0.1, 12);
    expect(m['trace/kernel']!.criticalMs).toBe(0);
    expect(analysis.criticalPath).toEqual(['trace', 'trace/step', 'trace/step/forward', 'trace/step/forward/aten::mm']);
  });

  it('keeps a single top-level event as the root, and repairs unmatched B and E events with warnings', () => {
    const events = [
      { name: 'run', ph: 'B', ts: 0, pid: 1, tid: 1 },
      { name: 'a', ph: 'X', ts: 10, dur: 5, pid: 1, tid: 1 },
      { ph: 'E', ts: 20, pid: 1, tid: 2 },
    ];
    const parsed = parseTraceFile(JSON.stringify(events), 't.json');
    expect(parsed.spans.map((s) => [s.name, s.parentSpanId === null, s.endNs])).toEqual([
      ['run', true, 15_000n],
      ['a', false, 15_000n],
    ]);
    expect(parsed.warnings.map((w) => w.kind)).toEqual(['unparsable', 'unparsable']);
    expect(parsed.warnings[0]!.message).toMatch(/E event without a matching B/);
  });

  it('converts epoch microseconds with fractions to nanoseconds without double rounding', () => {
    expect(microsToNs(1_700_000_000_123_456.5)).toBe(1_700_000_000_123_456_500n);
    expect(microsToNs(0.001)).toBe(1n);
  });
});

describe('parser properties', () => {
  const xEvent = fc.record({
    name: fc.constantFrom('a', 'b', 'c'),
    ph: fc.constant('X'),
    ts: fc.integer({ min: 0, max: 10_000 }),
    dur: fc.integer({ min: 0, max: 3_000 }),
    pid: fc.constantFrom(1, 2),
    tid: fc.constantFrom(1, 2, 3),
  });

  it('Chrome: every X event becomes a span, nested only inside a containing event of its own process', () => {
    fc.assert(
      fc.property(fc.array(xEvent, { minLength: 1, maxLength: 40 }), fc.boolean(), (events, asArray) => {
        const text = JSON.stringify(asArray ? events : { traceEvents: events });
        const { spans } = parseTraceFile(text, 'p.json');
        const real = spans.filter((s) => s.name !== CHROME_ROOT_NAME || s.parentSpanId !== null);
        expect(real).toHaveLength(events.length);
        const byId = new Map(spans.map((s) => [s.spanId, s]));
        for (const s of real) {
          const p = byId.get(s.parentSpanId!);
          if (!p) {
            expect(s.parentSpanId).toBeNull();
            continue;
          }
          // Whole-µs times nest within 1 µs (the exporter rounds), and only inside the same process.
          expect(p.startNs <= s.startNs && s.endNs <= p.endNs + 1000n).toBe(true);
          if (p.resource) expect(p.resource['process.pid']).toBe(s.resource!['process.pid']);
        }
        expect(analyzeRun(spans).metrics.reduce((n, m) => n + m.count, 0)).toBe(spans.length);
      }),
    );
  });

  it('OTLP JSON Lines: splitting a request over lines yields the same spans', () => {
    const { spans } = parseTraceFile(fixture('otlp-small.json'), 'a.json');
    const request = JSON.parse(fixture('otlp-small.json').toString().replace(/("startTimeUnixNano": )(\d+)/, '$1"$2"')) as {
      resourceSpans: { resource: unknown; scopeSpans: { spans: unknown[] }[] }[];
    };
    const raw = request.resourceSpans[0]!.scopeSpans[0]!.spans;
    fc.assert(
      fc.property(fc.array(fc.nat(3), { minLength: raw.length, maxLength: raw.length }), (lineOf) => {
        const lines = [0, 1, 2, 3].map((l) => raw.filter((_, i) => lineOf[i] === l)).filter((group) => group.length > 0)
          .map((group) => JSON.stringify({ resourceSpans: [{ resource: request.resourceSpans[0]!.resource, scopeSpans: [{ spans: group }] }] }));
        const text = lines.length === 1 ? `${lines[0]}\n\n` : `${lines.join('\n')}\n`;
        const parsed = parseTraceFile(text, 'a.jsonl');
        const key = (s: Span) => s.spanId;
        expect([...parsed.spans].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...spans].sort((a, b) => key(a).localeCompare(key(b))));
      }),
    );
  });
});

describe('OTLP request robustness', () => {
  it('never throws on arbitrary JSON inside a trace request: bad spans become warnings', () => {
    const loose = fc.oneof(
      fc.record({ resourceSpans: fc.array(fc.jsonValue(), { maxLength: 4 }) }),
      fc.record({ resourceSpans: fc.constant([{ scopeSpans: [{}] }]).chain(() =>
        fc.array(fc.jsonValue(), { maxLength: 6 }).map((spans) => [{ resource: { attributes: spans }, scopeSpans: [{ spans }] }])) }),
      fc.array(fc.record({
        traceId: fc.oneof(fc.string(), fc.constant('5b8efff798038103d269b633813fc60c')), spanId: fc.oneof(fc.string(), fc.constant('eee19b7ec3c1b174')),
        parentSpanId: fc.jsonValue(), name: fc.jsonValue(), startTimeUnixNano: fc.oneof(fc.jsonValue(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String)),
        endTimeUnixNano: fc.jsonValue(), attributes: fc.jsonValue(), status: fc.jsonValue(),
      }, { requiredKeys: [] }), { maxLength: 5 }).map((spans) => ({ resourceSpans: [{ scopeSpans: [{ spans }] }] })),
    );
    fc.assert(
      fc.property(loose, (request) => {
        const { spans } = parseTraceFile(JSON.stringify(request), 'r.json');
        for (const s of spans) {
          expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
          expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
          expect(typeof s.startNs).toBe('bigint');
        }
        analyzeRun(spans);
      }),
    );
  });
});
