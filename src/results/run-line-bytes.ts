/**
 * A fast path for the run lines frametail writes, read straight from the bytes of the file: a results
 * file of millions of runs is mostly such lines, and JSON.parse of each (every key and value a fresh
 * string) was most of the time a compare took. `RunLineScanner.scan` reads one flat JSON object whose
 * `type` is "run" and returns the kept run line (run-line.ts `slimRunLine`) exactly as the full path
 * (JSON.parse, the metric checks of read.ts, `fastRunLine` or zod) would. Whenever it is not sure —
 * anything malformed, a value of an unexpected type, a duplicate key, escapes in a key, a nested value
 * it does not expect, a line that would warn — it returns undefined and the caller takes the full path,
 * which gives the exact message. It never recurses: the only nesting it reads is `metrics` (an object of
 * numbers) and `traceErrors` / `missingMetrics` (arrays of strings).
 *
 * Only the kept values become strings: enumerations are compared as bytes, names seen before are looked
 * up by their bytes, and values the slim line drops (wall time, trace id, start time) are only checked.
 */
import type { RunLine } from './format.js';
import { MAX_ERROR_CHARS } from './run-line.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The keys a run line's reader looks at (format.ts runLineSchema), in the order the runner writes them. */
const KEYS = ['type', 'id', 'side', 'input', 'variant', 'round', 'status', 'latencyMs', 'latencySource', 'latencyReason', 'traceErrors', 'wallMs', 'granularity', 'phase', 'traceId', 'exitCode', 'error', 'startedAt', 'metrics', 'missingMetrics', 'spans'] as const;
// Their indexes, as constants the switch below compares against.
const TYPE = 0;
const ID = 1;
const SIDE = 2;
const INPUT = 3;
const VARIANT = 4;
const ROUND = 5;
const STATUS = 6;
const LATENCY_MS = 7;
const LATENCY_SOURCE = 8;
const LATENCY_REASON = 9;
const TRACE_ERRORS = 10;
const WALL_MS = 11;
const GRANULARITY = 12;
const PHASE = 13;
const TRACE_ID = 14;
const EXIT_CODE = 15;
const ERROR = 16;
const STARTED_AT = 17;
const METRICS = 18;
const MISSING_METRICS = 19;
const SPANS = 20;
const KEY_BYTES = KEYS.map((key) => Buffer.from(key, 'latin1'));
/** Not one of KEYS: the value is checked and skipped. */
const OTHER = -1;
/** The scan cannot tell (malformed, or unusual enough to leave to JSON.parse). */
const UNSURE = -2;

const SIDES = ['base', 'head'] as const;
const STATUSES = ['completed', 'failed', 'timeout'] as const;
const GRANULARITIES = ['coarse', 'fine'] as const;
const PHASES = ['measure', 'warmup', 'attribution'] as const;
const enumBytes = (values: readonly string[]) => values.map((v) => Buffer.from(v, 'latin1'));
const SIDE_BYTES = enumBytes(SIDES);
const STATUS_BYTES = enumBytes(STATUSES);
const GRANULARITY_BYTES = enumBytes(GRANULARITIES);
const PHASE_BYTES = enumBytes(PHASES);
const RUN_BYTES = Buffer.from('run', 'latin1');
const NULL_BYTES = Buffer.from('null', 'latin1');
const TRUE_BYTES = Buffer.from('true', 'latin1');
const FALSE_BYTES = Buffer.from('false', 'latin1');

/** Powers of ten a double holds exactly: an integer below 2^53 times or over one of them is correctly rounded. */
const EXACT_POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Distinct short names kept for lookup by bytes (inputs, variants, latency sources and reasons). */
const MAX_NAMES = 100_000;
const MAX_NAME_BYTES = 256;
const MAX_METRICS = 64;

/** What one scan found about a string: where it is, whether it holds escapes or non-ASCII bytes. */
interface StringSpan {
  start: number;
  end: number;
  escaped: boolean;
  ascii: boolean;
}

