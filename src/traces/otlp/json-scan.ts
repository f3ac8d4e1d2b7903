import { normalizeId, normalizeStatus } from '../normalize.js';
import { anyValue, attributesFromKeyValues } from './attributes.js';
import { nsText, writeValue } from './json-lines.js';
import { CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, JsonCursor, MISS, OPEN_BRACE, OPEN_BRACKET, PLAIN, QUOTE } from './json-cursor.js';
import { Constant, LineWriter, TEXT, type RunLines } from './line-writer.js';

/**
 * `frametail receive`'s first JSON path: one pass over the UTF-8 body, no JSON.parse of the whole request,
 * that checks the body is JSON (the grammar JSON.parse accepts) while writing each span's results.jsonl line
 * (lines.ts's spanLinesJson, filed by run as json-lines.ts files them) from the body's bytes. Only what a sender
 * usually writes is read here: ids as
 * lowercase hex, times as digit strings, names and attribute keys as printable ASCII, status codes 0–2,
 * string/int/bool/double attribute values. Anything else in a span field (an escape, other spellings, nested
 * values) is parsed from its own slice with JSON.parse and handed to json-lines.ts's normalizers, so it means
 * what the whole-request parse would make of it. Undefined (json-lines.ts, then the reference path, decide)
 * for anything that path would warn about or refuse, a key read here that repeats or has an escape, an
 * attribute key the record would not keep in arrival order once, a resource after its spans, more than
 * `maxSpans` spans, or nesting deeper than MAX_SKIP_DEPTH in a value passed over. tests/traces-span-text.test.ts
 * checks it against the reference on random, reordered, re-spaced, escaped and mutated requests, and against
 * JSON.parse on any text.
 */
export function scanSpanLines(body: Buffer, maxSpans: number | undefined, runOf: (resource: Record<string, unknown>) => string | null): RunLines[] | undefined {
  const scan = new JsonScan(body, maxSpans ?? Infinity, runOf);
  try {
    scan.request();
    return [...scan.runs.values()].map(({ runId, out, count }) => ({ runId, lines: out.done(), count }));
  } catch {
    // A miss, or JSON.parse or a normalizer refusing a slice: the next path decides (and words any error).
    return undefined;
  }
}

/** Token kinds of a field's value. */
const STRING = 0;
const NUMBER = 1;
const OTHER = 2; // object, array, true, false, null

/** The span fields read, as bits (a repeat is a miss: JSON.parse keeps the last, this pass the first). */
const TRACE_ID = 1;
const SPAN_ID = 2;
const PARENT_SPAN_ID = 4;
const NAME = 8;
const START = 16;
const END = 32;
const ATTRIBUTES = 64;
const STATUS = 128;

const KEYS = {
  resourceSpans: Buffer.from('resourceSpans'),
  resource: Buffer.from('resource'),
  scopeSpans: Buffer.from('scopeSpans'),
  instrumentationLibrarySpans: Buffer.from('instrumentationLibrarySpans'),
  spans: Buffer.from('spans'),
  traceId: Buffer.from('traceId'),
  spanId: Buffer.from('spanId'),
  parentSpanId: Buffer.from('parentSpanId'),
  name: Buffer.from('name'),
  startTimeUnixNano: Buffer.from('startTimeUnixNano'),
  endTimeUnixNano: Buffer.from('endTimeUnixNano'),
  attributes: Buffer.from('attributes'),
  status: Buffer.from('status'),
  code: Buffer.from('code'),
  key: Buffer.from('key'),
  value: Buffer.from('value'),
  stringValue: Buffer.from('stringValue'),
  intValue: Buffer.from('intValue'),
  boolValue: Buffer.from('boolValue'),
  doubleValue: Buffer.from('doubleValue'),
  arrayValue: Buffer.from('arrayValue'),
  kvlistValue: Buffer.from('kvlistValue'),
  bytesValue: Buffer.from('bytesValue'),
  __proto__: Buffer.from('__proto__'),
};
const NO_VARIANT = Buffer.alloc(0);
const KEY_MEMBER = Buffer.from('"key":');
const VALUE_MEMBER = Buffer.from('"value":');
const VARIANTS: Buffer[] = [KEYS.stringValue, KEYS.intValue, KEYS.boolValue, KEYS.doubleValue, KEYS.arrayValue, KEYS.kvlistValue, KEYS.bytesValue];
/** Each variant's key as a member starts: `"stringValue":`. */
const VARIANT_MEMBERS = VARIANTS.map((name) => Buffer.from(`"${name.toString()}":`));
const STATUS_TEXT = { unset: TEXT.unset, ok: TEXT.ok, error: TEXT.error };

