// `frametail receive`'s span-line fast paths (src/traces/otlp/json-lines.ts, proto-lines.ts) against the
// reference path (decode to Span objects, file by run, lines.ts's spanLinesJson): the same bytes, run by run,
// for random requests with hostile strings, big and odd ids and times, nested attributes and odd keys; and
// for mutated protobuf bodies the same lines or the same error.
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { spanLinesJson } from '../src/traces/lines.js';
import { MAX_VALUE_DEPTH } from '../src/traces/otlp/attributes.js';
import { decodeOtlpJson } from '../src/traces/otlp/json.js';
import { jsonSpanLines } from '../src/traces/otlp/json-lines.js';
import { isJsonText, MAX_SKIP_DEPTH } from '../src/traces/otlp/json-cursor.js';
import { scanSpanLines } from '../src/traces/otlp/json-scan.js';
import { LineWriter, linesOfTails } from '../src/traces/otlp/line-writer.js';
import { decodeOtlpProto } from '../src/traces/otlp/proto.js';
import { protoSpanLines, protoSpanTails } from '../src/traces/otlp/proto-lines.js';
import { otlpRoot } from '../src/traces/otlp/types.js';
import { attribute, Ingest, RejectError, type Encoding } from '../src/traces/receiver-ingest.js';
import type { TraceWarning } from '../src/traces/span.js';

const Request = otlpRoot.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const MAX_SPANS = 12;

type AnyValue = Record<string, unknown>;

/** Strings a sender controls: any code point (lone surrogates included), JSON and HTML metacharacters. */
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom('', '"', '\\', '\\"', '</script>', '\u2028\u2029', '\ud800', 'a\u0000b', '🎬 décodé', 'code.file.path', 'frametail.run.id'),
);
/** Keys the record would not keep in arrival order: the fast paths leave them to the reference path. */
const oddKey = fc.constantFrom('__proto__', '0', '1', '42', '4294967295', 'constructor', 'toString', 'hasOwnProperty');
/** Keys the fast paths write themselves: printable ASCII, no quote or backslash, not an index or `__proto__`. */
const plainKey = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abz.AZ_-/: !#$~'), maxLength: 12 }),
  fc.constantFrom('code.file.path', 'gen_ai.system', 'a0', 'x'),
);
/** Any int64, and small ones (what senders mostly write) around the varint byte boundaries the protobuf path reads itself. */
const int64 = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -1n, max: 2n ** 29n }),
  fc.constantFrom(0n, 127n, 128n, 2n ** 14n - 1n, 2n ** 14n, 2n ** 21n - 1n, 2n ** 21n, 2n ** 28n - 1n, 2n ** 28n, 2n ** 53n, -(2n ** 53n)),
);

/** An AnyValue in the protobufjs object shape (bytes as Uint8Array, int64 as decimal text). */
function anyValueOf(key: fc.Arbitrary<string>): fc.Arbitrary<AnyValue> {
  const leaf: fc.Arbitrary<AnyValue> = fc.oneof(
    hostile.map((stringValue) => ({ stringValue })),
    fc.boolean().map((boolValue) => ({ boolValue })),
    int64.map((v) => ({ intValue: String(v) })),
    fc.double().map((doubleValue) => ({ doubleValue })),
    fc.uint8Array({ maxLength: 10 }).map((bytesValue) => ({ bytesValue })),
    fc.constant({}),
  );
  const { value } = fc.letrec<{ value: AnyValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      leaf,
      fc.array(tie('value'), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
      fc.array(fc.record({ key, value: tie('value') }), { maxLength: 3 }).map((values) => ({ kvlistValue: { values } })),
    ),
  }));
  const deep = fc.tuple(fc.integer({ min: MAX_VALUE_DEPTH - 1, max: MAX_VALUE_DEPTH + 2 }), leaf).map(([levels, inner]) => {
    let v: AnyValue = inner;
    for (let i = 0; i < levels; i++) v = i % 2 ? { arrayValue: { values: [v] } } : { kvlistValue: { values: [{ key: `k${i}`, value: v }] } };
    return v;
  });
  return fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: deep });
}

const id = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).filter((b) => b.some((x) => x !== 0));
const time = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.constantFrom(0n, 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n, 1_700_000_000_000_000_001n, 99_999_999n, 100_000_000n),
);

