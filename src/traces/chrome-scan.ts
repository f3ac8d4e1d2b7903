import { EventCollector, type ChromeEvent } from './chrome.js';
import { CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, JsonCursor, MISS, OPEN_BRACE, OPEN_BRACKET, PLAIN, QUOTE } from './otlp/json-cursor.js';
import type { Span, TraceWarning } from './span.js';
import { WarningSink } from './warnings.js';

/**
 * `frametail traces`' first way into a Chrome trace: one pass over the file's bytes, with no JSON.parse of
 * the document (which was most of the time and memory), that checks the bytes are JSON as JSON.parse would
 * (otlp/json-cursor.ts: whitespace, strings, escapes, numbers, literals, nesting on an array) and hands each
 * event to chrome.ts's EventCollector as it goes, the same checks and warnings as for a parsed document.
 * The members collectEvents reads (ph, name, cat, ts, dur, pid, tid, id, id2, bp, args) are read from the
 * bytes when they are plain (ASCII strings without escapes, numbers, `{}`), and any other value is that
 * value's own slice given to JSON.parse, so each member is what the whole parse would make of it; a member
 * that repeats keeps its last value, as with JSON.parse. Undefined when the text is not a Chrome trace this
 * reads (not JSON, a document that is not an event array or an object with one `traceEvents` array, a key
 * with an escape at the top level, nesting deeper than MAX_SKIP_DEPTH): the caller then parses the text
 * (and repairs PyTorch's unescaped names) as before. tests/traces-chrome-scan.test.ts checks both give the
 * same spans and warnings.
 */
export function scanChromeTrace(bytes: Buffer, file: string, warnings: TraceWarning[], fileIndex = 0): Span[] | undefined {
  const own: TraceWarning[] = [];
  const probe = new ChromeScan(bytes, undefined);
  try {
    if (!probe.document()) return undefined;
  } catch (error) {
    if (error !== SAMPLED) return error === MISS ? undefined : rethrow(error);
  }
  if (probe.eventCount >= SAMPLE_EVENTS && probe.argsObjects * 2 > SAMPLE_EVENTS) return undefined;
  const scan = new ChromeScan(bytes, new EventCollector(0, new WarningSink(own), file));
  try {
    if (!scan.document()) return undefined;
  } catch (error) {
    return error === MISS ? undefined : rethrow(error);
  }
  const spans = scan.collector!.spans(fileIndex);
  for (const w of own) warnings.push(w);
  return spans;
}

const TRACE_EVENTS = Buffer.from('traceEvents');

/**
 * A first pass over the first SAMPLE_EVENTS events (handing them to no collector) leaves to JSON.parse a
 * trace whose events mostly carry a non-empty args object: the scan builds those member by member in JS,
 * where JSON.parse builds them natively, so for such traces (Kineto's: every op has its External id)
 * JSON.parse was measured faster; for the legacy exporter's `"args": {}` the scan is (bench-traces).
 */
const SAMPLE_EVENTS = 1024;
const SAMPLED = new Error('sampled');

function rethrow(error: unknown): never {
  throw error;
}

/** The members an event is read for. */
type Key = 'ph' | 'name' | 'cat' | 'ts' | 'dur' | 'pid' | 'tid' | 'id' | 'id2' | 'bp' | 'args';
const KEY_NAMES = new Map<string, Key>((['ph', 'name', 'cat', 'ts', 'dur', 'pid', 'tid', 'id', 'id2', 'bp', 'args'] as const).map((k) => [k, k]));

/** Plain strings up to this many bytes are kept in a small table so repeated names share one string. */
const CACHED_LENGTH = 64;
const CACHE_SLOTS = 4096;

