// Fuzz tests for the OTLP request parsers (issue 13): whatever the body, a typed value or a clear error
// naming the request, never a crash or a stack overflow, and never more spans out than span entries in.
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { MAX_VALUE_DEPTH } from '../src/traces/otlp/attributes.js';
import descriptor from '../src/traces/otlp/otlp-trace.descriptor.json' with { type: 'json' };
import { decodeOtlpJson } from '../src/traces/otlp/json.js';
import { decodeOtlpProto } from '../src/traces/otlp/proto.js';
import type { ResourceSpanGroup } from '../src/traces/otlp/request.js';
import type { TraceWarning } from '../src/traces/span.js';

const Request = protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');

/** The shape every decoded span must have, whatever went in. */
function expectTyped(groups: ResourceSpanGroup[], spanEntries: number): void {
  expect(Array.isArray(groups)).toBe(true);
  let count = 0;
  for (const group of groups) {
    expect(typeof group.resource).toBe('object');
    for (const span of group.spans) {
      count++;
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      if (span.parentSpanId !== null) expect(span.parentSpanId).toMatch(/^[0-9a-f]{16}$/);
      expect(typeof span.name).toBe('string');
      expect(typeof span.startNs).toBe('bigint');
      expect(span.startNs >= 0n && span.endNs >= 0n).toBe(true);
      expect(['unset', 'ok', 'error']).toContain(span.status);
      expect(depthOf(span.attributes)).toBeLessThanOrEqual(MAX_VALUE_DEPTH + 2);
    }
  }
  expect(count).toBeLessThanOrEqual(spanEntries);
}

/** Nesting depth of plain values, iteratively. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    max = Math.max(max, d);
    if (v !== null && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Either a typed result or an Error whose message names the request; returns which. */
function parseOrClearError(parse: () => ResourceSpanGroup[], spanEntries: number): 'typed' | 'error' {
  let groups: ResourceSpanGroup[];
  try {
    groups = parse();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^request: (invalid JSON|invalid OTLP protobuf|not an OTLP trace request)/);
    return 'error';
  }
  expectTyped(groups, spanEntries);
  return 'typed';
}

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.record({ stringValue: fc.string() }),
    fc.record({ intValue: fc.oneof(fc.bigInt().map(String), fc.integer(), fc.string()) }),
    fc.record({ doubleValue: fc.oneof(fc.double(), fc.string()) }),
    fc.record({ boolValue: fc.anything() }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('value'), { maxLength: 3 }) }) }),
    fc.record({ kvlistValue: fc.record({ values: fc.array(fc.record({ key: fc.string(), value: tie('value') }), { maxLength: 3 }) }) }),
    fc.anything(),
  ),
})).value;
/** Span-ish objects: mostly well-formed fields, each one sometimes replaced by anything at all. */
const rawSpan = fc.record({
  traceId: fc.oneof(hex(16), fc.anything()),
  spanId: fc.oneof(hex(8), fc.anything()),
  parentSpanId: fc.oneof(hex(8), fc.constant(''), fc.anything()),
  name: fc.oneof(fc.string(), fc.anything()),
  startTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), fc.integer(), fc.anything()),
  endTimeUnixNano: fc.oneof(fc.bigInt({ min: -5n, max: 2n ** 64n }).map(String), fc.double(), fc.anything()),
  attributes: fc.oneof(fc.array(fc.record({ key: fc.string(), value: anyValue }), { maxLength: 4 }), fc.anything()),
  status: fc.oneof(fc.record({ code: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.string()) }), fc.anything()),
}, { requiredKeys: [] });
const request = fc.record({
  resourceSpans: fc.oneof(
    fc.array(fc.record({
      resource: fc.oneof(fc.record({ attributes: fc.array(fc.record({ key: fc.string(), value: anyValue }), { maxLength: 3 }) }), fc.anything()),
      scopeSpans: fc.oneof(fc.array(fc.record({ spans: fc.oneof(fc.array(rawSpan, { maxLength: 6 }), fc.anything()) }), { maxLength: 3 }), fc.anything()),
    }, { requiredKeys: [] }), { maxLength: 3 }),
    fc.anything(),
  ),
}, { requiredKeys: [] });

