import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResults } from './read.js';
import { fastRunLine } from './run-line.js';
import { ByteNames, runLineFromBytes } from './run-line-bytes.js';

const HEADER = JSON.stringify({ type: 'header', schema: 'frametail.results/1', side: 'head' });

/** Strings as hostile as a results file may hold: quotes, backslashes, control characters, any code point. */
const text = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('', 'a"b', 'c\\d', 'tab\there', 'nl\nx', '\u2028', '\u0000', 'é', '😀', '__proto__', 'constructor', '1', '-0'),
);
const number = fc.oneof(
  fc.double(),
  fc.integer({ min: -3, max: 1e6 }),
  fc.constantFrom(0, -0, 1203.328, 0.1, 1e21, 5e-324, 123456789012345, 1234567890123456, 2 ** 53 + 2),
  fc.double({ min: 0, max: 1e5 }).map((x) => Math.round(x * 1000) / 1000),
);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
/** Mostly a valid value, sometimes anything: enough lines of each kind reach both paths. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<U>) => fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: other });
const name = fc.oneof(fc.constantFrom('a', 'b', 'head-a-v-r1'), fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), fc.constantFrom('a"b', 'c\\d', 'é', '😀', 'constructor', '__proto__'));
const latency = fc.oneof(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.double({ min: 0, max: 1e5 }).map((x) => Math.round(x * 1000) / 1000), fc.integer({ min: 0, max: 1e6 }));

/** A run line with the writer's key order (src/runner/matrix.ts), mostly valid. */
const writerLine = fc
  .record({
    id: mostly(name, text),
    side: mostly(fc.constantFrom('base', 'head'), text),
    input: mostly(name, text),
    variant: mostly(name, text),
    round: optional(mostly(fc.integer({ min: 0, max: 40 }), number)),
    status: mostly(fc.constantFrom('completed', 'completed', 'failed', 'timeout'), text),
    latencyMs: optional(mostly(latency, fc.oneof(number, fc.constant(null)))),
    latencySource: optional(mostly(fc.constantFrom('root', 'wall', 'span:generate'), fc.oneof(text, fc.constant('x'.repeat(1001))))),
    latencyReason: optional(mostly(fc.constantFrom('root span "generate"', 'no spans arrived'), fc.oneof(text, fc.constant('y'.repeat(2001))))),
    wallMs: optional(mostly(latency, number)),
    granularity: optional(mostly(fc.constantFrom('coarse', 'fine'), text)),
    phase: optional(mostly(fc.constantFrom('measure', 'warmup', 'attribution'), text)),
    traceId: optional(mostly(fc.constantFrom('0af7651916cd43dd8448eb211c80319c', null), text)),
    exitCode: optional(mostly(fc.oneof(fc.integer({ min: -1, max: 255 }), fc.constant(null)), number)),
    error: optional(mostly(fc.oneof(text, fc.constant(null)), fc.constant('e'.repeat(5000)))),
    startedAt: optional(mostly(fc.constant('2026-11-29T20:00:00.000Z'), text)),
    metrics: optional(fc.dictionary(name, mostly(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.oneof(number, fc.constant('x'))), { maxKeys: 4 })),
    spans: optional(mostly(fc.integer({ min: 0, max: 9 }), number)),
  })
  .map((fields) => JSON.stringify({ type: 'run', ...fields }));