/** A field's value in the body: its token's [start, end) and kind; `escaped` for a string that is not PLAIN. */
interface Token {
  start: number;
  end: number;
  kind: number;
  escaped: boolean;
  /** A string of lowercase hex digits only (`digits`: decimal digits only; `zero`: zeros only, or empty). */
  hex: boolean;
  digits: boolean;
  zero: boolean;
}

const token = (): Token => ({ start: 0, end: 0, kind: OTHER, escaped: false, hex: false, digits: false, zero: false });

/** One run's lines so far. */
interface Run {
  runId: string | null;
  out: LineWriter;
  /** `{"type":"span","run":<run>,` (undefined: each line names its trace id). */
  head: Constant | undefined;
  count: number;
}

class JsonScan extends JsonCursor {
  /** The lines by run, in order of each run's first span (as receiver-ingest.ts's attribute files them). */
  readonly runs = new Map<string | null, Run>();
  /** The run of the resourceSpans entry being read, once it has a span (undefined before). */
  private run: Run | undefined;
  /** A span's attributes as written (`"key":value,…`), copied into its line once its other fields are known. */
  private readonly attrs = new LineWriter(1024);
  /** The span's attribute keys so far, as [start, end) pairs into the body (the first keyCount pairs). */
  private readonly keyRanges: number[] = [];
  private keyCount = 0;
  private spans = 0;
  /** The previous span's members in order: each key's text from its opening quote to its colon, and its field bit. */
  private readonly order: { key: Buffer; bit: number }[] = [];
  /** What anyValue() noted about the AnyValue it passed over. */
  private variant: Buffer | undefined;
  private variantStart = 0;
  private variantEnd = 0;
  /** string()'s `seen` for the variant's token when it is a string. */
  private variantSeen = PLAIN;
  /** The index in VARIANTS of the variant the last AnyValue named. */
  private lastVariant = 0;
  private readonly fields = {
    traceId: token(),
    spanId: token(),
    parentSpanId: token(),
    name: token(),
    start: token(),
    end: token(),
    code: token(),
  };

  constructor(
    b: Buffer,
    private readonly maxSpans: number,
    private readonly runOf: (resource: Record<string, unknown>) => string | null,
  ) {
    super(b);
  }

  /** The request object: `{"resourceSpans":[…]}` and nothing but whitespace around it. */
  request(): void {
    const b = this.b;
    let found = false;
    let p = this.ws(0);
    if (b[p] !== OPEN_BRACE) throw MISS;
    p = this.ws(p + 1);
    if (b[p] !== CLOSE_BRACE) {
      for (;;) {
        const keyStart = p + 1;
        p = this.key(p);
        if (this.keyIs(keyStart, KEYS.resourceSpans)) {
          if (found) throw MISS;
          found = true;
          p = this.resourceSpans(p);
        } else p = this.skipValue(p);
        p = this.ws(p);
        if (b[p] === COMMA) p = this.ws(p + 1);
        else if (b[p] === CLOSE_BRACE) break;
        else throw MISS;
      }
    }
    if (this.ws(p + 1) !== b.length || !found) throw MISS;
  }