export class RunLineScanner {
  private bytes: Buffer = Buffer.alloc(0);
  private at = 0;
  private end = 0;
  private expected = 0;
  private readonly span: StringSpan = { start: 0, end: 0, escaped: false, ascii: true };
  /** Names by a hash of their bytes; each candidate is checked byte by byte. */
  private readonly names = new Map<number, string[]>();
  private nameCount = 0;

  /** The kept run line in `bytes[start, end)` (one line, newline excluded), or undefined: then read the line as text. */
  scan(bytes: Buffer, start: number, end: number): RunLine | undefined {
    this.bytes = bytes;
    this.at = start;
    this.end = end;
    this.expected = 0;
    let seen = 0;
    let isRun = false;
    let id: string | undefined;
    let side: RunLine['side'] | undefined;
    let input: string | undefined;
    let variant: string | undefined;
    let round: number | undefined;
    let status: RunLine['status'] | undefined;
    let latencyMs: number | null | undefined;
    let latencySource: string | undefined;
    let latencyReason: string | undefined;
    let traceErrors: string[] | undefined;
    let granularity: RunLine['granularity'] = 'coarse';
    let phase: RunLine['phase'] = 'measure';
    let exitCode: number | null | undefined;
    let error: string | null | undefined;
    let spans: number | undefined;
    let metrics: Record<string, number> | undefined;
    let missingMetrics: string[] | undefined;

    this.skipSpace();
    if (this.byte(this.at) !== OPEN_BRACE) return undefined;
    this.at++;
    for (;;) {
      this.skipSpace();
      const key = this.key();
      if (key === UNSURE) return undefined;
      if (key !== OTHER) {
        // A repeated key: JSON.parse keeps the last; leave that to it.
        if (seen & (1 << key)) return undefined;
        seen |= 1 << key;
      }
      this.skipSpace();
      if (this.byte(this.at) !== COLON) return undefined;
      this.at++;
      this.skipSpace();
      const b = this.byte(this.at);
      switch (key) {
        case OTHER:
          if (!(b === QUOTE ? this.string() : this.scalar())) return undefined;
          break;
        case TYPE: {
          const which = this.enumValue([RUN_BYTES]);
          if (which === UNSURE) return undefined;
          // Another type, or a run with another spelling: the full path says what it is.
          if (which !== 0) return undefined;
          isRun = true;
          break;
        }
        case ID:
          if (b !== QUOTE || !this.string() || this.span.end === this.span.start) return undefined;
          id = this.decoded();
          if (id === '') return undefined;
          break;
        case SIDE: {
          const which = this.enumValue(SIDE_BYTES);
          if (which < 0) return undefined;
          side = SIDES[which];
          break;
        }
        case INPUT:
        case VARIANT: {
          const name = b === QUOTE ? this.name() : undefined;
          if (name === undefined || name === '') return undefined;
          if (key === INPUT) input = name;
          else variant = name;
          break;
        }
        case ROUND: {
          const value = this.number();
          if (value === undefined || !Number.isInteger(value) || value < 0) return undefined;
          round = value;
          break;
        }
        case STATUS: {
          const which = this.enumValue(STATUS_BYTES);
          if (which < 0) return undefined;
          status = STATUSES[which];
          break;
        }
        case LATENCY_MS:
          if (b === 0x6e) {
            if (!this.literal(NULL_BYTES)) return undefined;
            latencyMs = null;
          } else if ((latencyMs = this.number()) === undefined) return undefined;
          break;
        case LATENCY_SOURCE:
        case LATENCY_REASON: {
          const text = b === QUOTE ? this.name() : undefined;
          if (text === undefined || text.length > (key === LATENCY_SOURCE ? 1000 : 2000)) return undefined;
          if (key === LATENCY_SOURCE) latencySource = text;
          else latencyReason = text;
          break;
        }
        case TRACE_ERRORS:
          traceErrors = this.stringArray(20, 1000);
          if (!traceErrors) return undefined;
          break;
        case WALL_MS:
          if (!this.skipNumber()) return undefined;
          break;
        case GRANULARITY: {
          const which = this.enumValue(GRANULARITY_BYTES);
          if (which < 0) return undefined;
          granularity = GRANULARITIES[which]!;
          break;
        }
        case PHASE: {
          const which = this.enumValue(PHASE_BYTES);
          if (which < 0) return undefined;
          phase = PHASES[which]!;
          break;
        }
        case TRACE_ID:
          if (!(b === QUOTE ? this.string() : this.literal(NULL_BYTES))) return undefined;
          break;
        case EXIT_CODE:
          if (b === 0x6e) {
            if (!this.literal(NULL_BYTES)) return undefined;
            exitCode = null;
          } else {
            const value = this.number();
            if (value === undefined || !Number.isInteger(value)) return undefined;
            exitCode = value;
          }
          break;
        case ERROR:
          if (b === 0x6e) {
            if (!this.literal(NULL_BYTES)) return undefined;
            error = null;
          } else {
            if (b !== QUOTE || !this.string()) return undefined;
            error = this.decoded();
            if (error === undefined) return undefined;
          }
          break;
        case STARTED_AT:
          if (b !== QUOTE || !this.string()) return undefined;
          break;
        case METRICS:
          metrics = this.numberObject();
          if (!metrics) return undefined;
          break;
        case MISSING_METRICS:
          missingMetrics = this.stringArray(MAX_METRICS, Infinity);
          if (!missingMetrics) return undefined;
          break;
        case SPANS: {
          const value = this.number();
          if (value === undefined || !Number.isInteger(value) || value < 0) return undefined;
          spans = value;
          break;
        }
      }
      this.skipSpace();
      const next = this.byte(this.at);
      this.at++;
      if (next === CLOSE_BRACE) break;
      if (next !== COMMA) return undefined;
    }
    this.skipSpace();
    if (this.at !== this.end || !isRun || id === undefined || side === undefined || input === undefined || variant === undefined || status === undefined) return undefined;
    const run: RunLine = { type: 'run', id, side, input, variant, round, status, latencyMs, granularity, phase };
    if (spans !== undefined) run.spans = spans;
    if (latencySource !== undefined) run.latencySource = latencySource;
    if (latencyReason !== undefined) run.latencyReason = latencyReason;
    if (traceErrors !== undefined) run.traceErrors = traceErrors;
    if (metrics !== undefined) run.metrics = metrics;
    if (missingMetrics !== undefined) run.missingMetrics = missingMetrics;
    if (status !== 'completed') {
      if (exitCode !== undefined) run.exitCode = exitCode;
      if (error !== undefined) run.error = typeof error === 'string' ? error.slice(0, MAX_ERROR_CHARS) : error;
    }
    return run;
  }