/** Edits of a line's text: whitespace, other key order, repeated and extra keys, stray bytes, cuts. */
const edited = fc.tuple(writerLine, fc.nat(), fc.nat(), fc.constantFrom('none', 'none', 'none', 'none', 'space', 'swap', 'swap', 'repeat', 'extra', 'byte', 'cut', 'cr', 'bom')).map(([line, a, b, edit]) => {
  const commas = [...line.matchAll(/,"/g)].map((m) => m.index);
  const at = commas.length > 0 ? commas[a % commas.length]! : 1;
  switch (edit) {
    case 'space':
      return line.slice(0, at + 1) + ' ' + line.slice(at + 1);
    case 'swap': {
      const value = JSON.parse(line) as Record<string, unknown>;
      const keys = Object.keys(value);
      const i = a % keys.length;
      const j = b % keys.length;
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
      return JSON.stringify(Object.fromEntries(keys.map((k) => [k, value[k]])));
    }
    case 'repeat':
      return line.slice(0, -1) + line.slice(at, -1) + '}';
    case 'extra':
      return line.slice(0, -1) + ',"extra":' + JSON.stringify(b % 2 ? [1] : 'x') + '}';
    case 'byte':
      return line.slice(0, a % line.length) + String.fromCharCode(b % 128) + line.slice((a % line.length) + 1);
    case 'cut':
      return line.slice(0, a % line.length);
    case 'cr':
      return line + '\r';
    case 'bom':
      return '\ufeff' + line;
    default:
      return line;
  }
});

describe('runLineFromBytes', () => {
  it('reads a results file exactly as the text path does: the same runs, warnings and line numbers', () => {
    const names = new ByteNames((name) => name);
    let taken = 0;
    fc.assert(
      fc.property(fc.array(edited, { minLength: 1, maxLength: 6 }), (lines) => {
        for (const line of lines) if (runLineFromBytes(Buffer.from(line), 0, Buffer.byteLength(line), names)) taken++;
        // As bytes (a lone surrogate in a generated string becomes U+FFFD), and as the text of those bytes.
        const bytes = Buffer.from([HEADER, ...lines].join('\n') + '\n');
        // parseResults of a string never takes the byte path; of bytes it takes it for every line it can.
        expect(parseResults(bytes, 'r.jsonl')).toStrictEqual(parseResults(bytes.toString('utf8'), 'r.jsonl'));
      }),
      { numRuns: 1500 },
    );
    // About a third of the edited lines are ones the byte path reads itself (the rest it leaves to the text path).
    expect(taken).toBeGreaterThan(300);
  });

  it('reads the same from raw bytes as from their UTF-8 text, invalid sequences included', () => {
    fc.assert(
      fc.property(writerLine, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 3 }), (line, at, bytes) => {
        const raw = Buffer.from(line);
        const place = at % raw.length;
        const mangled = Buffer.concat([raw.subarray(0, place), Buffer.from(bytes.map((b) => (b === 0x0a ? 0x80 : b))), raw.subarray(place)]);
        const content = Buffer.concat([Buffer.from(HEADER + '\n'), mangled, Buffer.from('\n')]);
        expect(parseResults(content, 'r.jsonl')).toStrictEqual(parseResults(content.toString('utf8'), 'r.jsonl'));
      }),
      { numRuns: 1000 },
    );
  });

  it('takes the line the writer writes, with its numbers exact', () => {
    const names = new ByteNames((name) => name);
    fc.assert(
      fc.property(
        fc.record({
          id: fc.string({ minLength: 1, maxLength: 30 }),
          side: fc.constantFrom('base', 'head'),
          input: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
          variant: fc.string({ minLength: 1, maxLength: 8 }),
          round: fc.integer({ min: 0, max: 1000 }),
          latencyMs: fc.double({ min: 0, max: 1e7, noNaN: true }),
          wallMs: fc.double({ min: 0, max: 1e7, noNaN: true }).map((x) => Math.round(x * 1000) / 1000),
          metrics: fc.dictionary(fc.string({ maxLength: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true }), { maxKeys: 3 }),
          spans: fc.integer({ min: 0, max: 500 }),
        }),
        (fields) => {
          const value = { type: 'run', id: fields.id, side: fields.side, input: fields.input, variant: fields.variant, round: fields.round, status: 'completed', latencyMs: fields.latencyMs, wallMs: fields.wallMs, granularity: 'coarse', phase: 'measure', traceId: 'abc', exitCode: 0, error: null, startedAt: '2026-11-29T20:00:00.000Z', metrics: fields.metrics, spans: fields.spans };
          const line = Buffer.from(JSON.stringify(value));
          const run = runLineFromBytes(line, 0, line.length, names);
          expect(run).toBeDefined();
          expect(run).toStrictEqual(fastRunLine(JSON.parse(line.toString()) as Record<string, unknown>));
          expect(Object.is(run!.latencyMs, fields.latencyMs)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('leaves to the text path what it does not read itself', () => {
    const names = new ByteNames((name) => name);
    const line = '{"type":"run","id":"r","side":"head","input":"a","variant":"v","status":"completed","latencyMs":5}';
    const read = (text: string) => runLineFromBytes(Buffer.from(text), 0, Buffer.byteLength(text), names);
    expect(read(line)).toMatchObject({ id: 'r', latencyMs: 5 });
    expect(read(line.replace('"id":"r",', '') + '')).toBeUndefined();
    expect(read(line.replace(',"side"', ', "side"'))).toBeUndefined();
    expect(read(line.replace('}', ',"extra":1}'))).toBeUndefined();
    expect(read(line.replace('}', ',"id":"s"}'))).toBeUndefined();
    expect(read(line.replace('}', ',"traceErrors":["x"]}'))).toBeUndefined();
    expect(read(line.replace('"latencyMs":5', '"latencyMs":"5"'))).toBeUndefined();
    expect(read(line.replace('"latencyMs":5', '"latencyMs":05'))).toBeUndefined();
    expect(read(line.replace('"r"', '"r\u0001"'))).toBeUndefined();
    expect(read(line.replace('}', ',"metrics":{"ownMs":1,"ownMs":2}}'))).toBeUndefined();
    expect(read(line.slice(0, -1))).toBeUndefined();
  });
});