  /** The array of resourceSpans at `p`; returns the position after it. */
  private resourceSpans(p: number): number {
    const b = this.b;
    if (b[p] !== OPEN_BRACKET) throw MISS;
    p = this.ws(p + 1);
    if (b[p] === CLOSE_BRACKET) return p + 1;
    for (;;) {
      p = this.resourceSpan(p);
      p = this.ws(p);
      if (b[p] === COMMA) p = this.ws(p + 1);
      else if (b[p] === CLOSE_BRACKET) return p + 1;
      else throw MISS;
    }
  }

  /**
   * One ResourceSpans object. Its spans are written as they come, so its resource must come first (as
   * senders write it), and scopeSpans before instrumentationLibrarySpans (the order request.ts reads them in)
   * when both hold spans; otherwise a miss.
   */
  private resourceSpan(p: number): number {
    const b = this.b;
    if (b[p] !== OPEN_BRACE) throw MISS;
    let resource: Record<string, unknown> | undefined;
    let scoped = false;
    let library = false;
    this.run = undefined;
    p = this.ws(p + 1);
    if (b[p] !== CLOSE_BRACE) {
      for (;;) {
        const keyStart = p + 1;
        p = this.key(p);
        if (this.keyIs(keyStart, KEYS.resource)) {
          if (resource || this.run) throw MISS;
          const end = this.skipValue(p);
          const parsed = JSON.parse(b.toString('utf8', p, end)) as { attributes?: unknown } | null;
          resource = attributesFromKeyValues(parsed?.attributes, 0, true);
          p = end;
        } else if (this.keyIs(keyStart, KEYS.scopeSpans)) {
          if (scoped || (library && this.run)) throw MISS;
          scoped = true;
          p = this.scopeSpans(p, resource);
        } else if (this.keyIs(keyStart, KEYS.instrumentationLibrarySpans)) {
          if (library) throw MISS;
          library = true;
          p = this.scopeSpans(p, resource);
        } else p = this.skipValue(p);
        p = this.ws(p);
        if (b[p] === COMMA) p = this.ws(p + 1);
        else if (b[p] === CLOSE_BRACE) break;
        else throw MISS;
      }
    }
    return p + 1;
  }

  /** The run that the spans of `resource` go to, made on their first span. */
  private runFor(resource: Record<string, unknown> | undefined): Run {
    const runId = this.runOf(resource ?? {});
    let run = this.runs.get(runId);
    if (!run) {
      // The first run gets room for the whole request; others grow from small, so many runs stay bounded.
      const head = runId === null ? undefined : new Constant(`{"type":"span","run":${JSON.stringify(runId)},`);
      this.runs.set(runId, (run = { runId, out: new LineWriter(this.runs.size === 0 ? this.b.length : 1024), head, count: 0 }));
    }
    return run;
  }

  /** An array of ScopeSpans (or InstrumentationLibrarySpans) of `resource`. */
  private scopeSpans(p: number, resource: Record<string, unknown> | undefined): number {
    const b = this.b;
    if (b[p] !== OPEN_BRACKET) throw MISS;
    p = this.ws(p + 1);
    if (b[p] === CLOSE_BRACKET) return p + 1;
    for (;;) {
      if (b[p] !== OPEN_BRACE) throw MISS;
      let spans = false;
      p = this.ws(p + 1);
      if (b[p] !== CLOSE_BRACE) {
        for (;;) {
          const keyStart = p + 1;
          p = this.key(p);
          if (this.keyIs(keyStart, KEYS.spans)) {
            if (spans) throw MISS;
            spans = true;
            p = this.spanArray(p, resource);
          } else p = this.skipValue(p);
          p = this.ws(p);
          if (b[p] === COMMA) p = this.ws(p + 1);
          else if (b[p] === CLOSE_BRACE) break;
          else throw MISS;
        }
      }
      p = this.ws(p + 1);
      if (b[p] === COMMA) p = this.ws(p + 1);
      else if (b[p] === CLOSE_BRACKET) return p + 1;
      else throw MISS;
    }
  }

