import protobuf from 'protobufjs';
import { codeLocation, normalizeStatus } from '../normalize.js';
import type { Span } from '../span.js';
import { int64Value, MAX_VALUE_DEPTH } from './attributes.js';
import type { ResourceSpanGroup } from './request.js';
import { otlpRoot } from './types.js';

/**
 * The receiver's fast path for OTLP protobuf: walks an ExportTraceServiceRequest with protobufjs's own
 * `Reader` straight into normalized spans, reading only the fields a span keeps (ids, name, times, status,
 * attributes, resource attributes) and never building the protobufjs message objects, Longs and prototype
 * defaults that `decode` does. It gives what `spansFromExportRequest(ExportTraceServiceRequest.decode(body))`
 * gives (tests/traces-otlp-fast.test.ts checks this on random requests) for the requests real exporters send;
 * anything else makes it return undefined so the caller runs that reference decode, which then decides
 * (its error message, its warnings): a wire type other than the field's, a field or message overrunning its
 * parent, a span a warning would skip, an AnyValue with two variants or one set twice, more spans than
 * `maxSpans`, or nesting past MAX_VALUE_DEPTH that is not already null.
 *
 * Fields skipped here (scope, trace_state, events, links, status message…) are still checked the way
 * the reference decode checks them: message fields by protobufjs's decoder for their type, so a malformed
 * event fails here too (and the reference decode then reports it).
 */
export function fastDecodeOtlpProto(bytes: Uint8Array, maxSpans: number | undefined): ResourceSpanGroup[] | undefined {
  const reader = protobuf.Reader.create(bytes);
  const walk = new SpanWalk(reader, maxSpans ?? Infinity);
  try {
    return walk.request();
  } catch {
    // A Miss, or protobufjs's reader running past the end: the reference decode decides.
    return undefined;
  }
}

/** The fast path gives up; the reference decode takes over. */
class Miss extends Error {}
export const MISS = new Miss('fast path miss');

export const ZERO_ID = { 8: '0'.repeat(16), 16: '0'.repeat(32) };

export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH = 2;
export const FIXED32 = 5;

// Message types whose fields the fast path does not keep: it hands them to protobufjs's decoder, which
// checks them exactly as the reference decode does (the result is dropped).
export const CHECKED = {
  scope: otlpRoot.lookupType('opentelemetry.proto.common.v1.InstrumentationScope'),
  library: otlpRoot.lookupType('opentelemetry.proto.common.v1.InstrumentationLibrary'),
  event: otlpRoot.lookupType('opentelemetry.proto.trace.v1.Span.Event'),
  link: otlpRoot.lookupType('opentelemetry.proto.trace.v1.Span.Link'),
  arrayValue: otlpRoot.lookupType('opentelemetry.proto.common.v1.ArrayValue'),
  kvlistValue: otlpRoot.lookupType('opentelemetry.proto.common.v1.KeyValueList'),
};

/** protobufjs's generated decoders take the nesting depth as a fourth argument and refuse past Reader.recursionLimit. */
export type NestedDecode = (reader: protobuf.Reader, length: number, end: undefined, nesting: number) => unknown;

/**
 * The walk over an ExportTraceServiceRequest, with what becomes of each span (`span`) and of each
 * resource's spans (`group`) left to the subclass: SpanWalk here builds Span objects, proto-lines.ts's
 * walk writes span lines.
 */
export abstract class ProtoWalk<S, G> {
  private spanCount = 0;
  /** The key of the KeyValue `keyValue` read last. */
  protected lastKey = '';

  constructor(
    protected readonly r: protobuf.Reader,
    private readonly maxSpans: number,
  ) {}

  /** The spans of one resourceSpans entry (scopeSpans first, then instrumentationLibrarySpans) and its resource. */
  protected abstract group(resource: Record<string, unknown>, spans: S[]): G;

  /** The end of the length-delimited field starting here, inside `end`. */
  protected sub(end: number): number {
    const length = this.r.uint32();
    const subEnd = this.r.pos + length;
    if (subEnd > end) throw MISS;
    return subEnd;
  }

