/**
 * The byte-level fast path for run lines must give exactly what the full path (JSON.parse, then zod)
 * gives, for every line: the same runs, the same warnings naming file:line, the same refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResults, type ResultsFile } from './read.js';
import { RunLineScanner } from './run-line-bytes.js';

const hostileString = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('', 'a"b', 'back\\slash', 'line\nbreak', 'tab\t', '\u0000', '\u2028', '\ud800', '\u00e9t\u00e9', '\ud83c\udfac', '__proto__', 'constructor', '{"x":1}', '\u001b[31mred'),
);
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, 1e21, 123456789012345, Number('1234567890123456789'), 0.1, 5e-324), fc.integer({ min: -2, max: 30 }));
/** A value for `key`: usually a valid one, sometimes anything. */
const valueFor = (valid: fc.Arbitrary<unknown>) => fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: fc.oneof(hostileString, number, fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.constant({ a: [1] })) });

const fields: Record<string, fc.Arbitrary<unknown>> = {
  type: fc.oneof({ weight: 8, arbitrary: fc.constant('run') }, { weight: 1, arbitrary: fc.constantFrom('span', 'header', 'footer', 'Run', 1) }),
  id: valueFor(hostileString.filter((s) => s !== '')),
  side: valueFor(fc.constantFrom('base', 'head')),
  input: valueFor(hostileString),
  variant: valueFor(hostileString),
  round: valueFor(fc.integer({ min: -1, max: 50 })),
  status: valueFor(fc.constantFrom('completed', 'failed', 'timeout')),
  latencyMs: valueFor(fc.oneof(number, fc.constant(null))),
  latencySource: valueFor(fc.constantFrom('root', 'wall', 'span:generate')),
  latencyReason: valueFor(fc.oneof(hostileString, fc.constant('root span "generate"'))),
  traceErrors: valueFor(fc.array(hostileString, { maxLength: 3 })),
  wallMs: valueFor(number),
  granularity: valueFor(fc.constantFrom('coarse', 'fine')),
  phase: valueFor(fc.constantFrom('measure', 'warmup', 'attribution')),
  traceId: valueFor(fc.oneof(fc.constant('0af7651916cd43dd8448eb211c80319c'), hostileString, fc.constant(null))),
  exitCode: valueFor(fc.oneof(fc.integer({ min: -1, max: 255 }), fc.constant(null))),
  error: valueFor(fc.oneof(hostileString, fc.constant(null))),
  startedAt: valueFor(fc.oneof(fc.constant('2026-11-29T20:00:00.000Z'), hostileString)),
  spans: valueFor(fc.integer({ min: -1, max: 9 })),
  metrics: valueFor(fc.dictionary(fc.oneof(hostileString, fc.constantFrom('ownMs', '__proto__', '2', '10')), number, { maxKeys: 4 })),
  missingMetrics: valueFor(fc.array(hostileString, { maxLength: 3 })),
  extra: fc.oneof(hostileString, number, fc.constant({ nested: { deep: [1, 'x'] } }), fc.constant([null, true])),
};

const spaces = fc.constantFrom('', '', '', ' ', '\t', ' \r', '  ');
/** A run line as text: the canonical fields, shuffled, some left out or repeated, JSON whitespace anywhere. */
const runLineText = fc
  .tuple(
    fc.shuffledSubarray(Object.keys(fields), { minLength: 1 }),
    fc.record(fields),
    fc.array(fc.constantFrom(...Object.keys(fields)), { maxLength: 2 }),
    fc.array(spaces, { minLength: 8, maxLength: 8 }),
  )
  .map(([keys, values, repeated, ws]) => {
    const entries = [...keys, ...repeated].map((key, i) => `${ws[i % 8]}${JSON.stringify(key)}${ws[(i + 1) % 8]}:${ws[(i + 2) % 8]}${JSON.stringify(values[key])}${ws[(i + 3) % 8]}`);
    return `${ws[4]}{${entries.join(',')}}${ws[5]}`;
  });

/** A line frametail itself writes (canonical key order), as most lines of a big file are. */
const canonicalLine = fc
  .record({ id: fc.string({ minLength: 1, maxLength: 20 }), input: fc.string({ minLength: 1, maxLength: 8 }), variant: fc.string({ minLength: 1, maxLength: 8 }), round: fc.nat(100), failed: fc.boolean(), latencyMs: fc.double({ min: 0, max: 1e6, noNaN: true }), reason: fc.string({ maxLength: 20 }) })
  .map((r) =>
    JSON.stringify({
      type: 'run', id: r.id, side: 'head', input: r.input, variant: r.variant, round: r.round, status: r.failed ? 'failed' : 'completed', latencyMs: r.failed ? null : r.latencyMs,
      ...(r.failed ? {} : { latencySource: 'root', latencyReason: r.reason }), wallMs: r.latencyMs + 3, granularity: 'coarse', phase: 'measure', traceId: '0af7651916cd43dd8448eb211c80319c',
      exitCode: r.failed ? 1 : 0, error: r.failed ? r.reason : null, startedAt: '2026-11-29T20:00:00.000Z', metrics: { ownMs: r.latencyMs / 2 }, spans: 3,
    }),
  );