  private spanArray(p: number, resource: Record<string, unknown> | undefined): number {
    const b = this.b;
    if (b[p] !== OPEN_BRACKET) throw MISS;
    p = this.ws(p + 1);
    if (b[p] === CLOSE_BRACKET) return p + 1;
    const run = (this.run ??= this.runFor(resource));
    for (;;) {
      if (++this.spans > this.maxSpans) throw MISS;
      p = this.span(p, run);
      p = this.ws(p);
      if (b[p] === COMMA) p = this.ws(p + 1);
      else if (b[p] === CLOSE_BRACKET) return p + 1;
      else throw MISS;
    }
  }

  /** One span object at `p`: its fields are located, then its line is written in the line's order. */
  private span(p: number, run: Run): number {
    const b = this.b;
    const f = this.fields;
    if (b[p] !== OPEN_BRACE) throw MISS;
    let seen = 0;
    this.attrs.pos = 0;
    this.keyCount = 0;
    f.code.kind = -1;
    p = this.ws(p + 1);
    if (b[p] !== CLOSE_BRACE) {
      for (let member = 0; ; member++) {
        // Senders write every span's members in one order: the previous span's key at this place is tried first.
        const guess = this.order[member];
        let bit: number;
        if (guess !== undefined && this.at(p, guess.key)) {
          bit = guess.bit;
          p = this.ws(p + guess.key.length);
        } else {
          const keyStart = p + 1;
          p = this.key(p);
          bit = this.spanField(keyStart);
          const colon = keyStart + this.keyLength;
          if (this.b[colon + 1] === COLON) this.order[member] = { key: Buffer.from(this.b.subarray(keyStart - 1, colon + 2)), bit };
        }
        if (seen & bit) throw MISS;
        seen |= bit;
        if (bit === 0) p = this.skipValue(p);
        else if (bit === ATTRIBUTES) p = this.attributes(p);
        else if (bit === STATUS) p = this.status(p);
        else p = this.tokenAt(p, this.tokenOf(bit));
        p = this.ws(p);
        if (b[p] === COMMA) p = this.ws(p + 1);
        else if (b[p] === CLOSE_BRACE) break;
        else throw MISS;
      }
    }
    if (!(seen & TRACE_ID) || !(seen & SPAN_ID) || !(seen & START)) throw MISS;
    if (!(seen & PARENT_SPAN_ID)) f.parentSpanId.kind = -1;
    if (!(seen & NAME)) f.name.kind = -1;
    if (!(seen & END)) f.end.kind = -1;
    this.writeLine(run);
    run.count++;
    return p + 1;
  }

  /** The span field a key at `keyStart` names, as its bit (0: a field not read). */
  private spanField(keyStart: number): number {
    switch (this.b[keyStart]) {
      case 116: // t
        return this.keyIs(keyStart, KEYS.traceId) ? TRACE_ID : 0;
      case 115: // s
        if (this.keyIs(keyStart, KEYS.spanId)) return SPAN_ID;
        if (this.keyIs(keyStart, KEYS.startTimeUnixNano)) return START;
        return this.keyIs(keyStart, KEYS.status) ? STATUS : 0;
      case 112: // p
        return this.keyIs(keyStart, KEYS.parentSpanId) ? PARENT_SPAN_ID : 0;
      case 110: // n
        return this.keyIs(keyStart, KEYS.name) ? NAME : 0;
      case 101: // e
        return this.keyIs(keyStart, KEYS.endTimeUnixNano) ? END : 0;
      case 97: // a
        return this.keyIs(keyStart, KEYS.attributes) ? ATTRIBUTES : 0;
      default:
        return 0;
    }
  }

  /** Where a span field's token is noted. */
  private tokenOf(bit: number): Token {
    const f = this.fields;
    switch (bit) {
      case TRACE_ID:
        return f.traceId;
      case SPAN_ID:
        return f.spanId;
      case PARENT_SPAN_ID:
        return f.parentSpanId;
      case NAME:
        return f.name;
      case START:
        return f.start;
      default:
        return f.end;
    }
  }

