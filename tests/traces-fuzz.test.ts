/**
 * Fuzzing the trace file readers (issue 13): whatever the bytes, parseTraceFile gives a typed value or an
 * InputError naming the file, never another exception; what it returns is bounded by what it read (spans
 * by events, warnings by kinds), and the analysis of it never throws either.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { analyzeRun, coarseFilter } from '../src/traces/analyze.js';
import { renderTraces } from '../src/traces/command.js';
import { parseTraceFile, type ParsedTraceFile } from '../src/traces/files.js';
import { WARNINGS_LISTED_PER_KIND } from '../src/traces/warnings.js';

const KINDS = 9;

/** Parses `input`; returns the result, or null after checking the error is an InputError naming the file. */
function parseOrInputError(input: string | Uint8Array, file = 'fuzz.json'): ParsedTraceFile | null {
  try {
    return parseTraceFile(input, file);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message.startsWith(file)).toBe(true);
    return null;
  }
}

/** A typed, bounded result whose analysis, coarse filter and rendering do not throw. */
function expectUsable(parsed: ParsedTraceFile, inputLength: number): void {
  expect(['chrome', 'otlp-json', 'otlp-jsonl']).toContain(parsed.format);
  expect(parsed.spans.length).toBeLessThanOrEqual(inputLength);
  expect(parsed.warnings.length).toBeLessThanOrEqual(KINDS * (WARNINGS_LISTED_PER_KIND + 1) + 1);
  for (const span of parsed.spans) {
    expect(typeof span.name).toBe('string');
    expect(typeof span.startNs).toBe('bigint');
    expect(typeof span.endNs).toBe('bigint');
  }
  const analysis = analyzeRun(parsed.spans);
  expect(analysis.metrics.reduce((n, m) => n + m.count, 0)).toBe(parsed.spans.length);
  coarseFilter(parsed.spans);
  renderTraces([{ file: 'fuzz.json', spans: parsed.spans, warnings: parsed.warnings }], { json: false });
  JSON.stringify(parsed.spans.map((s) => s.attributes));
}

const anyScalar = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.constant(1.79e15), fc.constant(1e300));
const chromeEvent = fc.record(
  {
    ph: fc.oneof(fc.constantFrom('X', 'B', 'E', 's', 't', 'f', 'i', 'M', 'C', 'b', 'e'), anyScalar),
    name: fc.oneof(fc.constantFrom('step', 'a/b', 'say "hi"', 'PyTorch Profiler (0)', 'aten::mm', '…'), anyScalar),
    cat: fc.oneof(fc.constantFrom('ac2g', 'kernel', 'Trace', 'cpu_op', 'user_annotation'), anyScalar),
    ts: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.double({ min: 1.79e15, max: 1.79e15 + 1e4, noNaN: true }), anyScalar),
    dur: fc.oneof(fc.integer({ min: -5, max: 2000 }), anyScalar),
    pid: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('Spans', 'CPU functions'), anyScalar),
    tid: fc.oneof(fc.integer({ min: 0, max: 3 }), anyScalar),
    id: fc.oneof(fc.integer({ min: 0, max: 3 }), anyScalar, fc.object()),
    bp: fc.constantFrom('e', 'x'),
    args: fc.oneof(fc.object({ maxDepth: 3 }), anyScalar, fc.array(anyScalar)),
  },
  { requiredKeys: [] },
);
const chromeDocument = fc.oneof(
  fc.array(fc.oneof(chromeEvent, anyScalar), { maxLength: 40 }),
  fc.record({ traceEvents: fc.oneof(fc.array(fc.oneof(chromeEvent, anyScalar), { maxLength: 40 }), anyScalar) }, { requiredKeys: [] }),
);
const otlpSpan = fc.record(
  {
    traceId: fc.oneof(fc.constant('5b8efff798038103d269b633813fc60c'), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }), anyScalar),
    spanId: fc.oneof(fc.integer({ min: 1, max: 20 }).map((n) => n.toString(16).padStart(16, '0')), anyScalar),
    parentSpanId: fc.oneof(fc.integer({ min: 0, max: 20 }).map((n) => n.toString(16).padStart(16, '0')), anyScalar),
    name: fc.oneof(fc.string(), anyScalar),
    startTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 26n }).map(String), anyScalar),
    endTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 26n }).map(String), anyScalar),
    attributes: fc.oneof(fc.array(fc.record({ key: fc.string(), value: fc.object({ maxDepth: 3 }) })), anyScalar),
    status: fc.oneof(fc.record({ code: anyScalar }), anyScalar),
  },
  { requiredKeys: [] },
);
const otlpRequest = fc.record({
  resourceSpans: fc.oneof(
    fc.array(fc.record({ resource: fc.oneof(fc.object({ maxDepth: 2 }), anyScalar), scopeSpans: fc.oneof(fc.array(fc.record({ spans: fc.oneof(fc.array(otlpSpan, { maxLength: 10 }), anyScalar) })), anyScalar) }), { maxLength: 3 }),
    anyScalar,
  ),
});

/** The text cut at a random point, a random character inserted, or left whole. */
const mutated = (text: string) =>
  fc.oneof(
    fc.constant(text),
    fc.nat({ max: Math.max(text.length - 1, 0) }).map((n) => text.slice(0, n)),
    fc.tuple(fc.nat({ max: text.length }), fc.string({ minLength: 1, maxLength: 3 })).map(([n, s]) => text.slice(0, n) + s + text.slice(n)),
  );

describe('fuzzing trace files: a typed value or an InputError, never a crash', () => {
  it('Chrome Trace Event JSON, whole or damaged, plain or gzip', () => {
    fc.assert(
      fc.property(chromeDocument.chain((doc) => mutated(JSON.stringify(doc))), fc.boolean(), (text, gzip) => {
        const parsed = parseOrInputError(gzip ? gzipSync(text) : text);
        if (parsed) expectUsable(parsed, text.length + 1);
      }),
      { numRuns: 400 },
    );
  });

  it('OTLP JSON and OTLP JSON Lines', () => {
    fc.assert(
      fc.property(fc.array(otlpRequest, { minLength: 1, maxLength: 3 }).chain((requests) => mutated(requests.map((r) => JSON.stringify(r)).join('\n'))), (text) => {
        const parsed = parseOrInputError(text, 'fuzz.jsonl');
        if (parsed) expectUsable(parsed, text.length + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('real producers\' files, damaged', () => {
    const legacy = readFileSync(new URL('../fixtures/traces/torch/legacy-pipeline.json', import.meta.url), 'utf8');
    const kineto = readFileSync(new URL('../fixtures/traces/torch/kineto-style.json', import.meta.url), 'utf8');
    fc.assert(
      fc.property(fc.constantFrom(legacy, kineto).chain(mutated), (text) => {
        const parsed = parseOrInputError(text);
        if (parsed) expectUsable(parsed, text.length + 1);
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary bytes and strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 200 }), fc.constant('['.repeat(100_000))), (input) => {
        const parsed = parseOrInputError(input);
        if (parsed) expectUsable(parsed, input.length + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('arguments nested 100,000 deep are left out, so writing the span line cannot overflow the stack', () => {
    const args = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const parsed = parseTraceFile(`[{"name":"x","ph":"X","ts":1,"dur":1,"pid":1,"tid":1,"args":${args}}]`, 'deep-args.json');
    expect(parsed.spans[0]!.attributes).toEqual({ 'frametail.args': 'left out: nested deeper than 32 levels' });
    expect(parsed.warnings.map((w) => w.kind)).toEqual(['dropped']);
  });
});