  /** The byte at `i`, or -1 past the end of the line. */
  private byte(i: number): number {
    return i < this.end ? this.bytes[i]! : -1;
  }

  /** JSON whitespace (a line holds no newline). */
  private skipSpace(): void {
    const { bytes } = this;
    while (this.at < this.end) {
      const b = bytes[this.at];
      if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return;
      this.at++;
    }
  }

  /** The index in KEYS of the key at the cursor, OTHER for another key, UNSURE when it cannot tell. */
  private key(): number {
    // The runner writes the keys in KEYS order: the one after the last is tried first, in place.
    const expected = this.expected;
    if (this.quotedAt(KEY_BYTES[expected]!)) {
      this.expected = (expected + 1) % KEYS.length;
      return expected;
    }
    if (this.byte(this.at) !== QUOTE || !this.string()) return UNSURE;
    const { start, end, escaped } = this.span;
    if (escaped) return UNSURE;
    for (let k = 0; k < KEYS.length; k++) {
      if (this.spanIs(KEY_BYTES[k]!, start, end)) {
        this.expected = (k + 1) % KEYS.length;
        return k;
      }
    }
    return OTHER;
  }

  /** True, and the cursor past it, when the JSON string at the cursor is exactly `text` (plain ASCII, no escapes). */
  private quotedAt(text: Buffer): boolean {
    const start = this.at + 1;
    const end = start + text.length;
    if (end >= this.end || this.bytes[this.at] !== QUOTE || this.bytes[end] !== QUOTE || !this.spanIs(text, start, end)) return false;
    this.at = end + 1;
    return true;
  }

  private spanIs(text: Buffer, start: number, end: number): boolean {
    if (end - start !== text.length) return false;
    const { bytes } = this;
    for (let k = 0; k < text.length; k++) if (bytes[start + k] !== text[k]) return false;
    return true;
  }