  /** The span's line from its located fields and written attributes. */
  private writeLine(run: Run): void {
    const f = this.fields;
    const out = run.out;
    out.room(256 + this.attrs.pos);
    if (run.head) out.constant(run.head);
    else {
      // No run: the line names its trace id, written here and copied into the traceId field below.
      out.constant(TEXT.headWithoutRun);
      const at = out.pos;
      this.id(out, f.traceId, 16, false);
      const end = out.pos;
      out.constant(TEXT.quoteComma);
      out.constant(TEXT.traceId);
      out.bytes(out.buf, at, end);
    }
    const name = f.name;
    if (run.head && this.adjacent()) {
      // `"<trace>","spanId":"<span>","parentSpanId":"<parent>","name":"<name>"` is in the body as the line has it.
      out.constant(TEXT.traceIdKey);
      out.bytes(this.b, f.traceId.start, name.end);
    } else {
      if (run.head) {
        out.constant(TEXT.traceId);
        this.id(out, f.traceId, 16, false);
      }
      out.constant(TEXT.spanId);
      this.id(out, f.spanId, 8, false);
      if (f.parentSpanId.kind === -1 || !this.id(out, f.parentSpanId, 8, true)) out.constant(TEXT.noParentName);
      if (name.kind === STRING && !name.escaped) out.bytes(this.b, name.start, name.end);
      else if (name.kind === STRING) out.jsonText(this.decode(name) as string);
      else out.constant(TEXT.emptyString);
    }
    out.constant(TEXT.startNs);
    const startAt = out.pos;
    if (!this.ns(out, f.start)) throw MISS;
    const startEnd = out.pos;
    out.constant(TEXT.endNs);
    if (f.end.kind === -1 || !this.ns(out, f.end)) out.bytes(out.buf, startAt, startEnd);
    out.constant(STATUS_TEXT[this.statusOf()]);
    out.bytes(this.attrs.buf, 0, this.attrs.pos);
    out.constant(TEXT.endLine);
  }

  /**
   * True when the span's trace id, span id, parent and name follow each other in the body in the line's
   * order with nothing between them (the distances leave room for their keys only), the ids lowercase hex
   * and not zero, the name plain: then the line copies them as one piece.
   */
  private adjacent(): boolean {
    const f = this.fields;
    return (
      f.spanId.start === f.traceId.end + 10 &&
      f.parentSpanId.start === f.spanId.end + 16 &&
      f.name.start === f.parentSpanId.end + 8 &&
      f.name.kind === STRING &&
      !f.name.escaped &&
      this.isHexId(f.traceId, 16) &&
      this.isHexId(f.spanId, 8) &&
      this.isHexId(f.parentSpanId, 8)
    );
  }

  /** A plain string token of 2·`bytes` lowercase hex digits, not all zero. */
  private isHexId(field: Token, bytes: number): boolean {
    return field.kind === STRING && field.hex && !field.zero && field.end - field.start === bytes * 2 + 2;
  }

  /**
   * Writes an id as lowercase hex (normalizeId): 2·`bytes` lowercase hex digits are copied as they are
   * checked, anything else decoded and normalized. An invalid id is a miss, unless `parent`: then false and
   * nothing written; a parent is written with its `"parentSpanId":"…","name":` around it.
   */
  private id(out: LineWriter, field: Token, bytes: 8 | 16, parent: boolean): boolean {
    if (this.isHexId(field, bytes)) {
      if (parent) out.constant(TEXT.parentSpanId);
      out.bytes(this.b, field.start + 1, field.end - 1);
      if (parent) out.constant(TEXT.name);
      return true;
    }
    const hex = normalizeId(this.decode(field), bytes);
    if (hex === null) {
      if (parent) return false;
      throw MISS;
    }
    if (parent) out.constant(TEXT.parentSpanId);
    out.ascii(hex);
    if (parent) out.constant(TEXT.name);
    return true;
  }

