import protobuf from 'protobufjs';
import type { Span } from '../span.js';
import { int64Value } from './attributes.js';
import { Constant, LineWriter, linesOfTails, TEXT, type RunLines, type SpanTails } from './line-writer.js';
import { CHECKED, FIXED32, FIXED64, LENGTH, MISS, ProtoWalk, VARINT } from './proto-fast.js';

/**
 * `frametail receive`'s protobuf path: the walk of proto-fast.ts (its checks, its give-ups) writing each
 * span's results.jsonl line (after `"run":…,`, see lines.ts) as UTF-8 bytes straight from the body, with
 * no Span object, attribute record, bigint or intermediate string for text that needs no escaping.
 * Undefined whenever proto-fast.ts would give up, and for a KeyValue other than one key then at most one
 * value, or a key that is not plain printable ASCII, starts with a digit, is `__proto__` or repeats within
 * the span (the attribute record would reorder or drop it): the caller then decodes to spans and writes
 * them with lines.ts's spanLinesJson, which this path matches byte for byte (tests/traces-span-text.test.ts).
 */
export function protoSpanTails(bytes: Buffer, maxSpans: number | undefined): SpanTails | undefined {
  const walk = new LineWalk(protobuf.Reader.create(bytes), maxSpans ?? Infinity, bytes, undefined);
  try {
    const groups = walk.request();
    return { groups, buffer: walk.out.buf, starts: walk.starts, ends: walk.ends };
  } catch {
    // A miss, or protobufjs's reader running past the end: the reference path decides.
    return undefined;
  }
}

/**
 * The span lines of a request by run, as linesOfTails(protoSpanTails(…), runOf) gives them (undefined
 * likewise). A request whose spans all go to one run, each resource read before its spans (what exporters
 * send), is written in one pass as whole lines; any other (several runs, a resource after its spans or
 * missing, instrumentationLibrarySpans) is walked again the protoSpanTails way and its lines copied by run.
 */
export function protoSpanLines(bytes: Buffer, maxSpans: number | undefined, runOf: (resource: Record<string, unknown>) => string | null): RunLines[] | undefined {
  const walk = new LineWalk(protobuf.Reader.create(bytes), maxSpans ?? Infinity, bytes, runOf);
  try {
    walk.request();
    return walk.count === 0 ? [] : [{ runId: walk.run!, lines: walk.out.done(), count: walk.count }];
  } catch (error) {
    if (error !== NOT_ONE_RUN) return undefined; // a miss, or an overrun: the reference path decides
  }
  const tails = protoSpanTails(bytes, maxSpans);
  return tails && linesOfTails(tails, runOf);
}

/** The one-pass walk meets a span it cannot write as a whole line: the request is walked again for tails. */
const NOT_ONE_RUN = new Error('not one run');

const PROTO_KEY = Buffer.from('__proto__');
const KEY_TAG = (1 << 3) | LENGTH;
const VALUE_TAG = (2 << 3) | LENGTH;

class LineWalk extends ProtoWalk<number, SpanTails['groups'][number]> {
  readonly out: LineWriter;
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** The span's attribute KeyValues as [start, end) pairs, written once the span's other fields are known. */
  private readonly attributeRanges: number[] = [];
  /** The span's attribute keys written so far, as [start, end) pairs into the body (the first keyCount entries). */
  private readonly keyRanges: number[] = [];
  private keyCount = 0;
  /** Whole lines (runOf given: protoSpanLines) or tails (protoSpanTails). */
  private readonly whole: boolean;
  /** Whole lines: the current resourceSpans entry's run (undefined until its resource is read), and its spans so far. */
  private groupRun: string | null | undefined;
  private groupSpans = 0;
  /** Whole lines: the run of every span so far (undefined before the first), its line's head, the lines written. */
  run: string | null | undefined;
  private head: Constant | undefined;
  count = 0;

  constructor(
    reader: protobuf.Reader,
    maxSpans: number,
    private readonly body: Buffer,
    private readonly runOf: ((resource: Record<string, unknown>) => string | null) | undefined,
  ) {
    super(reader, maxSpans);
    this.whole = runOf !== undefined;
    this.out = new LineWriter(body.length * 2);
  }

  protected override groupStarted(): void {
    this.groupRun = undefined;
    this.groupSpans = 0;
  }

  protected override librarySpansRead(): void {
    // Written in wire order, they could come before scopeSpans' lines: lines by run from tails.
    if (this.whole) throw NOT_ONE_RUN;
  }

  protected override resourceRead(resource: Record<string, unknown>): void {
    if (!this.whole) return;
    // A resource after spans it names (or a second one) would change their run: lines by run from tails.
    if (this.groupSpans > 0) throw NOT_ONE_RUN;
    this.groupRun = this.runOf!(resource);
  }

