// The receiver's fast protobuf path (src/traces/otlp/proto-fast.ts) against the reference decode
// (protobufjs decode + request.ts): the same spans for random valid requests, and for mutated bodies the
// same spans or the same error.
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { MAX_VALUE_DEPTH } from '../src/traces/otlp/attributes.js';
import { decodeOtlpProto, decodeOtlpProtoReference } from '../src/traces/otlp/proto.js';
import { fastDecodeOtlpProto } from '../src/traces/otlp/proto-fast.js';
import { otlpRoot } from '../src/traces/otlp/types.js';
import type { TraceWarning } from '../src/traces/span.js';

const Request = otlpRoot.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');

type AnyValue = Record<string, unknown>;

const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('', 'code.file.path', 'code.lineno', 'frametail.run.id'));
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);

const leaf: fc.Arbitrary<AnyValue> = fc.oneof(
  text.map((stringValue) => ({ stringValue })),
  fc.boolean().map((boolValue) => ({ boolValue })),
  int64.map((intValue) => ({ intValue })),
  fc.double().map((doubleValue) => ({ doubleValue })),
  fc.uint8Array({ maxLength: 10 }).map((bytesValue) => ({ bytesValue })),
  fc.constant({}),
);

/** Any AnyValue, nested arrays and kvlists included (shallow). */
const { value: anyValue } = fc.letrec<{ value: AnyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    fc.array(fc.record({ key: text, value: tie('value') }, { requiredKeys: [] }), { maxLength: 3 }).map((values) => ({ kvlistValue: { values } })),
  ),
}));

/** A chain of lists `levels` deep around a leaf, to cross MAX_VALUE_DEPTH. */
const deepValue = fc.tuple(fc.integer({ min: MAX_VALUE_DEPTH - 2, max: MAX_VALUE_DEPTH + 3 }), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), leaf).map(([levels, kinds, inner]) => {
  let value: AnyValue = inner;
  for (let i = 0; i < levels; i++) value = kinds[i] ? { arrayValue: { values: [value] } } : { kvlistValue: { values: [{ key: `k${i}`, value }] } };
  return value;
});

const attributes = fc.array(fc.record({ key: text, value: fc.oneof(anyValue, deepValue) }, { requiredKeys: [] }), { maxLength: 4 });
const id = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).filter((b) => b.some((x) => x !== 0));
const time = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(0n, 2n ** 53n - 1n, 2n ** 53n + 1n, 2n ** 54n - 1n, 2n ** 64n - 1n, 1_700_000_000_000_000_001n)).map(String);

const span = fc.record(
  {
    traceId: id(16),
    spanId: id(8),
    parentSpanId: fc.oneof(id(8), fc.constant(new Uint8Array(8)), fc.uint8Array({ maxLength: 9 })),
    traceState: text,
    name: text,
    kind: fc.integer({ min: 0, max: 5 }),
    startTimeUnixNano: time,
    endTimeUnixNano: time,
    attributes,
    droppedAttributesCount: fc.nat(),
    events: fc.array(fc.record({ timeUnixNano: time, name: text, attributes }, { requiredKeys: [] }), { maxLength: 2 }),
    links: fc.array(fc.record({ traceId: id(16), spanId: id(8), attributes, flags: fc.nat() }, { requiredKeys: [] }), { maxLength: 2 }),
    status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: text }, { requiredKeys: [] }),
    flags: fc.nat(),
  },
  { requiredKeys: ['traceId', 'spanId'] },
);

const scope = fc.record({ name: text, version: text, attributes }, { requiredKeys: [] });
const request = fc.record({
  resourceSpans: fc.array(
    fc.record(
      {
        resource: fc.record({ attributes, droppedAttributesCount: fc.nat() }, { requiredKeys: [] }),
        scopeSpans: fc.array(fc.record({ scope, spans: fc.array(span, { maxLength: 4 }), schemaUrl: text }, { requiredKeys: [] }), { maxLength: 3 }),
        instrumentationLibrarySpans: fc.array(fc.record({ instrumentationLibrary: fc.record({ name: text }), spans: fc.array(span, { maxLength: 2 }) }, { requiredKeys: [] }), { maxLength: 1 }),
        schemaUrl: text,
      },
      { requiredKeys: [] },
    ),
    { maxLength: 3 },
  ),
});

const encode = (value: unknown) => Request.encode(Request.fromObject(value as Record<string, unknown>)).finish();