interface Shape {
  clean: boolean;
}

/** A request in protobufjs's object shape; `clean` requests hold only plain keys, each once per span. */
function requestOf({ clean }: Shape) {
  const key = clean ? plainKey : fc.oneof(hostile, oddKey);
  const value = anyValueOf(key);
  const attributes = fc.array(fc.record({ key, value }), { maxLength: 4 }).filter((list) => !clean || new Set(list.map((kv) => kv.key)).size === list.length);
  const span = fc.record(
    {
      traceId: id(16),
      spanId: id(8),
      parentSpanId: fc.oneof(id(8), fc.constant(new Uint8Array(8)), fc.uint8Array({ maxLength: 9 })),
      name: hostile,
      kind: fc.integer({ min: 0, max: 5 }),
      startTimeUnixNano: time,
      endTimeUnixNano: time,
      attributes,
      events: fc.array(fc.record({ timeUnixNano: time.map(String), name: hostile }), { maxLength: 1 }),
      status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: hostile }, { requiredKeys: [] }),
    },
    { requiredKeys: ['traceId', 'spanId', 'startTimeUnixNano'] },
  );
  const runId = fc.oneof(fc.constantFrom('run-a', 'run-b', ''), hostile);
  const resource = fc.oneof(
    fc.constant({ attributes: [] as unknown[] }),
    runId.map((run) => ({ attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }, { key: 'frametail.run.id', value: { stringValue: run } }] })),
    fc.constant({ attributes: [{ key: 'frametail.run.id', value: { intValue: '7' } }] }),
  );
  return fc.record({
    resourceSpans: fc.array(
      fc.record(
        {
          resource,
          scopeSpans: fc.array(fc.record({ scope: fc.record({ name: hostile }), spans: fc.array(span, { maxLength: 3 }) }, { requiredKeys: [] }), { maxLength: 2 }),
          instrumentationLibrarySpans: fc.array(fc.record({ spans: fc.array(span, { maxLength: 2 }) }, { requiredKeys: [] }), { maxLength: 1 }),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 4 },
    ),
  });
}

type ProtoShape = { resourceSpans: Record<string, unknown>[] };

const toProtobuf = (value: ProtoShape) => {
  const copy = structuredClone(value) as { resourceSpans: { scopeSpans?: { spans?: Record<string, unknown>[] }[]; instrumentationLibrarySpans?: { spans?: Record<string, unknown>[] }[] }[] };
  for (const rs of copy.resourceSpans) {
    for (const scope of [...(rs.scopeSpans ?? []), ...(rs.instrumentationLibrarySpans ?? [])]) {
      for (const span of scope.spans ?? []) for (const k of ['startTimeUnixNano', 'endTimeUnixNano']) if (k in span) span[k] = String(span[k]);
    }
  }
  return Buffer.from(Request.encode(Request.fromObject(copy)).finish());
};

/** How the JSON sender spells ids and times. */
interface JsonSpelling {
  id: 'hex' | 'HEX' | 'base64';
  time: 'string' | 'zeros' | 'number' | 'bare';
}

/**
 * The OTLP JSON text of a request: ids as hex/HEX/base64, times as strings, zero-padded strings, numbers, or
 * bare literals past 2^53; `indent` (JSON.stringify's) spreads it over lines.
 */