  /** Whole lines: the line's start before its tail, `{"type":"span","run":…,` (lines.ts's spanLinesJson). */
  private lineHead(traceAt: number): void {
    const run = this.groupRun;
    if (run === undefined) throw NOT_ONE_RUN; // no resource read yet: its run is not known
    if (this.run === undefined) {
      this.run = run;
      if (run !== null) this.head = new Constant(`{"type":"span","run":${JSON.stringify(run)},`);
    } else if (run !== this.run) throw NOT_ONE_RUN;
    this.groupSpans++;
    const out = this.out;
    if (this.head) return out.constant(this.head);
    // Without a run: the trace id names it.
    out.constant(TEXT.headWithoutRun);
    out.hex(this.body, traceAt, 16);
    out.constant(TEXT.quoteComma);
  }

  protected group(resource: Record<string, unknown>, tails: number[]): SpanTails['groups'][number] {
    return { resource, tails };
  }

  /** A length-delimited field as a [start, end) range: an overrun throws as protobufjs's bytes() would. */
  private bytesAt(): number {
    const length = this.r.uint32();
    const start = this.r.pos;
    if (start + length > this.r.len) throw MISS;
    this.r.pos += length;
    return start;
  }

  /** A string field's start; its end (clamped to the body, as protobufjs's string() reads it) is then `r.pos`. */
  private stringAt(): number {
    const length = this.r.uint32();
    const start = this.r.pos;
    this.r.pos = Math.min(start + length, this.r.len);
    return start;
  }