/** A line cut, with bytes inserted or replaced: what a kill, a bad disk or a hostile artifact gives. */
const damagedLine = fc
  .tuple(fc.oneof(runLineText, canonicalLine), fc.nat(), fc.nat(), fc.uint8Array({ minLength: 0, maxLength: 3 }), fc.constantFrom('cut', 'insert', 'replace'))
  .map(([text, at, length, inserted, how]) => {
    const bytes = Buffer.from(text);
    const i = at % (bytes.length + 1);
    if (how === 'cut') return bytes.subarray(0, i);
    const tail = how === 'replace' ? bytes.subarray(Math.min(bytes.length, i + (length % 3) + 1)) : bytes.subarray(i);
    return Buffer.concat([bytes.subarray(0, i), Buffer.from(inserted.filter((b) => b !== 0x0a)), tail]);
  });

const anyLine = fc.oneof(runLineText.map((t) => Buffer.from(t)), canonicalLine.map((t) => Buffer.from(t)), damagedLine);

function parsed(bytes: Buffer, fastPath: boolean): ResultsFile | string {
  try {
    return parseResults(bytes, 'results.jsonl', { fastPath });
  } catch (error) {
    return (error as Error).message;
  }
}

const scan = (bytes: Buffer, start = 0, end = bytes.length) => new RunLineScanner().scan(bytes, start, end);

describe('RunLineScanner', () => {
  it('gives the run line the full path (JSON.parse, then zod) gives, without a warning, or leaves the line to it', () => {
    let read = 0;
    fc.assert(
      fc.property(anyLine, (bytes) => {
        const fast = scan(bytes);
        if (fast === undefined) return;
        read++;
        // The reader's checks after either path (a usable latency) still apply.
        const slow = parsed(Buffer.concat([bytes, Buffer.from('\n{"type":"footer","complete":false,"runs":0}')]), false) as ResultsFile;
        if (slow.runs.length === 0) expect(slow.warnings).toEqual([expect.stringMatching(/^results\.jsonl:1: latencyMs: .*; the run is ignored$/)]);
        else {
          expect(slow.warnings).toEqual([]);
          expect(fast).toStrictEqual(slow.runs[0]);
        }
      }),
      { numRuns: 4000 },
    );
    // The property is about the lines it reads: most canonical lines and some shuffled ones are.
    expect(read).toBeGreaterThan(800);
  });

  it('reads the lines frametail writes itself (no fallback on the common case)', () => {
    fc.assert(
      fc.property(canonicalLine, (text) => {
        expect(scan(Buffer.from(text))).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });

  it('reads numbers as JSON.parse does, to the last bit', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 10 ** 9 }).map((n) => n / 1000), fc.constantFrom('0.1', '1e2', '-0', '-0.0', '1.5E+3', '123456789012345.6', '0.000001234', '1e400', '9007199254740993')), (value) => {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        const bytes = Buffer.from(`{"type":"run","id":"r","side":"head","input":"a","variant":"v","status":"completed","latencyMs":${text}}`);
        expect(scan(bytes)?.latencyMs).toBe(JSON.parse(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('never reads past the end of its line', () => {
    const line = Buffer.from('{"type":"run","id":"r","side":"head","input":"a","variant":"v","status":"completed","latencyMs":12');
    const both = Buffer.concat([line, Buffer.from('3}')]);
    expect(scan(both, 0, line.length)).toBeUndefined();
    expect(scan(both, 0, both.length)).toMatchObject({ latencyMs: 123 });
  });
});

describe('results files read with and without the fast path', () => {
  it('give the same runs, warnings (file:line) and refusals for any lines', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, newline, lastNewline) => {
        const bytes = Buffer.concat(lines.flatMap((line, i) => [line, Buffer.from(i < lines.length - 1 || lastNewline ? newline : '')]));
        expect(parsed(bytes, true)).toStrictEqual(parsed(bytes, false));
      }),
      { numRuns: 2000 },
    );
  });

  it('a bad run line still names its file and line', () => {
    const good = '{"type":"run","id":"a","side":"head","input":"i","variant":"v","round":1,"status":"completed","latencyMs":5}';
    const results = parseResults(Buffer.from(`${good}\n${good.replace('"a"', '"b"').replace('5}', '-5}')}\n${good.replace('"completed"', '"done"').replace('"a"', '"c"')}\n${good}\n`), 'r.jsonl');
    expect(results.runs.map((r) => r.id)).toEqual(['a']);
    expect(results.warnings).toEqual([
      'r.jsonl:2: latencyMs: -5 is negative; the run is ignored',
      'r.jsonl:3: status: Invalid option: expected one of "completed"|"failed"|"timeout"; the line is ignored',
      'r.jsonl:4: id: run "a" already appeared on line 1; the duplicate is ignored',
    ]);
  });
});