  /** Writes a time as nsText gives it (false, nothing written: not a time); digits without a leading zero are copied. */
  private ns(out: LineWriter, field: Token): boolean {
    const start = field.start + 1;
    const end = field.end - 1;
    // nsText's own text: 1–20 digits, no leading zero (or just "0").
    if (field.kind === STRING && field.digits && end > start && end - start <= 20 && (this.b[start] !== 48 || end - start === 1)) {
      out.bytes(this.b, start, end);
      return true;
    }
    const text = nsText(this.decode(field)); // throws (a miss) for a number JSON.parse may have rounded
    if (text === null) return false;
    out.ascii(text);
    return true;
  }

  private statusOf(): 'unset' | 'ok' | 'error' {
    const code = this.fields.code;
    if (code.kind === -1) return 'unset';
    if (code.kind === NUMBER && code.end - code.start === 1) {
      const digit = this.b[code.start];
      if (digit === 49) return 'ok';
      if (digit === 50) return 'error';
      if (digit === 48) return 'unset';
    }
    return normalizeStatus(this.decode(code));
  }

  /** The span's status: only an object's `code` matters (`status.code` of anything else is undefined). */
  private status(p: number): number {
    const b = this.b;
    if (b[p] !== OPEN_BRACE) return this.skipValue(p);
    let code = false;
    p = this.ws(p + 1);
    if (b[p] === CLOSE_BRACE) return p + 1;
    for (;;) {
      const keyStart = p + 1;
      p = this.key(p);
      if (this.keyIs(keyStart, KEYS.code)) {
        if (code) throw MISS;
        code = true;
        p = this.tokenAt(p, this.fields.code);
      } else p = this.skipValue(p);
      p = this.ws(p);
      if (b[p] === COMMA) p = this.ws(p + 1);
      else if (b[p] === CLOSE_BRACE) return p + 1;
      else throw MISS;
    }
  }

  /** The span's attributes (an array of KeyValue), written into `attrs` as the record's JSON members. */
  private attributes(p: number): number {
    const b = this.b;
    if (b[p] !== OPEN_BRACKET) return this.skipValue(p); // not an array: no attributes (attributesFromKeyValues)
    p = this.ws(p + 1);
    if (b[p] === CLOSE_BRACKET) return p + 1;
    for (;;) {
      p = this.keyValue(p);
      p = this.ws(p);
      if (b[p] === COMMA) p = this.ws(p + 1);
      else if (b[p] === CLOSE_BRACKET) return p + 1;
      else throw MISS;
    }
  }