  /**
   * Skips a field the span does not keep, as protobufjs does. `expected` is the wire type of a field the
   * message declares (protobufjs would read it as that type whatever the wire says: give up if they differ);
   * groups give up too (no exporter sends them).
   */
  protected skip(wire: number, end: number, expected?: number): void {
    if (wire === 3 || wire === 4 || (expected !== undefined && wire !== expected)) throw MISS;
    this.r.skipType(wire);
    if (this.r.pos > end) throw MISS;
  }

  /** Decodes (and drops) a message of a type the span does not keep, at `nesting`, as the reference would decode it. */
  protected check(type: protobuf.Type, end: number, nesting: number): void {
    const subEnd = this.sub(end);
    (type.decode as unknown as NestedDecode)(this.r, subEnd - this.r.pos, undefined, nesting);
    if (this.r.pos !== subEnd) throw MISS;
  }

  /**
   * An id field as normalizeId gives it from its bytes (lowercase hex; null when not `bytes` long or all
   * zero), hex-encoded in place rather than from a copy; an overrun throws as protobufjs's bytes() would.
   */
  protected id(bytes: 8 | 16): string | null {
    const r = this.r;
    const length = r.uint32();
    const start = r.pos;
    if (start + length > r.len) throw MISS;
    r.pos += length;
    if (length !== bytes) return null;
    const hex = Buffer.isBuffer(r.buf) ? r.buf.toString('hex', start, start + length) : Buffer.from(r.buf.buffer, r.buf.byteOffset + start, length).toString('hex');
    return hex === ZERO_ID[bytes] ? null : hex;
  }

  protected tag(): number {
    const tag = this.r.uint32();
    if (tag >>> 3 === 0) throw MISS;
    return tag;
  }

  request(): G[] {
    const groups: G[] = [];
    const end = this.r.len;
    while (this.r.pos < end) {
      const tag = this.tag();
      if (tag >>> 3 === 1) {
        if ((tag & 7) !== LENGTH) throw MISS;
        groups.push(this.resourceSpans(this.sub(end)));
      } else this.skip(tag & 7, end);
    }
    if (this.r.pos !== end) throw MISS;
    return groups;
  }

  /** A resourceSpans entry begins (proto-lines.ts's walk tracks its run). */
  protected groupStarted(): void {}

  /** The entry holds instrumentationLibrarySpans (OTLP before 0.19), whose spans come after scopeSpans' whatever the wire order. */
  protected librarySpansRead(): void {}

  /** The entry's resource has been read (it may come after some of its spans, or twice). */
  protected resourceRead(resource: Record<string, unknown>): void {
    void resource;
  }

  private resourceSpans(end: number): G {
    this.groupStarted();
    let resource: Record<string, unknown> = {};
    const scopeSpans: S[] = [];
    const librarySpans: S[] = [];
    // The resource can follow the spans on the wire; spans get it once the group is read.
    while (this.r.pos < end) {
      const tag = this.tag();
      const field = tag >>> 3;
      if (field === 1 || field === 2 || field === 1000) {
        if ((tag & 7) !== LENGTH) throw MISS;
        const subEnd = this.sub(end);
        if (field === 1) this.resourceRead((resource = this.resource(subEnd)));
        else if (field === 2) this.scopeSpans(subEnd, scopeSpans, CHECKED.scope);
        else {
          this.librarySpansRead();
          this.scopeSpans(subEnd, librarySpans, CHECKED.library);
        }
        if (this.r.pos !== subEnd) throw MISS;
      } else this.skip(tag & 7, end, field === 3 ? LENGTH : undefined);
    }
    // scopeSpans first, then instrumentationLibrarySpans, as request.ts reads them.
    return this.group(resource, librarySpans.length === 0 ? scopeSpans : scopeSpans.concat(librarySpans));
  }

  private resource(end: number): Record<string, unknown> {
    const attributes: Record<string, unknown> = {};
    while (this.r.pos < end) {
      const tag = this.tag();
      if (tag >>> 3 === 1) {
        if ((tag & 7) !== LENGTH) throw MISS;
        const value = this.keyValue(this.sub(end), 0, 3);
        attributes[this.lastKey] = value;
      } else this.skip(tag & 7, end, tag >>> 3 === 2 ? VARINT : undefined);
    }
    if (this.r.pos !== end) throw MISS;
    return attributes;
  }