  /** Mirrors SpanWalk.span (proto-fast.ts) field for field; writes the tail instead of building a Span. */
  protected span(end: number): number {
    const r = this.r;
    const body = this.body;
    let traceAt = -1;
    let traceLength = 0;
    let spanAt = -1;
    let spanLength = 0;
    let parentAt = -1;
    let parentLength = 0;
    let nameAt = -1;
    let nameEnd = -1;
    let startLow = 0;
    let startHigh = 0;
    let endLow = 0;
    let endHigh = 0;
    let status: Span['status'] = 'unset';
    const attributes = this.attributeRanges;
    let attributeCount = 0;
    while (r.pos < end) {
      const tag = this.tag();
      const wire = tag & 7;
      // The same field cases, checks and skips as proto-fast.ts (SpanWalk.span), so both walks give up on the same bodies.
      // Kept as two inline switches on purpose: moving the shared cases into one base-class method cost
      // the protobuf line path about a quarter of its speed (bench-receiver-ingest 0.81× → 0.60×).
      switch (tag >>> 3) {
        case 1:
          if (wire !== LENGTH) throw MISS;
          traceAt = this.bytesAt();
          traceLength = r.pos - traceAt;
          break;
        case 2:
          if (wire !== LENGTH) throw MISS;
          spanAt = this.bytesAt();
          spanLength = r.pos - spanAt;
          break;
        case 4:
          if (wire !== LENGTH) throw MISS;
          parentAt = this.bytesAt();
          parentLength = r.pos - parentAt;
          break;
        case 5:
          if (wire !== LENGTH) throw MISS;
          nameAt = this.stringAt();
          nameEnd = r.pos;
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
          const subEnd = this.sub(end);
          attributes[attributeCount++] = r.pos;
          attributes[attributeCount++] = subEnd;
          r.pos = subEnd;
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
    // request.ts warns about and skips a span without valid ids: leave it to the reference path.
    if (traceLength !== 16 || allZero(body, traceAt, 16) || spanLength !== 8 || allZero(body, spanAt, 8)) throw MISS;
    const out = this.out;
    const start = out.pos;
    if (this.whole) this.lineHead(traceAt);
    out.constant(TEXT.traceId);
    out.hex(body, traceAt, 16);
    out.constant(TEXT.spanId);
    out.hex(body, spanAt, 8);
    if (parentLength === 8 && !allZero(body, parentAt, 8)) {
      out.constant(TEXT.parentSpanId);
      out.hex(body, parentAt, 8);
      out.constant(TEXT.name);
    } else out.constant(TEXT.noParentName);
    if (nameAt < 0) out.constant(TEXT.emptyString);
    else out.jsonString(body, nameAt, nameEnd);
    out.constant(TEXT.startNs);
    out.uint64(startLow, startHigh);
    out.constant(TEXT.endNs);
    out.uint64(endLow, endHigh);
    out.constant(TEXT[status]);
    this.keyCount = 0;
    for (let i = 0; i < attributeCount; i += 2) this.attribute(attributes[i]!, attributes[i + 1]!);
    r.pos = end;
    if (this.whole) {
      out.constant(TEXT.endLine);
      return this.count++;
    }
    out.constant(TEXT.end);
    this.starts.push(start);
    this.ends.push(out.pos);
    return this.starts.length - 1;
  }

  /** One attribute KeyValue in body[start, end) as `"key":value` (a comma before all but the first). */
  private attribute(start: number, end: number): void {
    const r = this.r;
    const out = this.out;
    r.pos = start;
    if (r.pos >= end || this.tag() !== KEY_TAG) throw MISS;
    const keyAt = this.stringAt();
    const keyEnd = r.pos;
    if (keyEnd > end) throw MISS;
    this.checkKey(keyAt, keyEnd);
    out.constant(this.keyCount === 0 ? TEXT.quote : TEXT.commaQuote);
    out.bytes(this.body, keyAt, keyEnd);
    out.constant(TEXT.quoteColon);
    this.keyRanges[this.keyCount++] = keyAt;
    this.keyRanges[this.keyCount++] = keyEnd;
    if (r.pos === end) return out.constant(TEXT.null);
    if (this.tag() !== VALUE_TAG || this.sub(end) !== end) throw MISS;
    this.value(end);
  }

  /**
   * An int64 varint as JSON.stringify writes int64Value's result: below 2^28 (four bytes, the common case)
   * read here and written as digits; anything longer through protobufjs's int64 and int64Value.
   */
  private int64(): void {
    const r = this.r;
    const buf = this.body;
    let value = 0;
    let shift = 0;
    for (let pos = r.pos; pos < r.len && shift < 28; pos++, shift += 7) {
      const byte = buf[pos]!;
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        r.pos = pos + 1;
        this.out.uint64(value, 0);
        return;
      }
    }
    const long = int64Value(r.int64() as unknown as { low: number; high: number });
    this.out.ascii(typeof long === 'string' ? `"${long}"` : String(long));
  }

  /** A key the attribute record keeps as it is, where it is: plain printable ASCII, not an index, not `__proto__`, not seen before in the span. */
  private checkKey(at: number, end: number): void {
    const body = this.body;
    for (let i = at; i < end; i++) {
      const byte = body[i]!;
      if (byte < 0x20 || byte > 0x7e || byte === 34 || byte === 92) throw MISS;
    }
    const first = body[at]!;
    if ((end > at && first >= 48 && first <= 57) || (end - at === PROTO_KEY.length && sameBytes(body, at, PROTO_KEY, 0, PROTO_KEY.length))) throw MISS;
    const keys = this.keyRanges;
    for (let k = 0; k < this.keyCount; k += 2) {
      if (keys[k + 1]! - keys[k]! === end - at && sameBytes(body, keys[k]!, body, at, end - at)) throw MISS;
    }
  }

  /** One AnyValue up to `end`, as proto-fast.ts's anyValue reads it, written as JSON.stringify writes that value. */
  private value(end: number): void {
    const r = this.r;
    const out = this.out;
    const valueAt = r.pos;
    const outAt = out.pos;
    let variant = 0;
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
      if (field === 1) {
        if (wire !== LENGTH) throw MISS;
        const at = this.stringAt();
        if (r.pos > end) throw MISS;
        out.jsonString(this.body, at, r.pos);
      } else if (field === 2) {
        if (wire !== VARINT) throw MISS;
        out.constant(r.bool() ? TEXT.true : TEXT.false);
      } else if (field === 3) {
        if (wire !== VARINT) throw MISS;
        this.int64();
      } else if (field === 4) {
        if (wire !== FIXED64) throw MISS;
        out.ascii(JSON.stringify(r.double()));
      } else if (field === 7) {
        if (wire !== LENGTH) throw MISS;
        const at = this.bytesAt();
        out.ascii(`"${this.body.toString('base64', at, r.pos)}"`);
      } else {
        // An array or key-value list: decoded as the Span path decodes it (depth bound included), then stringified.
        r.pos = valueAt;
        out.pos = outAt;
        out.utf8(JSON.stringify(this.anyValue(end, 0, 5)));
        return;
      }
      if (r.pos > end) throw MISS;
    }
    if (r.pos !== end) throw MISS;
    if (variant === 0) out.constant(TEXT.null);
  }
}

/** True when a[at, at + length) equals b[bt, bt + length). */
function sameBytes(a: Uint8Array, at: number, b: Uint8Array, bt: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[at + i] !== b[bt + i]) return false;
  return true;
}

/** True when body[at, at + length) is all zero bytes (an invalid W3C id). */
function allZero(body: Buffer, at: number, length: number): boolean {
  for (let i = at; i < at + length; i++) if (body[i] !== 0) return false;
  return true;
}