  /**
   * One KeyValue object: `{"key": "<plain key>", "value": {<variant>: …}}` in either order. The value is
   * written here when it is a plain string, an int64 string that is its own number text, a boolean or a
   * double; anything else is parsed from its slice and written as anyValue and writeValue would.
   */
  private keyValue(p: number): number {
    const b = this.b;
    if (b[p] !== OPEN_BRACE) throw MISS;
    let keyAt = -1;
    let keyEnd = -1;
    let valueAt = -1;
    let valueEnd = -1;
    p = this.ws(p + 1);
    if (b[p] !== CLOSE_BRACE) {
      for (;;) {
        // `"key":` and `"value":` as senders write them are matched whole; anything else is read as a key.
        let member: Buffer | undefined;
        if (this.at(p, KEY_MEMBER)) {
          member = KEYS.key;
          p = this.ws(p + KEY_MEMBER.length);
        } else if (this.at(p, VALUE_MEMBER)) {
          member = KEYS.value;
          p = this.ws(p + VALUE_MEMBER.length);
        } else {
          const nameStart = p + 1;
          p = this.key(p);
          member = this.keyIs(nameStart, KEYS.key) ? KEYS.key : this.keyIs(nameStart, KEYS.value) ? KEYS.value : undefined;
        }
        if (member === KEYS.key) {
          if (keyAt !== -1 || b[p] !== QUOTE) throw MISS; // a repeat, or a key that is not a string
          keyAt = p;
          p = this.string(p);
          if (this.seen !== PLAIN) throw MISS;
          keyEnd = p;
        } else if (member === KEYS.value) {
          if (valueAt !== -1) throw MISS;
          valueAt = p;
          p = this.anyValue(p);
          valueEnd = p;
        } else p = this.skipValue(p);
        p = this.ws(p);
        if (b[p] === COMMA) p = this.ws(p + 1);
        else if (b[p] === CLOSE_BRACE) break;
        else throw MISS;
      }
    }
    if (keyAt === -1) throw MISS;
    this.checkKey(keyAt + 1, keyEnd - 1);
    const attrs = this.attrs;
    attrs.room(keyEnd - keyAt + 2);
    if (this.keyCount > 1) attrs.buf[attrs.pos++] = COMMA;
    attrs.bytes(b, keyAt, keyEnd);
    attrs.buf[attrs.pos++] = COLON;
    if (valueAt === -1) attrs.constant(TEXT.null);
    else if (!this.simpleValue()) writeValue(anyValue(JSON.parse(b.toString('utf8', valueAt, valueEnd)), 0, true), attrs);
    return p + 1;
  }

  /** A key the record keeps in arrival order once: no leading digit, not `__proto__`, not seen before in the span. */
  private checkKey(start: number, end: number): void {
    const b = this.b;
    const first = b[start]!;
    if ((first >= 48 && first <= 57) || this.keyIs(start, KEYS.__proto__, end)) throw MISS;
    const ranges = this.keyRanges;
    for (let k = 0; k < this.keyCount; k++) {
      const s = ranges[2 * k]!;
      const e = ranges[2 * k + 1]!;
      if (e - s !== end - start) continue;
      let same = true;
      for (let i = 0; same && i < e - s; i++) same = b[s + i] === b[start + i];
      if (same) throw MISS;
    }
    ranges[2 * this.keyCount] = start;
    ranges[2 * this.keyCount + 1] = end;
    this.keyCount++;
  }

  /**
   * Passes over an AnyValue at `p`, noting its variant as attributes.ts's setVariant finds it (the first key
   * naming one) and that variant's token: `variant` is NO_VARIANT for an object naming none, undefined for
   * anything simpleValue leaves to the parse (not an object, the variant's key repeated).
   */
  private anyValue(p: number): number {
    const b = this.b;
    if (b[p] !== OPEN_BRACE) {
      this.variant = undefined;
      return this.skipValue(p);
    }
    let variant: Buffer | undefined = NO_VARIANT;
    p = this.ws(p + 1);
    if (b[p] === CLOSE_BRACE) {
      this.variant = variant;
      return p + 1;
    }
    for (;;) {
      // The variant the previous value had is tried first, as its whole `"…Value":`.
      let named: Buffer | undefined;
      const guess = VARIANT_MEMBERS[this.lastVariant]!;
      if (this.at(p, guess)) {
        named = VARIANTS[this.lastVariant];
        p = this.ws(p + guess.length);
      } else {
        const keyStart = p + 1;
        p = this.key(p);
        named = this.variantAt(keyStart);
        if (named) this.lastVariant = VARIANTS.indexOf(named);
      }
      const valueStart = p;
      p = b[p] === QUOTE ? this.string(p) : this.skipValue(p);
      if (named) {
        if (named === variant) variant = undefined; // a repeat: JSON.parse keeps the last
        else if (variant === NO_VARIANT) {
          variant = named;
          this.variantStart = valueStart;
          this.variantEnd = p;
          this.variantSeen = this.seen;
        }
      }
      p = this.ws(p);
      if (b[p] === COMMA) p = this.ws(p + 1);
      else if (b[p] === CLOSE_BRACE) break;
      else throw MISS;
    }
    this.variant = variant;
    return p + 1;
  }

