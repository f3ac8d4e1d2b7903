// `frametail traces`' byte scan of Chrome traces (src/traces/chrome-scan.ts) against the parsed-document path
// (JSON.parse, then chrome.ts's spansFromChromeTrace): the same spans and warnings for random traces with
// hostile strings, escapes, odd numbers, repeated and unknown members, nested args and non-object events;
// and for mutated or cut texts, either the scan leaves the text to JSON.parse or JSON.parse agrees with it.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spansFromChromeTrace } from '../src/traces/chrome.js';
import { scanChromeTrace } from '../src/traces/chrome-scan.js';
import { parseTraceFile } from '../src/traces/files.js';
import type { Span, TraceWarning } from '../src/traces/span.js';

const FILE = 'trace.json';

/** What a span shows: every field the Span interface has, read through its getters. */
function view(spans: Span[]) {
  return spans.map((s) => ({
    traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, startNs: s.startNs, endNs: s.endNs,
    status: s.status, attributes: s.attributes, resource: s.resource, code: s.code, producer: s.producer, synthetic: s.synthetic,
    attributeKeys: Object.keys(s.attributes),
  }));
}

/** The parsed-document path on the same text (what parseTraceFile did before the scan). */
function reference(text: string, fileIndex = 0): { spans: ReturnType<typeof view>; warnings: TraceWarning[] } {
  const warnings: TraceWarning[] = [];
  const spans = spansFromChromeTrace(JSON.parse(text.replace(/^\uFEFF/, '')), FILE, warnings, { fileIndex });
  return { spans: view(spans), warnings };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function scanned(bytes: Buffer, fileIndex = 0): { spans: ReturnType<typeof view>; warnings: TraceWarning[] } | undefined {
  const warnings: TraceWarning[] = [];
  const spans = scanChromeTrace(bytes, FILE, warnings, fileIndex);
  return spans && { spans: view(spans), warnings };
}

const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('', '"', '\\', 'aten::mm', 'ProfilerStep#3', 'PyTorch Profiler (0)', 'Trace', 'cpu_op', 'kernel', '🎬 décodé', 'e', '__proto__'),
);
/** JSON text of a string: as JSON.stringify writes it, or with every letter as a \u00XX escape. */
const stringText = fc.tuple(hostile, fc.boolean()).map(([s, escaped]) =>
  escaped ? JSON.stringify(s).replace(/[a-z]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : JSON.stringify(s),
);
/** JSON number texts, in every spelling JSON allows. */
const numberText = fc.oneof(
  fc.integer({ min: -1000, max: 100_000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.nat({ max: 999_999 }), fc.nat({ max: 8 })).map(([i, f, digits]) => (digits === 0 ? `${i}` : `${i}.${String(f).padStart(digits, '0').slice(0, digits)}`)),
  // 16 and 17 digits, where integer / 10^k would round twice and differ from JSON.parse (found by search).
  fc.constantFrom('0', '-0', '0.0', '1e3', '1E+2', '2.5e-3', '-1.5', '1790000000000010.125', '9007199254740993', '123456789012345.6', '1e400', '0.1000000000000000055511151231257827', '1.3130430831474239', '987771302366790.99', '9976868004151.7068', '1184634.4349671659'),
);
const literalText = fc.constantFrom('true', 'false', 'null');
const leafText = fc.oneof({ weight: 3, arbitrary: numberText }, { weight: 3, arbitrary: stringText }, { weight: 1, arbitrary: literalText });
/** A JSON value's text (objects may repeat keys, nesting bounded). */
const valueText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    leafText,
    fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
    fc.array(fc.tuple(fc.oneof(stringText, fc.constantFrom('"a"', '"__proto__"', '"0"', '"7"', '"External id"')), tie('value')), { maxLength: 4 }).map((members) => `{${members.map(([k, v]) => `${k}:${v}`).join(',')}}`),
  ),
})).value;