/** 10^k for the decimal fast path (exact doubles up to 10^22). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

class ChromeScan extends JsonCursor {
  /** The event being read; one record reused for every event (collectEvents keeps its values, not it). */
  private readonly event: ChromeEvent = { ph: undefined, name: undefined, cat: undefined, ts: undefined, dur: undefined, pid: undefined, tid: undefined, id: undefined, id2: undefined, bp: undefined, args: undefined };
  private readonly cache: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);
  /** The value `leaf` or `object` read last. */
  private parsed: unknown;
  /** Non-empty objects built so far (args, the only objects `object` builds), and events seen. */
  argsObjects = 0;
  eventCount = 0;

  constructor(
    b: Buffer,
    /** Undefined: a probe of the first SAMPLE_EVENTS events. */
    readonly collector: EventCollector | undefined,
  ) {
    super(b);
  }

  /** The whole document: an event array, or an object with one traceEvents array; false when it is neither. */
  document(): boolean {
    const b = this.b;
    let p = this.ws(b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0); // the BOM decodeDocument drops
    if (b[p] === OPEN_BRACKET) p = this.events(p);
    else if (b[p] === OPEN_BRACE) {
      let found = false;
      p = this.ws(p + 1);
      if (b[p] !== CLOSE_BRACE) {
        for (;;) {
          const keyAt = p + 1;
          p = this.key(p);
          if (this.keyIs(keyAt, TRACE_EVENTS, keyAt + this.keyLength)) {
            if (found || b[p] !== OPEN_BRACKET) return false; // JSON.parse keeps the last; not an array: not this reader's
            found = true;
            p = this.events(p);
          } else p = this.skipValue(p);
          p = this.ws(p);
          if (b[p] === COMMA) p = this.ws(p + 1);
          else if (b[p] === CLOSE_BRACE) break;
          else throw MISS;
        }
      }
      if (!found) return false;
      p++;
    } else return false;
    return this.ws(p) === b.length;
  }

  /** The event array at `p`; returns the position after it. */
  private events(p: number): number {
    const b = this.b;
    p = this.ws(p + 1);
    if (b[p] === CLOSE_BRACKET) return p + 1;
    for (let i = 0; ; i++) {
      if (!this.collector && i === SAMPLE_EVENTS) throw SAMPLED;
      this.eventCount = i + 1;
      if (b[p] === OPEN_BRACE) {
        p = this.eventAt(p);
        this.collector?.add(this.event, i);
      } else p = this.skipValue(p); // not an object: collectEvents skips it too
      p = this.ws(p);
      if (b[p] === COMMA) p = this.ws(p + 1);
      else if (b[p] === CLOSE_BRACKET) return p + 1;
      else throw MISS;
    }
  }

  /** One event object at `p` into `event`; returns the position after it. */
  private eventAt(p: number): number {
    const b = this.b;
    const e = this.event;
    e.ph = e.name = e.cat = e.ts = e.dur = e.pid = e.tid = e.id = e.id2 = e.bp = e.args = undefined;
    p = this.ws(p + 1);
    if (b[p] === CLOSE_BRACE) return p + 1;
    for (;;) {
      if (b[p] !== QUOTE) throw MISS;
      const keyEnd = this.string(p);
      // A key with an escape or beyond ASCII is decoded (it may still spell one of the members read).
      const key = this.seen === PLAIN ? this.which(p + 1, keyEnd - p - 2) : KEY_NAMES.get(this.parse(p, keyEnd) as string);
      p = this.ws(keyEnd);
      if (b[p] !== COLON) throw MISS;
      p = this.ws(p + 1);
      if (key === undefined) p = this.skipValue(p);
      else p = this.value(p, key);
      p = this.ws(p);
      if (b[p] === COMMA) p = this.ws(p + 1);
      else if (b[p] === CLOSE_BRACE) return p + 1;
      else throw MISS;
    }
  }

  /** The member name of the key at `at` (its bytes, `length` long), if collectEvents reads it. */
  private which(at: number, length: number): Key | undefined {
    const b = this.b;
    const c0 = b[at]!;
    const c1 = b[at + 1]!;
    if (length === 2) {
      if (c0 === 112 && c1 === 104) return 'ph';
      if (c0 === 116 && c1 === 115) return 'ts';
      if (c0 === 105 && c1 === 100) return 'id';
      if (c0 === 98 && c1 === 112) return 'bp';
      return undefined;
    }
    const c2 = b[at + 2]!;
    if (length === 3) {
      if (c1 === 105 && c2 === 100) return c0 === 112 ? 'pid' : c0 === 116 ? 'tid' : undefined;
      if (c0 === 99 && c1 === 97 && c2 === 116) return 'cat';
      if (c0 === 100 && c1 === 117 && c2 === 114) return 'dur';
      if (c0 === 105 && c1 === 100 && c2 === 50) return 'id2';
      return undefined;
    }
    if (length === 4) {
      const c3 = b[at + 3]!;
      if (c0 === 110 && c1 === 97 && c2 === 109 && c3 === 101) return 'name';
      if (c0 === 97 && c1 === 114 && c2 === 103 && c3 === 115) return 'args';
    }
    return undefined;
  }

  /** The value at `p` into the event's `key`, as JSON.parse would give it; returns the position after it. */
  private value(p: number, key: Key): number {
    const end = key === 'args' && this.b[p] === OPEN_BRACE ? this.object(p) : this.leaf(p);
    this.event[key] = this.parsed;
    return end;
  }

  /** The value at `p` into `parsed`: plain strings and numbers read here, anything else by JSON.parse of its slice. */
  private leaf(p: number): number {
    const c = this.b[p];
    let end: number;
    if (c === QUOTE) {
      end = this.string(p);
      this.parsed = this.seen === PLAIN ? this.text(p + 1, end - 1) : this.parse(p, end);
    } else if ((c! >= 48 && c! <= 57) || c === 45) {
      end = this.number(p);
      this.parsed = this.numberValue(p, end);
    } else {
      end = this.skipValue(p);
      this.parsed = this.parse(p, end);
    }
    return end;
  }

  /**
   * The object at `p` (an event's args) into `parsed`, built member by member as JSON.parse builds it (a
   * repeated key keeps its first place and its last value; `__proto__` is an own property), each member's
   * value read as `leaf` reads it; returns the position after it.
   */
  private object(p: number): number {
    const b = this.b;
    const out: Record<string, unknown> = {};
    p = this.ws(p + 1);
    if (b[p] !== CLOSE_BRACE) {
      this.argsObjects++;
      for (;;) {
        if (b[p] !== QUOTE) throw MISS;
        const keyEnd = this.string(p);
        const name = this.seen === PLAIN ? this.text(p + 1, keyEnd - 1) : (this.parse(p, keyEnd) as string);
        p = this.ws(keyEnd);
        if (b[p] !== COLON) throw MISS;
        p = this.ws(this.leaf(this.ws(p + 1)));
        if (name === '__proto__') Object.defineProperty(out, name, { value: this.parsed, writable: true, enumerable: true, configurable: true });
        else out[name] = this.parsed;
        if (b[p] === COMMA) p = this.ws(p + 1);
        else if (b[p] === CLOSE_BRACE) break;
        else throw MISS;
      }
    }
    this.parsed = out;
    return p + 1;
  }

  /** The value of the JSON text b[start, end), by JSON.parse (escapes, UTF-8, literals, objects, arrays). */
  private parse(start: number, end: number): unknown {
    return JSON.parse(this.b.toString('utf8', start, end)) as unknown;
  }

  /** A plain (printable ASCII, no escape) string's text b[start, end); short ones shared through `cache`. */
  private text(start: number, end: number): string {
    const b = this.b;
    const length = end - start;
    if (length > CACHED_LENGTH) return b.toString('latin1', start, end);
    let hash = length;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + b[i]!) | 0;
    const slot = hash & (CACHE_SLOTS - 1);
    const cached = this.cache[slot];
    if (cached !== undefined && cached.length === length) {
      let same = true;
      for (let i = 0; i < length && same; i++) same = cached.charCodeAt(i) === b[start + i];
      if (same) return cached;
    }
    // Internalized once (a property key's own string): args keys then store without a string-table lookup each.
    const text = Object.keys({ [b.toString('latin1', start, end)]: 0 })[0]!;
    this.cache[slot] = text;
    return text;
  }

  /**
   * The number b[start, end) (JSON's grammar, already checked) as JSON.parse gives it (correctly rounded):
   * - up to 15 digits, at most 22 after the point, no exponent: integer / 10^k, one correctly rounded
   *   division of exact doubles;
   * - an integer part from 2^33 to 2^53 with at most 6 digits after the point (epoch microseconds):
   *   integer + fraction / 10^k. The sum's grid at that size has its midpoints on multiples of 2^-20, so
   *   the value is either exactly a midpoint (then the fraction is a dyadic rational, exact as a double)
   *   or at least 1 / (10^6 · 2^20) ≈ 1e-12 from one, far beyond the 2^-53 error of fraction / 10^k: the
   *   rounded sum is the correctly rounded value;
   * - anything else through Number, which rounds as JSON.parse does.
   */
  private numberValue(start: number, end: number): number {
    const b = this.b;
    let p = start;
    const negative = b[p] === 45;
    if (negative) p++;
    let whole = 0;
    let wholeDigits = 0;
    for (; p < end; p++) {
      const c = b[p]!;
      if (c < 48 || c > 57) break;
      whole = whole * 10 + (c - 48);
      wholeDigits++;
    }
    let fraction = 0;
    let fractionDigits = 0;
    if (b[p] === 46) {
      for (p++; p < end; p++) {
        const c = b[p]!;
        if (c < 48 || c > 57) break;
        fraction = fraction * 10 + (c - 48);
        fractionDigits++;
      }
    }
    if (p !== end) return Number(b.toString('latin1', start, end)); // an exponent
    let value: number;
    if (wholeDigits + fractionDigits <= 15 && fractionDigits <= 22) value = (whole * POW10[fractionDigits]! + fraction) / POW10[fractionDigits]!;
    else if (wholeDigits <= 16 && whole >= 2 ** 33 && whole < 2 ** 53 && fractionDigits <= 6) value = whole + fraction / POW10[fractionDigits]!;
    else return Number(b.toString('latin1', start, end));
    return negative ? -value : value;
  }
}