function toJson(value: ProtoShape, spelling: JsonSpelling, indent?: string): string {
  const spellId = (bytes: unknown) => {
    if (!(bytes instanceof Uint8Array)) return bytes;
    const buf = Buffer.from(bytes);
    return spelling.id === 'base64' ? buf.toString('base64') : spelling.id === 'HEX' ? buf.toString('hex').toUpperCase() : buf.toString('hex');
  };
  const spellTime = (ns: unknown) => {
    if (typeof ns !== 'bigint') return ns;
    if (spelling.time === 'zeros') return `00${ns}`.slice(-20);
    if (spelling.time === 'number') return ns < 2n ** 53n ? Number(ns) : String(ns);
    if (spelling.time === 'bare') return `@@${ns}@@`;
    return String(ns);
  };
  const text = JSON.stringify(value, (key, v: unknown) => {
    if (key === 'traceId' || key === 'spanId' || key === 'parentSpanId') return spellId(v);
    if (key === 'startTimeUnixNano' || key === 'endTimeUnixNano') return spellTime(v);
    if (key === 'timeUnixNano' || key === 'intValue') return String(v);
    if (key === 'bytesValue') return Buffer.from(v as Uint8Array).toString('base64');
    if (key === 'doubleValue' && typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v;
  }, indent);
  return text.replace(/"@@(\d+)@@"/g, '$1');
}

const spelling = fc.record({ id: fc.constantFrom('hex', 'HEX', 'base64'), time: fc.constantFrom('string', 'zeros', 'number', 'bare') }) as fc.Arbitrary<JsonSpelling>;

const runOf = (resource: Record<string, unknown>) => {
  const run = resource['frametail.run.id'];
  return typeof run === 'string' && run !== '' ? run : null;
};
const asText = ({ runId, lines, count }: { runId: string | null; lines: Buffer; count: number }): RunLines => ({ runId, text: lines.toString('utf8'), count });

/** The span lines of one run's spans in a request, as text. */
interface RunLines {
  runId: string | null;
  text: string;
  count: number;
}

/** The reference: decode to spans, file by run, write with spanLinesJson; or the decode's error. */
function reference(encoding: Encoding, body: Buffer, maxSpans = MAX_SPANS): { runs?: RunLines[]; rejected?: number; error?: string } {
  const warnings: TraceWarning[] = [];
  try {
    const limits = { maxSpans };
    const groups = encoding === 'json' ? decodeOtlpJson(body.toString('utf8'), warnings, 'request', limits) : decodeOtlpProto(body, warnings, 'request', limits);
    const runs = [...attribute(groups)].map(([runId, spans]) => ({ runId, text: spanLinesJson(runId, spans), count: spans.length }));
    return { runs, rejected: warnings.filter((w) => w.kind === 'unparsable').length };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** What `frametail receive`'s Ingest hands its writer for the body, and the partial success it answers. */
function received(encoding: Encoding, body: Buffer, maxSpans = MAX_SPANS): { runs?: RunLines[]; rejected?: number; error?: string } {
  const runs: RunLines[] = [];
  try {
    const partial = new Ingest(
      { maxSpansPerRequest: maxSpans, onSpanLines: (runId, lines, count) => runs.push({ runId, text: typeof lines === 'string' ? lines : Buffer.from(lines).toString('utf8'), count }) },
      { accepted: 0, dropped: 0 },
    ).body(encoding, body);
    return { runs, rejected: partial?.rejectedSpans ?? 0 };
  } catch (error) {
    expect(error).toBeInstanceOf(RejectError);
    return { error: (error as Error).message.replace(/; lower the exporter's batch size.*$/, '') };
  }
}

describe('span lines written straight from the decode (frametail receive)', () => {
  it('gives the reference lines byte for byte for clean random requests, without falling back', () => {
    fc.assert(
      fc.property(requestOf({ clean: true }), spelling, (value, spell) => {
        const proto = toProtobuf(value as ProtoShape);
        const expected = reference('protobuf', proto, Infinity).runs;
        const fast = protoSpanTails(proto, undefined);
        expect(fast).toBeDefined();
        expect(linesOfTails(fast!, runOf).map(asText)).toEqual(expected);
        // The one-pass whole lines (one run, resources first) or, for any other request, the tails again.
        expect(protoSpanLines(proto, undefined, runOf)?.map(asText)).toEqual(expected);
        const json = Buffer.from(toJson(value as ProtoShape, spell));
        const fromJson = jsonSpanLines(json.toString('utf8'), undefined, runOf);
        if (spell.time !== 'bare') expect(fromJson).toBeDefined(); // bare literals past 2^53 go the lossless way
        if (fromJson) expect(fromJson.map(asText)).toEqual(reference('json', json, Infinity).runs);
      }),
      { numRuns: 300 },
    );
  });

  it('hands the writer the reference lines for any request: odd keys, duplicate keys, rounded numbers, the span limit', () => {
    fc.assert(
      fc.property(requestOf({ clean: false }), spelling, (value, spell) => {
        const proto = toProtobuf(value as ProtoShape);
        expect(received('protobuf', proto)).toEqual(reference('protobuf', proto));
        const json = Buffer.from(toJson(value as ProtoShape, spell));
        expect(received('json', json)).toEqual(reference('json', json));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same lines or the same error as the reference on mutated bodies', () => {
    fc.assert(
      fc.property(requestOf({ clean: true }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(), (value, edits, cut) => {
        for (const encoding of ['protobuf', 'json'] as const) {
          const bytes = encoding === 'protobuf' ? toProtobuf(value as ProtoShape) : Buffer.from(toJson(value as ProtoShape, { id: 'hex', time: 'string' }));
          if (bytes.length === 0) continue;
          for (const [at, byte] of edits) bytes[at % bytes.length] = encoding === 'json' ? ' "0{}[],:\\a'.charCodeAt(byte % 12) : byte;
          const body = cut % 3 === 0 ? bytes.subarray(0, cut % bytes.length) : bytes;
          expect(received(encoding, body)).toEqual(reference(encoding, body));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('files spans by run as the Span path does: runs in order of their first span, spans without a run under their trace id', () => {
    const span = (n: number) => ({ traceId: new Uint8Array(16).fill(n), spanId: new Uint8Array(8).fill(n), name: `s${n}`, startTimeUnixNano: '1700000000000000000' });
    const run = (id: string) => ({ attributes: [{ key: 'frametail.run.id', value: { stringValue: id } }] });
    const value = {
      resourceSpans: [
        { resource: run('a'), scopeSpans: [] }, // no spans: "a" is not first
        { resource: run('b'), scopeSpans: [{ spans: [span(1)] }] },
        { resource: { attributes: [] }, scopeSpans: [{ spans: [span(2)] }] },
        { resource: run('a'), scopeSpans: [{ spans: [span(3)] }] },
        { resource: run('b'), instrumentationLibrarySpans: [{ spans: [span(4)] }], scopeSpans: [{ spans: [span(5)] }] },
      ],
    };
    const { runs } = received('protobuf', toProtobuf(value));
    expect(runs!.map((r) => [r.runId, r.count])).toEqual([['b', 3], [null, 1], ['a', 1]]);
    expect(runs![0]!.text.split('\n').map((line: string) => (line ? (JSON.parse(line) as { name: string }).name : ''))).toEqual(['s1', 's5', 's4', '']);
    expect(JSON.parse(runs![1]!.text)).toMatchObject({ run: '02'.repeat(16), traceId: '02'.repeat(16), name: 's2' });
  });

  it('writes whole lines in one pass only when that keeps the Span path order: a resource after its spans or twice, library spans first', () => {
    const ResourceSpans = otlpRoot.lookupType('opentelemetry.proto.trace.v1.ResourceSpans');
    const span = (n: number) => ({ traceId: new Uint8Array(16).fill(n), spanId: new Uint8Array(8).fill(n), name: `s${n}`, startTimeUnixNano: '1700000000000000000' });
    const run = (id: string) => ({ attributes: [{ key: 'frametail.run.id', value: { stringValue: id } }] });
    /** One resourceSpans entry whose fields are the given messages' fields in the given order (a protobuf message is the concatenation of its fields). */
    const entry = (...parts: Record<string, unknown>[]) => Buffer.concat(parts.map((part) => ResourceSpans.encode(ResourceSpans.fromObject(part)).finish()));
    const request = (...entries: Buffer[]) => {
      const writer = protobuf.Writer.create();
      for (const e of entries) writer.uint32((1 << 3) | 2).bytes(e);
      return Buffer.from(writer.finish());
    };
    const names = (body: Buffer) => received('protobuf', body).runs!.map((r) => [r.runId, r.text.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { name: string }).name)]);
    const cases: [Buffer, unknown][] = [
      [request(entry({ resource: run('a') }, { scopeSpans: [{ spans: [span(1)] }] }), entry({ resource: run('a') }, { scopeSpans: [{ spans: [span(2)] }] })), [['a', ['s1', 's2']]]],
      [request(entry({ scopeSpans: [{ spans: [span(1)] }] }, { resource: run('a') })), [['a', ['s1']]]],
      [request(entry({ resource: run('a') }, { scopeSpans: [{ spans: [span(1)] }] }, { resource: run('b') })), [['b', ['s1']]]],
      [request(entry({ resource: run('a') }, { instrumentationLibrarySpans: [{ spans: [span(1)] }] }, { scopeSpans: [{ spans: [span(2)] }] })), [['a', ['s2', 's1']]]],
      [request(entry({ resource: run('a') }, { scopeSpans: [{ spans: [span(1)] }] }), entry({ resource: run('b') }, { scopeSpans: [{ spans: [span(2)] }] })), [['a', ['s1']], ['b', ['s2']]]],
      [request(entry({ scopeSpans: [{ spans: [span(1)] }] })), [[null, ['s1']]]],
      [request(entry({ resource: run('a') }, { scopeSpans: [] })), []],
    ];
    for (const [body, expected] of cases) {
      expect(names(body)).toEqual(expected);
      expect(received('protobuf', body)).toEqual(reference('protobuf', body));
    }
  });

  it('writes fixed64 times exactly, as decimal text, across the 2^53, 10^4k and digit-count boundaries', () => {
    /** LineWriter.uint64's text between the bytes written before and after it, in a writer it makes grow. */
    const written = (ns: bigint) => {
      const out = new LineWriter(0); // 1,024 bytes
      out.ascii(`${'x'.repeat(1020)}ab"`);
      out.uint64(Number(ns & 0xffffffffn), Number(ns >> 32n));
      out.ascii('"');
      return out.done().toString('latin1', 1020);
    };
    const powers = [...Array(20).keys()].flatMap((k) => [10n ** BigInt(k) - 1n, 10n ** BigInt(k), 10n ** BigInt(k) + 1n]);
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 32n }), fc.constantFrom(...powers)), (ns) => {
        expect(written(ns)).toBe(`ab"${ns}"`);
      }),
      { numRuns: 3000 },
    );
    for (const ns of [0n, 9n, 2n ** 53n - 1n, 2n ** 53n, 10n ** 8n, 10n ** 16n, 2n ** 64n - 1n, 18_446_744_073_000_000_000n]) {
      expect(written(ns)).toBe(`ab"${ns}"`);
    }
  });
});

/** `value` with every object's keys in another order (rotated by `turn`), arrays and bytes as they are. */
function reorder(value: unknown, turn: number): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, turn));
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const entries = Object.entries(value);
  const k = entries.length === 0 ? 0 : turn % entries.length;
  return Object.fromEntries([...entries.slice(k), ...entries.slice(0, k)].map(([key, v]) => [key, reorder(v, turn)]));
}

/** JSON.parse's verdict on a body, as the receiver decodes it (UTF-8, invalid sequences replaced). */
const parses = (body: Buffer) => {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
};

/** The byte scan's lines for a JSON body, or undefined; when it gives lines they are the reference's, and the reference has no error or skipped span. */
function scanned(body: Buffer, maxSpans = Infinity): RunLines[] | undefined {
  const runs = scanSpanLines(body, maxSpans, runOf)?.map(asText);
  if (runs) expect({ runs, rejected: 0 }).toEqual(reference('json', body, maxSpans));
  return runs;
}

describe('the JSON byte scan (otlp/json-scan.ts): span lines with no JSON.parse of the request', () => {
  it('gives the reference lines for clean requests, written compactly or spread over lines, without falling back', () => {
    fc.assert(
      fc.property(requestOf({ clean: true }), spelling, fc.constantFrom(undefined, '  ', '\t', '\r\n '), (value, spell, indent) => {
        const runs = scanned(Buffer.from(toJson(value as ProtoShape, spell, indent)));
        if (spell.time !== 'bare') expect(runs).toBeDefined(); // bare literals past 2^53 go the lossless way
      }),
      { numRuns: 300 },
    );
  });

  it('gives the reference lines (or leaves the request to it) whatever order members come in', () => {
    fc.assert(
      fc.property(requestOf({ clean: true }), spelling, fc.integer({ min: 1, max: 7 }), (value, spell, turn) => {
        const body = Buffer.from(toJson(reorder(value, turn) as ProtoShape, spell));
        scanned(body);
        expect(received('json', body)).toEqual(reference('json', body));
      }),
      { numRuns: 300 },
    );
  });

  it('reads escapes as JSON.parse does: a key spelled with escapes is left to the reference, an escaped value is decoded', () => {
    const outcomes = { scanned: 0, left: 0 };
    fc.assert(
      fc.property(requestOf({ clean: true }), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), (value, picks) => {
        const text = toJson(value as ProtoShape, { id: 'hex', time: 'string' });
        // Letters inside strings (keys or values) written as \u00XX: the same JSON value.
        const letters = [...text.matchAll(/[a-zA-Z]/g)].map((m) => m.index);
        if (letters.length === 0) return;
        const at = new Set(picks.map((n) => letters[n % letters.length]!));
        let escaped = '';
        let inString = false;
        for (let i = 0; i < text.length; i++) {
          const c = text[i]!;
          if (inString && c === '\\') {
            // An escape the text already has stays as it is.
            const length = text[i + 1] === 'u' ? 6 : 2;
            escaped += text.slice(i, i + length);
            i += length - 1;
            continue;
          }
          if (c === '"') inString = !inString;
          escaped += inString && at.has(i) ? `\\u00${c.charCodeAt(0).toString(16)}` : c;
        }
        expect(JSON.parse(escaped)).toEqual(JSON.parse(text));
        const body = Buffer.from(escaped);
        outcomes[scanned(body) ? 'scanned' : 'left'] += 1;
        expect(received('json', body)).toEqual(reference('json', body));
      }),
      { numRuns: 300 },
    );
    // Both happen: escaped values are read here, escaped keys are left to the reference.
    expect(outcomes.scanned).toBeGreaterThan(30);
    expect(outcomes.left).toBeGreaterThan(30);
  });

  it('gives the reference lines or leaves the body to it for mutated and cut bodies, and for repeated members', () => {
    const outcomes = { scanned: 0, left: 0 };
    fc.assert(
      fc.property(requestOf({ clean: true }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(), (value, edits, cut) => {
        const bytes = Buffer.from(toJson(value as ProtoShape, { id: 'hex', time: 'string' }));
        for (const [at, byte] of edits) bytes[at % bytes.length] = byte % 3 === 0 ? byte : ' "0{}[],:\\aeu\u00e9'.charCodeAt(byte % 16);
        const body = cut % 3 === 0 ? bytes.subarray(0, cut % bytes.length) : bytes;
        const runs = scanned(body, MAX_SPANS);
        if (runs) expect(parses(body)).toBe(true);
        outcomes[runs ? 'scanned' : 'left'] += 1;
      }),
      { numRuns: 500 },
    );
    expect(outcomes.scanned).toBeGreaterThan(25);
    expect(outcomes.left).toBeGreaterThan(100);
    // A member repeated: JSON.parse keeps the last one, so the scan must not keep the first.
    const span = '{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","startTimeUnixNano":"5"';
    for (const extra of [',"name":"a","name":"b"', ',"traceId":"1112131415161718191a1b1c1d1e1f20"', ',"attributes":[],"attributes":[{"key":"k","value":{"boolValue":true}}]', ',"status":{"code":2,"code":1}', ',"attributes":[{"key":"k","key":"j","value":{"stringValue":"v"}}]']) {
      const body = Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[${span}${extra}}]}]}]}`);
      expect(scanSpanLines(body, 10, runOf)).toBeUndefined();
      expect(received('json', body)).toEqual(reference('json', body));
      expect(received('json', body).runs).toHaveLength(1);
    }
    // A repeated variant inside a value: that value alone is parsed, as the whole request would be.
    const twice = Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[${span},"attributes":[{"key":"k","value":{"stringValue":"v","stringValue":"w"}}]}]}]}]}`);
    expect(JSON.parse(scanned(twice)![0]!.text)).toMatchObject({ attributes: { k: 'w' } });
  });

  it('accepts exactly the texts JSON.parse accepts (as far as MAX_SKIP_DEPTH deep): valid, mutated, cut, invalid UTF-8', () => {
    const jsonText = fc.oneof(fc.json({ depthSize: 'medium' }), fc.jsonValue().map((v) => JSON.stringify(v, null, '\t')));
    fc.assert(
      fc.property(jsonText, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), fc.nat(), (text, edits, cut) => {
        const bytes = Buffer.from(text);
        for (const [at, byte] of edits) if (bytes.length > 0) bytes[at % bytes.length] = byte % 2 ? byte : ' "0-.eE+{}[],:\\ntfu\n'.charCodeAt(byte % 20);
        const body = cut % 4 === 0 ? bytes.subarray(0, cut % (bytes.length + 1)) : bytes;
        expect(isJsonText(body)).toBe(parses(body));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (raw) => {
        const body = Buffer.concat([Buffer.from('{"k":["'), Buffer.from(raw), Buffer.from('"]}')]);
        expect(isJsonText(body)).toBe(parses(body));
      }),
      { numRuns: 1000 },
    );
    for (const text of ['', ' ', '\ufeff{}', '{}x', '[1,]', '{"a":1,}', '01', '-', '1.', '1e', '"\\x"', '"\\u12"', '"\t"', 'nul', '\u00a0{}', '{"a" 1}', '[1 2]', '1 2'])
      expect(isJsonText(Buffer.from(text))).toBe(false);
    for (const text of [' {} ', '\r\n\t[]', '-0', '0.5e-7', '1E+2', '"\\u00e9\\/"', '{"__proto__":[null,true,false]}']) expect(isJsonText(Buffer.from(text))).toBe(true);
  });

  it('leaves nesting deeper than MAX_SKIP_DEPTH to the reference, which still reads the request', () => {
    const deep = (levels: number) => `${'['.repeat(levels)}0${']'.repeat(levels)}`;
    expect(isJsonText(Buffer.from(deep(MAX_SKIP_DEPTH)))).toBe(true);
    expect(isJsonText(Buffer.from(deep(MAX_SKIP_DEPTH + 1)))).toBe(false);
    const span = (extra: string) => `{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","startTimeUnixNano":"5","events":${extra}}`;
    for (const levels of [10, MAX_SKIP_DEPTH + 5]) {
      const body = Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[${span(deep(levels))}]}]}]}`);
      expect(scanSpanLines(body, 10, runOf) === undefined).toBe(levels > MAX_SKIP_DEPTH);
      expect(received('json', body)).toEqual(reference('json', body));
    }
  });

  it('files spans by run as the Span path does, and leaves a resource written after its spans to the reference', () => {
    const span = (n: number) => ({ traceId: `${n}`.padStart(32, '0'), spanId: `${n}`.padStart(16, '0'), name: `s${n}`, startTimeUnixNano: '1700000000000000000' });
    const run = (id: string) => ({ attributes: [{ key: 'frametail.run.id', value: { stringValue: id } }] });
    const value = {
      resourceSpans: [
        { resource: run('a'), scopeSpans: [] },
        { resource: run('b'), scopeSpans: [{ spans: [span(1)] }] },
        { resource: { attributes: [] }, scopeSpans: [{ spans: [span(2)] }] },
        { resource: run('a'), scopeSpans: [{ spans: [span(3)] }] },
        { resource: run('b'), instrumentationLibrarySpans: [{ spans: [span(4)] }], scopeSpans: [{ spans: [span(5)] }] },
      ],
    };
    const runs = scanned(Buffer.from(JSON.stringify(value)));
    // instrumentationLibrarySpans before scopeSpans: the scan cannot keep request.ts's order, the reference does.
    expect(runs).toBeUndefined();
    value.resourceSpans[4] = { resource: run('b'), scopeSpans: [{ spans: [span(5)] }], instrumentationLibrarySpans: [{ spans: [span(4)] }] };
    const inOrder = scanned(Buffer.from(JSON.stringify(value)));
    expect(inOrder!.map((r) => [r.runId, r.count])).toEqual([['b', 3], [null, 1], ['a', 1]]);
    expect(inOrder![0]!.text.split('\n').map((line) => (line ? (JSON.parse(line) as { name: string }).name : ''))).toEqual(['s1', 's5', 's4', '']);
    expect(JSON.parse(inOrder![1]!.text)).toMatchObject({ run: '2'.padStart(32, '0'), traceId: '2'.padStart(32, '0'), name: 's2' });
    const late = Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span(1)] }], resource: run('a') }] }));
    expect(scanSpanLines(late, 10, runOf)).toBeUndefined();
    expect(received('json', late).runs!.map((r) => r.runId)).toEqual(['a']);
  });
});