const ws = fc.constantFrom('', ' ', '\n  ', '\t', '\r\n');
const phText = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('"X"', '"B"', '"E"', '"s"', '"t"', '"f"') }, { weight: 1, arbitrary: fc.constantFrom('"i"', '"M"', '"C"', '"x"', '1', 'null', '"\\u0058"') });
/** One event's members: the ones collectEvents reads (any value kind, sometimes twice) and others. */
const member = fc.oneof(
  { weight: 4, arbitrary: phText.map((v) => ['ph', v] as const) },
  { weight: 4, arbitrary: fc.oneof({ weight: 5, arbitrary: numberText }, { weight: 1, arbitrary: valueText }).map((v) => ['ts', v] as const) },
  { weight: 3, arbitrary: fc.oneof({ weight: 5, arbitrary: numberText }, { weight: 1, arbitrary: valueText }).map((v) => ['dur', v] as const) },
  { weight: 3, arbitrary: fc.oneof(stringText, valueText).map((v) => ['name', v] as const) },
  { weight: 2, arbitrary: fc.oneof(stringText, valueText).map((v) => ['cat', v] as const) },
  { weight: 3, arbitrary: fc.oneof(fc.constantFrom('1', '2', '"1"', '"CPU functions"'), valueText).map((v) => ['pid', v] as const) },
  { weight: 3, arbitrary: fc.oneof(fc.constantFrom('1', '7', '"1"', '"stream 7"'), valueText).map((v) => ['tid', v] as const) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('id', 'id2'), fc.oneof(fc.constantFrom('1', '2', '"1"'), valueText)) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('"e"', '"s"'), valueText).map((v) => ['bp', v] as const) },
  { weight: 3, arbitrary: fc.oneof(fc.constant('{}'), fc.constant('{ }'), valueText).map((v) => ['args', v] as const) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('other', 's', '__proto__', 'phx', 'nam', 'args2'), valueText) },
);
const eventText = fc.tuple(fc.array(fc.tuple(member, ws), { maxLength: 9 }), ws).map(
  ([members, w]) => `{${w}${members.map(([[key, value], space]) => `"${key}"${space}:${space}${value}`).join(`,${w}`)}${w}}`,
);
const elementText = fc.oneof({ weight: 12, arbitrary: eventText }, { weight: 1, arbitrary: valueText });
/** A whole trace: a bare array, or an object with traceEvents among other members; sometimes a BOM. */
const traceText = fc
  .tuple(fc.array(fc.tuple(elementText, ws), { maxLength: 14 }), fc.constantFrom('array', 'object', 'object-late'), ws, fc.boolean())
  .map(([elements, form, w, bom]) => {
    const events = `[${w}${elements.map(([e, s]) => `${e}${s}`).join(`,${w}`)}]`;
    const body =
      form === 'array' ? events
      : form === 'object' ? `{"traceEvents":${w}${events},"schemaVersion":1}`
      : `{"deviceProperties":[{"id":0}],${w}"displayTimeUnit":"ms","traceEvents":${events}}`;
    return `${bom ? '\uFEFF' : ''}${w}${body}${w}`;
  });