  private scopeSpans(end: number, into: S[], scopeType: protobuf.Type): void {
    while (this.r.pos < end) {
      const tag = this.tag();
      const field = tag >>> 3;
      if (field === 2) {
        if ((tag & 7) !== LENGTH) throw MISS;
        if (++this.spanCount > this.maxSpans) throw MISS;
        const subEnd = this.sub(end);
        into.push(this.span(subEnd));
        if (this.r.pos !== subEnd) throw MISS;
      } else if (field === 1) {
        if ((tag & 7) !== LENGTH) throw MISS;
        this.check(scopeType, end, 3);
      } else this.skip(tag & 7, end, field === 3 ? LENGTH : undefined);
    }
  }

  /** One span, its fields from here to `end`. */
  protected abstract span(end: number): S;

  protected status(end: number): Span['status'] {
    let code = 0;
    while (this.r.pos < end) {
      const tag = this.tag();
      const wire = tag & 7;
      if (tag >>> 3 === 3) {
        if (wire !== VARINT) throw MISS;
        code = this.r.int32();
      } else if (tag >>> 3 === 2) {
        if (wire !== LENGTH) throw MISS;
        this.r.string();
      } else this.skip(wire, end);
    }
    if (this.r.pos !== end) throw MISS;
    return normalizeStatus(code);
  }

  /**
   * One KeyValue: returns its value, its key in `lastKey`. `depth` is the depth of its value as in
   * attributes.ts, `nesting` the KeyValue's message nesting.
   */
  protected keyValue(end: number, depth: number, nesting: number): unknown {
    let key = '';
    let value: unknown = null;
    while (this.r.pos < end) {
      const tag = this.tag();
      const wire = tag & 7;
      if (tag >>> 3 === 1) {
        if (wire !== LENGTH) throw MISS;
        key = this.r.string();
      } else if (tag >>> 3 === 2) {
        if (wire !== LENGTH) throw MISS;
        value = this.anyValue(this.sub(end), depth, nesting + 1);
      } else this.skip(wire, end);
    }
    if (this.r.pos !== end) throw MISS;
    this.lastKey = key;
    return value;
  }

  /**
   * One AnyValue, as attributes.ts's anyValue gives it. Recursion is bounded by MAX_VALUE_DEPTH: a list
   * at that depth is null, its content checked by protobufjs's decoder (which bounds its own nesting) as
   * the reference decode would.
   */
  protected anyValue(end: number, depth: number, nesting: number): unknown {
    const r = this.r;
    let variant = 0;
    let value: unknown = null;
    while (r.pos < end) {
      const tag = this.tag();
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field > 7) {
        this.skip(wire, end);
        continue;
      }
      if (variant !== 0) throw MISS; // two variants, or one twice: the reference decides
      variant = field;
      switch (field) {
        case 1:
          if (wire !== LENGTH) throw MISS;
          value = r.string();
          break;
        case 2:
          if (wire !== VARINT) throw MISS;
          value = r.bool();
          break;
        case 3:
          if (wire !== VARINT) throw MISS;
          value = int64Value(r.int64() as unknown as { low: number; high: number });
          break;
        case 4:
          if (wire !== FIXED64) throw MISS;
          value = r.double();
          break;
        case 5:
        case 6: {
          if (wire !== LENGTH) throw MISS;
          const subEnd = this.sub(end);
          if (depth >= MAX_VALUE_DEPTH) {
            (CHECKED[field === 5 ? 'arrayValue' : 'kvlistValue'].decode as unknown as NestedDecode)(r, subEnd - r.pos, undefined, nesting + 1);
            value = null;
          } else value = field === 5 ? this.arrayValue(subEnd, depth, nesting + 1) : this.kvList(subEnd, depth, nesting + 1);
          if (r.pos !== subEnd) throw MISS;
          break;
        }
        case 7:
          if (wire !== LENGTH) throw MISS;
          value = Buffer.from(r.bytes()).toString('base64');
          break;
        default:
          throw MISS;
      }
      if (r.pos > end) throw MISS;
    }
    if (r.pos !== end) throw MISS;
    return value;
  }

  private arrayValue(end: number, depth: number, nesting: number): unknown[] {
    const values: unknown[] = [];
    while (this.r.pos < end) {
      const tag = this.tag();
      if (tag >>> 3 === 1) {
        if ((tag & 7) !== LENGTH) throw MISS;
        values.push(this.anyValue(this.sub(end), depth + 1, nesting + 1));
      } else this.skip(tag & 7, end);
    }
    return values;
  }

  private kvList(end: number, depth: number, nesting: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (this.r.pos < end) {
      const tag = this.tag();
      if (tag >>> 3 === 1) {
        if ((tag & 7) !== LENGTH) throw MISS;
        const value = this.keyValue(this.sub(end), depth + 1, nesting + 1);
        out[this.lastKey] = value;
      } else this.skip(tag & 7, end);
    }
    return out;
  }
}