/** The reference result, or its error message. */
function reference(bytes: Uint8Array, maxSpans?: number): { groups?: unknown; warnings?: TraceWarning[]; error?: string } {
  const warnings: TraceWarning[] = [];
  try {
    return { groups: decodeOtlpProtoReference(bytes, warnings, 'request', { maxSpans }), warnings };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function decoded(bytes: Uint8Array, maxSpans?: number): { groups?: unknown; warnings?: TraceWarning[]; error?: string } {
  const warnings: TraceWarning[] = [];
  try {
    return { groups: decodeOtlpProto(bytes, warnings, 'request', { maxSpans }), warnings };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('fast OTLP protobuf decode', () => {
  it('gives the reference spans for random valid requests, without falling back', () => {
    fc.assert(
      fc.property(request, (value) => {
        const bytes = encode(value);
        const fast = fastDecodeOtlpProto(bytes, undefined);
        expect(fast).toBeDefined(); // valid ids everywhere: nothing for the reference to warn about
        expect(fast).toEqual(reference(bytes).groups);
        expect(reference(bytes).warnings).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps every AnyValue kind, unicode text, int64 edges and lists to the depth bound (null past it)', () => {
    const values = [
      { key: 'ü名🎬', value: { stringValue: 'décodé 🎞' } },
      { key: 'big', value: { intValue: String(2n ** 63n - 1n) } },
      { key: 'neg', value: { intValue: String(-(2n ** 53n)) } },
      { key: 'safe', value: { intValue: '42' } },
      { key: 'd', value: { doubleValue: 0.5 } },
      { key: 'b', value: { boolValue: false } },
      { key: 'raw', value: { bytesValue: new Uint8Array([0, 255, 1]) } },
      { key: 'none', value: {} },
    ];
    let deep: AnyValue = { stringValue: 'bottom' };
    for (let i = 0; i < MAX_VALUE_DEPTH + 2; i++) deep = { arrayValue: { values: [deep] } };
    const bytes = encode({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: new Uint8Array(16).fill(1), spanId: new Uint8Array(8).fill(2), name: 'décode', startTimeUnixNano: '18446744073709551615', attributes: [...values, { key: 'deep', value: deep }] }] }] }],
    });
    const groups = fastDecodeOtlpProto(bytes, undefined)!;
    expect(groups).toEqual(reference(bytes).groups);
    const attrs = groups[0]!.spans[0]!.attributes;
    expect(attrs).toMatchObject({ 'ü名🎬': 'décodé 🎞', big: '9223372036854775807', neg: '-9007199254740992', safe: 42, d: 0.5, b: false, raw: 'AP8B', none: null });
    let level: unknown = attrs.deep;
    for (let i = 0; i < MAX_VALUE_DEPTH; i++) level = (level as unknown[])[0];
    expect(level).toBeNull();
    expect(groups[0]!.spans[0]!.startNs).toBe(2n ** 64n - 1n);
  });

  it('leaves spans to warn about, and the span limit, to the reference decode', () => {
    const bytes = encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: new Uint8Array(8).fill(2), name: 'no trace id' }, { traceId: new Uint8Array(16).fill(1), spanId: new Uint8Array(8).fill(3) }] }] }] });
    expect(fastDecodeOtlpProto(bytes, undefined)).toBeUndefined();
    const result = decoded(bytes);
    expect(result.warnings?.map((w) => w.message)).toEqual(['request: span "no trace id" skipped: invalid traceId']);
    expect(result).toEqual(reference(bytes));
    expect(decoded(bytes, 1).error).toMatch(/2 spans in one request, more than the limit of 1/);
  });

  it('gives what the reference gives for bodies protobufjs would read oddly: two AnyValue variants, a repeated field, a wrong wire type', () => {
    const message = (build: (w: protobuf.Writer) => protobuf.Writer) => build(protobuf.Writer.create()).finish();
    const body = (value: Uint8Array, extra: (w: protobuf.Writer) => protobuf.Writer = (w) => w) => {
      const kv = message((w) => w.uint32(10).string('k').uint32(18).bytes(value));
      const span = message((w) => extra(w.uint32(10).bytes(new Uint8Array(16).fill(1)).uint32(18).bytes(new Uint8Array(8).fill(2)).uint32(74).bytes(kv)));
      return message((w) => w.uint32(10).bytes(message((rs) => rs.uint32(18).bytes(message((ss) => ss.uint32(18).bytes(span))))));
    };
    const cases = [
      body(message((w) => w.uint32(10).string('first').uint32(24).int64(5))), // stringValue then intValue
      body(message((w) => w.uint32(24).int64(5).uint32(24).int64(7))), // intValue twice
      body(message((w) => w.uint32(10).string('x')), (w) => w.uint32(40).uint32(3)), // name (field 5) as a varint
      body(message((w) => w.uint32(10).string('x')), (w) => w.uint32(42).string('a').uint32(42).string('b')), // name twice
    ];
    for (const bytes of cases) expect(decoded(bytes)).toEqual(reference(bytes));
    expect((decoded(cases[0]!).groups as { spans: { attributes: unknown }[] }[])[0]!.spans[0]!.attributes).toEqual({ k: 'first' }); // the first variant on the wire, as attributes.ts picks it
  });

  it('gives the same spans or the same error as the reference on mutated bodies', () => {
    fc.assert(
      fc.property(request, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(), (value, edits, cut) => {
        const bytes = Buffer.from(encode(value));
        if (bytes.length === 0) return;
        for (const [at, byte] of edits) bytes[at % bytes.length] = byte;
        const body = cut % 3 === 0 ? bytes.subarray(0, cut % bytes.length) : bytes;
        expect(decoded(body)).toEqual(reference(body));
      }),
      { numRuns: 600 },
    );
  });
});