  /** Which of `values` the string at the cursor is; -1 for another string, UNSURE for no string. */
  private enumValue(values: readonly Buffer[]): number {
    for (let i = 0; i < values.length; i++) if (this.quotedAt(values[i]!)) return i;
    if (this.byte(this.at) !== QUOTE || !this.string()) return UNSURE;
    const { start, end, escaped } = this.span;
    if (escaped) return UNSURE;
    for (let i = 0; i < values.length; i++) if (this.spanIs(values[i]!, start, end)) return i;
    return -1;
  }

  private literal(text: Buffer): boolean {
    if (this.at + text.length > this.end || !this.spanIs(text, this.at, this.at + text.length)) return false;
    this.at += text.length;
    return true;
  }

  /** A scalar of a key nobody reads: checked, not decoded. Nested values are left to JSON.parse. */
  private scalar(): boolean {
    const b = this.byte(this.at);
    if (b === 0x6e) return this.literal(NULL_BYTES);
    if (b === 0x74) return this.literal(TRUE_BYTES);
    if (b === 0x66) return this.literal(FALSE_BYTES);
    return this.skipNumber();
  }

  /** Moves past a JSON number nobody reads, without converting it. */
  private skipNumber(): boolean {
    let i = this.at;
    if (this.byte(i) === 0x2d) i++;
    if (this.byte(i) === 0x30) i++;
    else if (isDigit(this.byte(i))) while (isDigit(this.byte(i))) i++;
    else return false;
    if (this.byte(i) === 0x2e) {
      i++;
      if (!isDigit(this.byte(i))) return false;
      while (isDigit(this.byte(i))) i++;
    }
    const e = this.byte(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = this.byte(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(this.byte(i))) return false;
      while (isDigit(this.byte(i))) i++;
    }
    this.at = i;
    return true;
  }

  /** A JSON number (RFC 8259 §6) as JSON.parse reads it, or undefined. */
  private number(): number | undefined {
    const start = this.at;
    let i = start;
    let negative = false;
    if (this.byte(i) === 0x2d) {
      negative = true;
      i++;
    }
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    if (this.byte(i) === 0x30) i++;
    else if (isDigit(this.byte(i))) {
      for (let b = this.byte(i); isDigit(b); b = this.byte(++i)) {
        mantissa = mantissa * 10 + (b - 0x30);
        digits++;
      }
    } else return undefined;
    if (this.byte(i) === 0x2e) {
      i++;
      if (!isDigit(this.byte(i))) return undefined;
      for (let b = this.byte(i); isDigit(b); b = this.byte(++i)) {
        mantissa = mantissa * 10 + (b - 0x30);
        if (mantissa !== 0) digits++;
        scale++;
      }
    }
    let exponent = false;
    const e = this.byte(i);
    if (e === 0x65 || e === 0x45) {
      exponent = true;
      i++;
      const sign = this.byte(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(this.byte(i))) return undefined;
      while (isDigit(this.byte(i))) i++;
    }
    this.at = i;
    // Up to 15 significant digits and a small scale: one exact division, as correctly rounded as JSON.parse.
    if (!exponent && digits <= 15 && scale < EXACT_POWERS.length) {
      const value = scale === 0 ? mantissa : mantissa / EXACT_POWERS[scale]!;
      return negative ? -value : value;
    }
    return Number(this.bytes.toString('latin1', start, i));
  }

  /** Moves past the JSON string at the cursor, noting where it is in `span`; false when it is not a valid string. */
  private string(): boolean {
    const { bytes, end } = this;
    const start = this.at + 1;
    let i = start;
    let escaped = false;
    let ascii = true;
    for (;;) {
      if (i >= end) return false;
      const b = bytes[i]!;
      if (b === QUOTE) break;
      if (b < 0x20) return false;
      if (b === BACKSLASH) {
        escaped = true;
        i += 2;
        continue;
      }
      if (b >= 0x80) ascii = false;
      i++;
    }
    this.at = i + 1;
    const { span } = this;
    span.start = start;
    span.end = i;
    span.escaped = escaped;
    span.ascii = ascii;
    // Escapes are checked where the string is read; a string nobody reads is checked here.
    return !escaped || this.unescaped() !== undefined;
  }