  /** Writes the AnyValue anyValue() passed over when it is simple (false, nothing written: the caller parses it). */
  private simpleValue(): boolean {
    const { b, attrs, variant } = this;
    if (variant === NO_VARIANT) {
      attrs.constant(TEXT.null);
      return true;
    }
    const at = this.variantStart;
    const end = this.variantEnd;
    const c = b[at];
    if (variant === KEYS.stringValue && c === QUOTE) {
      if (this.variantSeen !== PLAIN) return false;
      attrs.bytes(b, at, end);
      return true;
    }
    if (variant === KEYS.intValue && c === QUOTE) {
      // Its own number text: an optional minus, then 1–15 digits without a leading zero (or just "0").
      const first = b[at + 1] === 45 ? at + 2 : at + 1;
      const digits = end - 1 - first;
      if (digits < 1 || digits > 15 || (b[first] === 48 && (digits > 1 || first !== at + 1))) return false;
      for (let i = first; i < end - 1; i++) if (b[i]! < 48 || b[i]! > 57) return false;
      attrs.bytes(b, at + 1, end - 1);
      return true;
    }
    if (variant === KEYS.boolValue && (c === 116 || c === 102)) {
      attrs.bytes(b, at, end);
      return true;
    }
    if (variant === KEYS.doubleValue && (c === 45 || (c! >= 48 && c! <= 57))) {
      const n = Number(b.toString('latin1', at, end));
      attrs.ascii(Number.isFinite(n) ? String(n) : 'null');
      return true;
    }
    return false;
  }

  /** The AnyValue variant a key at `keyStart` names, if any. */
  private variantAt(keyStart: number): Buffer | undefined {
    switch (this.b[keyStart]) {
      case 115:
        return this.keyIs(keyStart, KEYS.stringValue) ? KEYS.stringValue : undefined;
      case 105:
        return this.keyIs(keyStart, KEYS.intValue) ? KEYS.intValue : undefined;
      case 98:
        return this.keyIs(keyStart, KEYS.boolValue) ? KEYS.boolValue : this.keyIs(keyStart, KEYS.bytesValue) ? KEYS.bytesValue : undefined;
      case 100:
        return this.keyIs(keyStart, KEYS.doubleValue) ? KEYS.doubleValue : undefined;
      case 97:
        return this.keyIs(keyStart, KEYS.arrayValue) ? KEYS.arrayValue : undefined;
      case 107:
        return this.keyIs(keyStart, KEYS.kvlistValue) ? KEYS.kvlistValue : undefined;
      default:
        return undefined;
    }
  }

  /** A field's token at `p` (passed over and checked); returns the position after it. */
  private tokenAt(p: number, field: Token): number {
    const b = this.b;
    const c = b[p];
    field.start = p;
    if (c === QUOTE) {
      field.kind = STRING;
      // Ids and times: lowercase hex digits, noted as such so they need no second look.
      let i = p + 1;
      let digits = true;
      let zero = true;
      for (; i < b.length; i++) {
        const x = b[i]!;
        if (x === 48) continue;
        if (x > 48 && x <= 57) zero = false;
        else if (x >= 97 && x <= 102) zero = digits = false;
        else break;
      }
      if (b[i] === QUOTE) {
        field.escaped = false;
        field.hex = true;
        field.digits = digits;
        field.zero = zero;
        p = i + 1;
      } else {
        field.hex = field.digits = field.zero = false;
        p = this.string(p);
        field.escaped = this.seen !== PLAIN;
      }
    } else {
      field.kind = c === 45 || (c! >= 48 && c! <= 57) ? NUMBER : OTHER;
      p = this.skipValue(p);
    }
    field.end = p;
    return p;
  }

  /** A token's value as the whole-request parse would give it (parsed from its own slice). */
  private decode(field: Token): unknown {
    return JSON.parse(this.b.toString('utf8', field.start, field.end));
  }
}