/** The walk into normalized Span objects, what spansFromExportRequest gives from the reference decode. */
class SpanWalk extends ProtoWalk<Span, ResourceSpanGroup> {
  protected span(end: number): Span {
    const attributes: Record<string, unknown> = {};
    const r = this.r;
    let traceId: string | null = null;
    let spanId: string | null = null;
    let parentSpanId: string | null = null;
    let name = '';
    let startLow = 0;
    let startHigh = 0;
    let endLow = 0;
    let endHigh = 0;
    let status: Span['status'] = 'unset';
    while (r.pos < end) {
      const tag = this.tag();
      const wire = tag & 7;
      // The same field cases, checks and skips as proto-lines.ts (LineWalk.span), so both walks give up on the same bodies.
      // Kept as two inline switches on purpose: moving the shared cases into one base-class method cost
      // the protobuf line path about a quarter of its speed (bench-receiver-ingest 0.81× → 0.60×).
      switch (tag >>> 3) {
        case 1:
          if (wire !== LENGTH) throw MISS;
          traceId = this.id(16);
          break;
        case 2:
          if (wire !== LENGTH) throw MISS;
          spanId = this.id(8);
          break;
        case 4:
          if (wire !== LENGTH) throw MISS;
          parentSpanId = this.id(8);
          break;
        case 5:
          if (wire !== LENGTH) throw MISS;
          name = r.string();
          break;
        case 7:
          if (wire !== FIXED64) throw MISS;
          startLow = r.fixed32();
          startHigh = r.fixed32();
          break;
        case 8:
          if (wire !== FIXED64) throw MISS;
          endLow = r.fixed32();
          endHigh = r.fixed32();
          break;
        case 9: {
          if (wire !== LENGTH) throw MISS;
          const value = this.keyValue(this.sub(end), 0, 4); // sets lastKey
          attributes[this.lastKey] = value;
          break;
        }
        case 11:
          if (wire !== LENGTH) throw MISS;
          this.check(CHECKED.event, end, 4);
          break;
        case 13:
          if (wire !== LENGTH) throw MISS;
          this.check(CHECKED.link, end, 4);
          break;
        case 15:
          if (wire !== LENGTH) throw MISS;
          status = this.status(this.sub(end));
          break;
        case 3:
          if (wire !== LENGTH) throw MISS;
          r.skip(r.uint32());
          break;
        case 6:
        case 10:
        case 12:
        case 14:
          if (wire !== VARINT) throw MISS;
          r.skipType(VARINT);
          break;
        case 16:
          if (wire !== FIXED32) throw MISS;
          r.skip(4);
          break;
        default:
          this.skip(wire, end);
      }
      if (r.pos > end) throw MISS;
    }
    // request.ts warns about and skips such a span: leave it to the reference decode.
    if (traceId === null || spanId === null) throw MISS;
    const span: Span = {
      traceId,
      spanId,
      parentSpanId,
      name,
      startNs: nanos(startLow, startHigh),
      endNs: nanos(endLow, endHigh),
      status,
      attributes,
      resource: undefined,
    };
    const code = codeLocation(attributes);
    if (code) span.code = code;
    return span;
  }

  protected group(resource: Record<string, unknown>, spans: Span[]): ResourceSpanGroup {
    for (const span of spans) span.resource = resource;
    return { resource, spans };
  }
}

const TWO_32 = 2 ** 32;

/** A fixed64 from its two words as an exact bigint (no bigint arithmetic below 2^53). */
function nanos(low: number, high: number): bigint {
  return high < 2 ** 21 ? BigInt(high * TWO_32 + low) : (BigInt(high) << 32n) | BigInt(low);
}