  /** The text of the last string scanned, or undefined when its escapes are not valid JSON. */
  private decoded(): string | undefined {
    const { start, end, escaped, ascii } = this.span;
    if (escaped) return this.unescaped();
    return this.bytes.toString(ascii ? 'latin1' : 'utf8', start, end);
  }

  private unescaped(): string | undefined {
    const { start, end } = this.span;
    try {
      return JSON.parse(this.bytes.toString('utf8', start - 1, end + 1)) as string;
    } catch {
      return undefined;
    }
  }

  /**
   * The JSON string at the cursor, the same string object as the last time these bytes were seen
   * (bounded); undefined when it is not a valid string. Plain ASCII is hashed as it is scanned.
   */
  private name(): string | undefined {
    const { bytes, end } = this;
    const start = this.at + 1;
    let hash = 0x811c9dc5;
    let i = start;
    for (; i < end; i++) {
      const b = bytes[i]!;
      if (b === QUOTE) break;
      if (b < 0x20 || b === BACKSLASH || b >= 0x80) i = end;
      else hash = Math.imul(hash ^ b, 0x01000193);
    }
    if (i >= end || i - start > MAX_NAME_BYTES) {
      // Escapes, other characters or a long text: read as any string, not kept for lookup.
      if (!this.string()) return undefined;
      return this.decoded();
    }
    this.at = i + 1;
    const candidates = this.names.get(hash);
    if (candidates) {
      outer: for (const known of candidates) {
        if (known.length !== i - start) continue;
        for (let k = 0; k < known.length; k++) if (known.charCodeAt(k) !== bytes[start + k]) continue outer;
        return known;
      }
    }
    const text = bytes.toString('latin1', start, i);
    if (this.nameCount < MAX_NAMES) {
      this.nameCount++;
      if (candidates) candidates.push(text);
      else this.names.set(hash, [text]);
    }
    return text;
  }

  /** `{"name": number, …}` as JSON.parse builds it (own properties, `__proto__` included), finite values only and at most MAX_METRICS (more would warn). */
  private numberObject(): Record<string, number> | undefined {
    if (this.byte(this.at) !== OPEN_BRACE) return undefined;
    this.at++;
    const object: Record<string, number> = {};
    this.skipSpace();
    if (this.byte(this.at) === CLOSE_BRACE) {
      this.at++;
      return object;
    }
    for (let count = 1; count <= MAX_METRICS; count++) {
      this.skipSpace();
      if (this.byte(this.at) !== QUOTE || !this.string()) return undefined;
      const name = this.decoded()!;
      // A repeated name: JSON.parse keeps the last value at the first place; leave that to it.
      if (Object.hasOwn(object, name)) return undefined;
      this.skipSpace();
      if (this.byte(this.at) !== COLON) return undefined;
      this.at++;
      this.skipSpace();
      const value = this.number();
      if (value === undefined || !Number.isFinite(value)) return undefined;
      Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const next = this.byte(this.at);
      this.at++;
      if (next === CLOSE_BRACE) return object;
      if (next !== COMMA) return undefined;
    }
    return undefined;
  }

  /** `["text", …]` with at most `maxItems` strings of at most `maxChars` characters each. */
  private stringArray(maxItems: number, maxChars: number): string[] | undefined {
    if (this.byte(this.at) !== OPEN_BRACKET) return undefined;
    this.at++;
    const list: string[] = [];
    this.skipSpace();
    if (this.byte(this.at) === CLOSE_BRACKET) {
      this.at++;
      return list;
    }
    for (;;) {
      this.skipSpace();
      if (list.length >= maxItems || this.byte(this.at) !== QUOTE || !this.string()) return undefined;
      const item = this.decoded()!;
      if (item.length > maxChars) return undefined;
      list.push(item);
      this.skipSpace();
      const next = this.byte(this.at);
      this.at++;
      if (next === CLOSE_BRACKET) return list;
      if (next !== COMMA) return undefined;
    }
  }
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}