describe('Chrome traces read from their bytes (chrome-scan.ts)', () => {
  it('gives the spans and warnings of JSON.parse then spansFromChromeTrace, on random traces', () => {
    fc.assert(
      fc.property(traceText, fc.nat({ max: 3 }), (text, fileIndex) => {
        const bytes = Buffer.from(text);
        const scan = scanned(bytes, fileIndex);
        // Event keys here are escape-free and nesting is shallow: the scan reads every such trace itself.
        expect(scan).toBeDefined();
        expect(scan).toEqual(reference(text, fileIndex));
        // parseTraceFile takes the scan for such a file and says it is Chrome.
        const parsed = parseTraceFile(bytes, FILE, fileIndex);
        expect(parsed.format).toBe('chrome');
        expect(view(parsed.spans)).toEqual(scan!.spans);
      }),
      { numRuns: 400 },
    );
  });

  it('reads nothing JSON.parse would refuse: on mutated and cut texts it agrees with JSON.parse or leaves the text to it', () => {
    fc.assert(
      fc.property(traceText, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...' "{}[],:\\0e.-+tu\x01\x7f\xff'.split(''))), { minLength: 1, maxLength: 3 }), fc.nat(), (text, edits, cut) => {
        const bytes = Buffer.from(text);
        for (const [at, c] of edits) bytes[at % bytes.length] = c.charCodeAt(0);
        const body = cut % 3 === 0 ? bytes.subarray(0, cut % bytes.length) : bytes;
        const scan = scanned(body);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
        } catch {
          expect(scan).toBeUndefined();
          return;
        }
        const isChrome = Array.isArray(parsed) || Array.isArray((parsed as { traceEvents?: unknown } | null)?.traceEvents);
        if (scan) {
          expect(isChrome).toBe(true);
          expect(scan).toEqual(reference(body.toString('utf8')));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves to JSON.parse what it does not read itself, and parseTraceFile then reads it as before', () => {
    const cases = [
      '{"traceEvents":[{"ph":"X","ts":1,"dur":2,"name":"a"}],"traceEvents":[{"ph":"X","ts":5,"dur":1,"name":"b"}]}', // repeated traceEvents: the last wins
      '{"trace\\u0045vents":[{"ph":"X","ts":1,"dur":2,"name":"a"}]}', // an escaped key
      `[${'['.repeat(600)}${']'.repeat(600)},{"ph":"X","ts":1,"dur":2,"name":"deep"}]`, // nesting past MAX_SKIP_DEPTH
      '{"traceEvents":{"ph":"X"}}', // not an array
    ];
    for (const text of cases) {
      expect(scanned(Buffer.from(text))).toBeUndefined();
      if (text.startsWith('{"traceEvents":{')) continue;
      const warnings: TraceWarning[] = [];
      const expected = view(spansFromChromeTrace(JSON.parse(text), FILE, warnings));
      expect(view(parseTraceFile(Buffer.from(text), FILE).spans)).toEqual(expected);
    }
  });

  it('reads numbers as JSON.parse does, bit for bit: short ones, epoch microseconds with fractions, midpoints, exponents', () => {
    const epoch = fc.tuple(fc.bigInt({ min: 1n, max: 2n ** 54n }), fc.nat({ max: 999_999 }), fc.integer({ min: 0, max: 7 }), fc.boolean()).map(
      ([whole, fraction, digits, negative]) => `${negative ? '-' : ''}${whole}${digits === 0 ? '' : `.${String(fraction).padStart(7, '0').slice(-digits)}`}`,
    );
    const midpoints = fc.constantFrom('4503599627370496.5', '4503599627370497.5', '9007199254740991.5', '9007199254740993.5', '8589934592.000001', '8589934591.999999', '1790000000000010.125', '1790000000000010.375', '17179869184.0000005');
    fc.assert(
      fc.property(fc.oneof(epoch, numberText, midpoints), (number) => {
        const text = `[{"ph":"X","ts":1,"dur":1,"name":"n","args":{"v":${number}}}]`;
        const scan = scanned(Buffer.from(text))!;
        expect(Object.is(scan.spans[0]!.attributes.v, JSON.parse(number))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves a trace whose first 1,024 events mostly carry args to JSON.parse, and reads one that mostly does not', () => {
    const event = (i: number, args: boolean) => ({ ph: 'X', name: `op${i % 7}`, ts: i * 10, dur: 5, pid: 1, tid: 1, ...(args ? { args: { 'External id': i } } : { args: {} }) });
    const heavy = JSON.stringify({ traceEvents: Array.from({ length: 5000 }, (_, i) => event(i, i % 4 !== 0)) });
    const light = JSON.stringify(Array.from({ length: 5000 }, (_, i) => event(i, i % 4 === 0)));
    expect(scanned(Buffer.from(heavy))).toBeUndefined();
    expect(view(parseTraceFile(Buffer.from(heavy), FILE).spans)).toEqual(reference(heavy).spans);
    expect(scanned(Buffer.from(light))).toEqual(reference(light));
  });

  it("reads the files Debian's python3-torch wrote (fixtures/traces/torch) as the JSON.parse path does", () => {
    const files = ['legacy-pipeline.json', 'schedule/step-1.json', 'schedule/step-2.json', 'kineto-style.json', 'perfetto-style.json'];
    let readByScan = 0;
    for (const name of files) {
      const bytes = readFileSync(new URL(`../fixtures/traces/torch/${name}`, import.meta.url));
      const text = bytes.toString('utf8');
      const scan = scanned(bytes);
      if (!isJson(text)) {
        // The legacy exporter's unescaped `"` in names: not JSON, so the scan leaves it to the repairing reader.
        expect(scan, name).toBeUndefined();
        continue;
      }
      if (scan) readByScan++;
      if (scan) expect(scan, name).toEqual(reference(text));
      expect(view(parseTraceFile(bytes, FILE).spans), name).toEqual(reference(text).spans);
    }
    // The profiler's own valid files go through the scan, not around it.
    expect(readByScan).toBeGreaterThanOrEqual(2);
  });

  it('keeps an args member named __proto__ as an own attribute, as JSON.parse does', () => {
    const text = '[{"ph":"X","ts":1,"dur":2,"name":"a","args":{"x":1,"__proto__":{"polluted":true},"y":"z"}}]';
    const scan = scanned(Buffer.from(text))!;
    expect(scan).toEqual(reference(text));
    expect(Object.keys(scan.spans[0]!.attributes)).toEqual(['x', '__proto__', 'y']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps epoch microseconds with fractions exact (past 15 digits, through Number as JSON.parse rounds)', () => {
    const text = JSON.stringify([
      { ph: 'X', name: 'aten::mm', ts: 1, dur: 3, pid: 1, tid: 1 },
      { ph: 'X', name: 'aten::mm', ts: 10, dur: 3, pid: 1, tid: 1 },
    ]).replace('"ts":10', '"ts":1790000000000010.25');
    const scan = scanned(Buffer.from(text))!;
    expect(scan).toEqual(reference(text));
    expect(scan.spans[1]!.startNs).toBe(1_790_000_000_000_010_250n);
  });
});