const spanEntriesOf = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).length;

describe('OTLP JSON request parsing under fuzzing', () => {
  it('gives typed spans or a clear error for request-shaped values', () => {
    fc.assert(
      fc.property(request, (value) => {
        const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? 'null';
        parseOrClearError(() => decodeOtlpJson(text, [] as TraceWarning[], 'request'), spanEntriesOf(value));
      }),
      { numRuns: 400 },
    );
  });

  it('gives typed spans or a clear error for arbitrary text, cut-off requests included', () => {
    const valid = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 'x', startTimeUnixNano: '1' }] }] }] });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)), fc.string().map((s) => valid.replace('"x"', s))), (text) => {
        parseOrClearError(() => decodeOtlpJson(text, [], 'request'), text.length);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps a 100,000-deep attribute value off the stack: nesting past the cap becomes null', () => {
    const depth = 100_000;
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${'a'.repeat(32)}","spanId":"${'b'.repeat(16)}","name":"deep","startTimeUnixNano":"1","attributes":[{"key":"k","value":${'{"arrayValue":{"values":['.repeat(depth)}${']}}'.repeat(depth)}}]}]}]}]}`;
    expect(parseOrClearError(() => decodeOtlpJson(text, [], 'request'), 1)).toBe('typed');
    const [span] = decodeOtlpJson(text, [], 'request')[0]!.spans;
    expect(depthOf(span!.attributes)).toBe(MAX_VALUE_DEPTH + 1);
  });
});

describe('OTLP protobuf request parsing under fuzzing', () => {
  const encoded = (value: Record<string, unknown>) => Request.encode(Request.fromObject(value)).finish();
  const valid = encoded({
    resourceSpans: [{
      resource: { attributes: [{ key: 'frametail.run.id', value: { stringValue: 'r' } }] },
      scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'generate', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000100000000', attributes: [{ key: 'k', value: { kvlistValue: { values: [{ key: 'n', value: { intValue: 5 } }] } } }] }] }],
    }],
  });

  it('gives typed spans or a clear error for arbitrary bytes and for corrupted valid requests', () => {
    const corrupted = fc.tuple(fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat({ max: valid.length }))
      .map(([flips, cut]) => {
        const bytes = Uint8Array.from(valid);
        for (const [at, byte] of flips) bytes[at] = byte;
        return bytes.subarray(0, cut);
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), corrupted), (bytes) => {
        parseOrClearError(() => decodeOtlpProto(bytes, [], 'request'), bytes.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('answers a deeply nested value with a clear error, not a stack overflow', () => {
    // AnyValue{kvlist_value(6): KeyValueList{values(1): KeyValue{key(1), value(2): AnyValue{…}}}}, built inside out.
    let value = Buffer.from([0x0a, 0x00]); // AnyValue{string_value: ""}; 300 levels, past protobufjs's recursion limit of 100
    const len = (n: number) => { const out: number[] = []; do { out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0)); n >>>= 7; } while (n > 0); return Buffer.from(out); };
    const field = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
    for (let i = 0; i < 300; i++) value = field(0x32, field(0x0a, Buffer.concat([field(0x0a, Buffer.from('k')), field(0x12, value)])));
    const kv = field(0x12, value); // KeyValue.value
    const span = Buffer.concat([field(0x0a, Buffer.alloc(16, 1)), field(0x12, Buffer.alloc(8, 2)), field(0x4a, Buffer.concat([field(0x0a, Buffer.from('k')), kv]))]);
    const body = field(0x0a, field(0x12, field(0x12, span)));
    expect(parseOrClearError(() => decodeOtlpProto(body, [], 'request'), 1)).toBe('error');
    expect(() => decodeOtlpProto(body, [], 'request')).toThrow(/request: invalid OTLP protobuf: maximum nesting depth exceeded/);
  });
});
