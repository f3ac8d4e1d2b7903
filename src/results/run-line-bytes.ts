/**
 * The kept form of a run line read straight from its bytes, for the flat lines frametail's own writer
 * emits (src/runner/matrix.ts, src/results/write.ts): `{"type":"run",` first, no whitespace, every value
 * a string, number or null (and `metrics` one object of numbers). At two million runs a file, JSON.parse
 * of the whole line and the object it builds cost more than everything else compare does; here only the
 * kept fields become strings (names interned from their bytes), the others are only checked.
 *
 * Anything else gives undefined and the line goes through JSON.parse and runLineSchema (read.ts), which
 * say what is wrong: other whitespace, another first key, a repeated or unknown key, a value of another
 * type, a control character, an array, a metric value that is not finite, more than MAX_FAST_METRICS
 * metrics. For every line it accepts, the result equals that path's (run-line-bytes.test.ts).
 */
import type { RunLine } from './format.js';
import { MAX_ERROR_CHARS, slimRunLine } from './run-line.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b;
const CLOSE = 0x7d;

const PREFIX = Buffer.from('{"type":"run",');

/** Keys the fast path knows, in the writer's order; their index is their bit in a mask of keys seen. */
const KEYS = ['id', 'side', 'input', 'variant', 'round', 'status', 'latencyMs', 'latencySource', 'latencyReason', 'wallMs', 'granularity', 'phase', 'traceId', 'exitCode', 'error', 'startedAt', 'metrics', 'spans'] as const;
const keyAt = (key: (typeof KEYS)[number]) => KEYS.indexOf(key);
const ID = keyAt('id');
const SIDE = keyAt('side');
const INPUT = keyAt('input');
const VARIANT = keyAt('variant');
const ROUND = keyAt('round');
const STATUS = keyAt('status');
const LATENCY_MS = keyAt('latencyMs');
const LATENCY_SOURCE = keyAt('latencySource');
const LATENCY_REASON = keyAt('latencyReason');
const WALL_MS = keyAt('wallMs');
const GRANULARITY = keyAt('granularity');
const PHASE = keyAt('phase');
const TRACE_ID = keyAt('traceId');
const EXIT_CODE = keyAt('exitCode');
const ERROR = keyAt('error');
const STARTED_AT = keyAt('startedAt');
const METRICS = keyAt('metrics');
const SPANS = keyAt('spans');
const KEY_BYTES = KEYS.map((key) => Buffer.from(`"${key}":`));
const KEY_INDEX = new Map<string, number>(KEYS.map((key, i) => [key, i]));

/** The values of the enumerated fields, as the quoted bytes they are written as. */
const SIDES = enumeration(['base', 'head'] as const);
const STATUSES = enumeration(['completed', 'failed', 'timeout'] as const);
const GRANULARITIES = enumeration(['coarse', 'fine'] as const);
const PHASES = enumeration(['measure', 'warmup', 'attribution'] as const);

/** More metrics per line go the slow way (read.ts keeps at most 64 and warns about the rest). */
const MAX_FAST_METRICS = 64;

/** Interns a kept string (input, variant, latency source) so equal names share one string. */
export type Intern = (text: string) => string;

/**
 * Reads bytes[start, end) as one run line (a trailing CR is allowed). Returns the same RunLine as
 * `fastRunLine(JSON.parse(text))` (after read.ts's metric checks), or undefined to ask that path.
 * Names (input, variant, latency source and reason) come from `names`, one string per distinct name.
 */
export function runLineFromBytes(bytes: Buffer, start: number, end: number, names: ByteNames): RunLine | undefined {
  const scanned = scanRunLine(bytes, start, end, names);
  return scanned ? slimRunLine({ ...scanned.run, id: scanned.idText() }) : undefined;
}

/**
 * What `runLineFromBytes` reads, without building the line: the run as one object that the next call
 * overwrites (`id` left empty), and where its id is. For a reader that copies the run at once (run-store.ts),
 * so that a line costs no object and no id string. undefined: ask the JSON.parse path, as runLineFromBytes.
 */
export interface ScannedRun {
  /** The run line, valid until the next scan; its `id` is '' (see idBytes and idText). */
  run: RunLine;
  /** The id's bytes when it is plain ASCII (no escape): bytes[idFrom, idTo); else undefined. */
  idBytes: Buffer | undefined;
  idFrom: number;
  idTo: number;
  /** The id as a string (decoded now). */
  idText(): string;
}

export function scanRunLine(bytes: Buffer, start: number, end: number, names: ByteNames): ScannedRun | undefined {
  if (end > start && bytes[end - 1] === 0x0d) end--;
  if (end - start < PREFIX.length + 2 || bytes[end - 1] !== CLOSE) return undefined;
  for (let i = 0; i < PREFIX.length; i++) if (bytes[start + i] !== PREFIX[i]) return undefined;
  return scanner.scan(bytes, start + PREFIX.length, end - 1, names) ? scanner : undefined;
}

/**
 * One string per distinct name, looked up by a hash of its bytes, so a name seen before costs no new
 * string. At most `limit` names are kept; beyond, each is decoded (as read.ts's name table does).
 */
export class ByteNames {
  private readonly table = new Map<number, string[]>();
  private size = 0;

  constructor(
    private readonly intern: Intern,
    private readonly limit = 100_000,
  ) {}

  /** The ASCII name in bytes[start, end). */
  ascii(bytes: Buffer, start: number, end: number): string {
    // FNV-1a over the bytes: equal names land in one bucket without a string made to look them up.
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    const bucket = this.table.get(hash);
    if (bucket) {
      for (const name of bucket) if (sameAscii(name, bytes, start, end)) return name;
    }
    const name = this.intern(latin1(bytes, start, end));
    if (this.size < this.limit) {
      this.size++;
      if (bucket) bucket.push(name);
      else this.table.set(hash, [name]);
    }
    return name;
  }

  /** Any other name, already decoded. */
  text(text: string): string {
    return this.intern(text);
  }
}

function sameAscii(name: string, bytes: Buffer, start: number, end: number): boolean {
  if (name.length !== end - start) return false;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}

/** Reads the inside of one line's object; every method reports failure instead of throwing. */
class RunLineScanner implements ScannedRun {
  private bytes: Buffer = Buffer.alloc(0);
  private at = 0;
  private end = 0;
  /** Set by `string`: the value's bytes (inside the quotes), and whether it had escapes or bytes ≥ 0x80. */
  private from = 0;
  private to = 0;
  private escaped = false;
  private wide = false;
  /** The decoded value when it had escapes. */
  private unescaped = '';
  /** Set by `numberValue`: the value, or `isNull`. */
  private number = 0;
  private isNull = false;

  idBytes: Buffer | undefined;
  idFrom = 0;
  idTo = 0;
  private idEscaped = false;
  private idWide = false;
  private idUnescaped = '';
  /** One object for every line scanned (see ScannedRun). */
  readonly run: RunLine = { type: 'run', id: '', side: 'base', input: '', variant: '', round: undefined, status: 'completed', latencyMs: undefined, granularity: 'coarse', phase: 'measure' };
  private side: RunLine['side'] = 'base';
  private input = '';
  private variant = '';
  private round: number | undefined;
  private status: RunLine['status'] = 'completed';
  private latencyMs: number | null | undefined;
  private latencySource: string | undefined;
  private latencyReason: string | undefined;
  private granularity: RunLine['granularity'] = 'coarse';
  private phase: RunLine['phase'] = 'measure';
  private exitCode: number | null | undefined;
  private error: string | null | undefined;
  private spans: number | undefined;
  private metrics: Record<string, number> | undefined;

  scan(bytes: Buffer, at: number, end: number, names: ByteNames): boolean {
    this.bytes = bytes;
    this.at = at;
    this.end = end;
    this.round = this.latencyMs = this.latencySource = this.latencyReason = this.exitCode = this.error = this.spans = this.metrics = undefined;
    this.granularity = 'coarse';
    this.phase = 'measure';
    let seen = 0;
    let expected = 0;
    for (;;) {
      const key = this.key(expected);
      if (key < 0 || seen & (1 << key) || !this.value(key, names)) return false;
      seen |= 1 << key;
      expected = key + 1;
      if (this.at === end) break;
      if (bytes[this.at] !== COMMA) return false;
      this.at++;
    }
    const required = (1 << ID) | (1 << SIDE) | (1 << INPUT) | (1 << VARIANT) | (1 << STATUS);
    if ((seen & required) !== required) return false;
    this.fill(this.run);
    return true;
  }

  idText(): string {
    if (this.idEscaped) return this.idUnescaped;
    return this.idWide ? this.bytes.toString('utf8', this.idFrom, this.idTo) : latin1(this.bytes, this.idFrom, this.idTo);
  }

  /** The scanned fields into `run` (the reused one): the slim form's fields, the optional ones only when present. */
  private fill(run: RunLine): void {
    run.id = '';
    run.side = this.side;
    run.input = this.input;
    run.variant = this.variant;
    run.round = this.round;
    run.status = this.status;
    run.latencyMs = this.latencyMs;
    run.granularity = this.granularity;
    run.phase = this.phase;
    run.spans = this.spans;
    run.latencySource = this.latencySource;
    run.latencyReason = this.latencyReason;
    run.metrics = this.metrics;
    const failed = this.status !== 'completed';
    run.exitCode = failed ? this.exitCode : undefined;
    run.error = failed ? (typeof this.error === 'string' ? this.error.slice(0, MAX_ERROR_CHARS) : this.error) : undefined;
  }

  /** The next key and its colon: the expected one when it is next (the writer's order), else looked up; −1 when unknown or malformed. */
  private key(expected: number): number {
    const { bytes, at } = this;
    // The writer leaves optional keys out (a failed run has no latency source, a file of another version
    // may lack more): the next key is then one of the later ones, still in order. A key that does not
    // match usually differs in its first letters, so trying them costs less than decoding the key.
    for (let k = expected; k < KEY_BYTES.length; k++) {
      const wanted = KEY_BYTES[k]!;
      if (at + wanted.length > this.end) continue;
      let i = 1;
      while (i < wanted.length && bytes[at + i] === wanted[i]) i++;
      if (i === wanted.length && bytes[at] === QUOTE) {
        this.at = at + i;
        return k;
      }
    }
    if (bytes[at] !== QUOTE) return -1;
    const close = bytes.indexOf(QUOTE, at + 1);
    if (close < 0 || close >= this.end || bytes[close + 1] !== COLON) return -1;
    // A key with an escape or other bytes is none of ours: the slow path decides.
    const index = KEY_INDEX.get(latin1(bytes, at + 1, close));
    if (index === undefined) return -1;
    this.at = close + 2;
    return index;
  }

  private value(key: number, names: ByteNames): boolean {
    switch (key) {
      case ID:
        if (!this.string() || this.to === this.from) return false;
        // Decoded only when asked (idText): a store copies the bytes.
        this.idFrom = this.from;
        this.idTo = this.to;
        this.idEscaped = this.escaped;
        this.idWide = this.wide;
        this.idUnescaped = this.unescaped;
        this.idBytes = this.escaped || this.wide ? undefined : this.bytes;
        return true;
      case INPUT:
        if (!this.string() || this.to === this.from) return false;
        this.input = this.name(names);
        return true;
      case VARIANT:
        if (!this.string() || this.to === this.from) return false;
        this.variant = this.name(names);
        return true;
      case SIDE: {
        const side = this.string() ? this.oneOf(SIDES) : undefined;
        if (side === undefined) return false;
        this.side = side;
        return true;
      }
      case STATUS: {
        const status = this.string() ? this.oneOf(STATUSES) : undefined;
        if (status === undefined) return false;
        this.status = status;
        return true;
      }
      case GRANULARITY: {
        const granularity = this.string() ? this.oneOf(GRANULARITIES) : undefined;
        if (granularity === undefined) return false;
        this.granularity = granularity;
        return true;
      }
      case PHASE: {
        const phase = this.string() ? this.oneOf(PHASES) : undefined;
        if (phase === undefined) return false;
        this.phase = phase;
        return true;
      }
      case LATENCY_SOURCE: {
        if (!this.string()) return false;
        const text = this.name(names);
        if (text.length > 1000) return false;
        this.latencySource = text;
        return true;
      }
      case LATENCY_REASON: {
        if (!this.string()) return false;
        const text = this.name(names);
        if (text.length > 2000) return false;
        this.latencyReason = text;
        return true;
      }
      case ERROR:
        if (this.isNullNext()) {
          this.error = null;
          return true;
        }
        if (!this.string()) return false;
        this.error = this.text();
        return true;
      case TRACE_ID:
        return this.isNullNext() || this.string();
      case STARTED_AT:
        return this.string();
      case LATENCY_MS:
        if (!this.numberValue(true)) return false;
        this.latencyMs = this.isNull ? null : this.number;
        return true;
      case WALL_MS:
        // Checked, not kept: no need to know its value.
        return this.numberValue(false, false);
      case ROUND:
        if (!this.numberValue(false) || !Number.isInteger(this.number) || this.number < 0) return false;
        this.round = small(this.number);
        return true;
      case SPANS:
        if (!this.numberValue(false) || !Number.isInteger(this.number) || this.number < 0) return false;
        this.spans = small(this.number);
        return true;
      case EXIT_CODE:
        if (!this.numberValue(true) || (!this.isNull && !Number.isInteger(this.number))) return false;
        this.exitCode = this.isNull ? null : small(this.number);
        return true;
      case METRICS:
        return this.readMetrics();
      default:
        return false;
    }
  }

  /**
   * Finds the JSON string at `at` and sets `from`/`to` (inside the quotes), `escaped` and `wide`. False
   * for anything else, or a control character in it (JSON.parse refuses those).
   */
  private string(): boolean {
    const { bytes, end } = this;
    let at = this.at;
    if (bytes[at] !== QUOTE) return false;
    const from = ++at;
    let escaped = false;
    let wide = false;
    for (;;) {
      if (at >= end) return false;
      const byte = bytes[at]!;
      // Most bytes are plain printable ASCII: one test, then on.
      if (byte > QUOTE && byte < 0x7f && byte !== BACKSLASH) {
        at++;
        continue;
      }
      if (byte === QUOTE) break;
      if (byte < 0x20) return false;
      if (byte === BACKSLASH) {
        escaped = true;
        at += 2;
        continue;
      }
      if (byte >= 0x80) wide = true;
      at++;
    }
    if (escaped) {
      // Escapes are rare (an error text): JSON.parse of the string alone decodes them exactly, or refuses them.
      try {
        this.unescaped = JSON.parse(bytes.toString('utf8', from - 1, at + 1)) as string;
      } catch {
        return false;
      }
    }
    this.from = from;
    this.to = at;
    this.escaped = escaped;
    this.wide = wide;
    this.at = at + 1;
    return true;
  }

  /** The decoded string found by `string`. */
  private text(): string {
    if (this.escaped) return this.unescaped;
    return this.wide ? this.bytes.toString('utf8', this.from, this.to) : latin1(this.bytes, this.from, this.to);
  }

  /** The interned name found by `string`. */
  private name(names: ByteNames): string {
    return this.escaped || this.wide ? names.text(this.text()) : names.ascii(this.bytes, this.from, this.to);
  }

  /** Which of `values` the plain string found by `string` is (an escaped one never is: the slow path decides). */
  private oneOf<T extends string>(values: readonly { value: T; bytes: Buffer }[]): T | undefined {
    if (this.escaped) return undefined;
    const { bytes, from, to } = this;
    for (const candidate of values) {
      if (candidate.bytes.length !== to - from) continue;
      let i = 0;
      while (i < candidate.bytes.length && bytes[from + i] === candidate.bytes[i]) i++;
      if (i === candidate.bytes.length) return candidate.value;
    }
    return undefined;
  }

  private isNullNext(): boolean {
    const { bytes, at } = this;
    if (at + 4 > this.end || bytes[at] !== 0x6e || bytes[at + 1] !== 0x75 || bytes[at + 2] !== 0x6c || bytes[at + 3] !== 0x6c) return false;
    this.at = at + 4;
    return true;
  }

  /** A JSON number (RFC 8259 grammar), or null when `nullable`; sets `number` (when `convert`) and `isNull`. */
  private numberValue(nullable: boolean, convert = true): boolean {
    if (nullable && this.isNullNext()) {
      this.isNull = true;
      return true;
    }
    this.isNull = false;
    const { bytes, end } = this;
    const from = this.at;
    let at = from;
    if (bytes[at] === 0x2d) at++;
    const digits = at;
    if (bytes[at] === 0x30) at++;
    else while (at < end && isDigit(bytes[at]!)) at++;
    if (at === digits) return false;
    let point = -1;
    if (bytes[at] === 0x2e) {
      point = at++;
      while (at < end && isDigit(bytes[at]!)) at++;
      if (at === point + 1) return false;
    }
    let exponent = false;
    if (bytes[at] === 0x65 || bytes[at] === 0x45) {
      exponent = true;
      at++;
      if (bytes[at] === 0x2b || bytes[at] === 0x2d) at++;
      const first = at;
      while (at < end && isDigit(bytes[at]!)) at++;
      if (at === first) return false;
    }
    this.at = at;
    if (!convert) return true;
    const digitCount = at - digits - (point < 0 ? 0 : 1);
    if (exponent || digitCount > 15) {
      this.number = Number(latin1(bytes, from, at));
      return true;
    }
    // Clinger's fast path: at most 15 digits and a power of ten up to 10^15 are both exact doubles, so one
    // division rounds the decimal once, correctly, as JSON.parse does ("1203.328" as round3 writes it).
    let value = 0;
    for (let i = digits; i < at; i++) if (i !== point) value = value * 10 + (bytes[i]! - 0x30);
    if (point >= 0) value /= POWERS_OF_TEN[at - point - 1]!;
    this.number = digits > from ? -value : value;
    return true;
  }

  /** `{"name":number,…}` of finite numbers, each name once: what read.ts's metric checks keep whole. */
  private readMetrics(): boolean {
    const { bytes } = this;
    if (bytes[this.at] !== OPEN) return false;
    this.at++;
    const metrics: Record<string, number> = {};
    if (bytes[this.at] === CLOSE) {
      this.at++;
      this.metrics = metrics;
      return true;
    }
    for (let count = 1; ; count++) {
      if (count > MAX_FAST_METRICS || !this.string() || bytes[this.at] !== COLON) return false;
      const name = this.text();
      this.at++;
      if (Object.hasOwn(metrics, name) || !this.numberValue(false) || !Number.isFinite(this.number)) return false;
      Object.defineProperty(metrics, name, { value: this.number, enumerable: true, writable: true, configurable: true });
      if (bytes[this.at] === CLOSE) break;
      if (bytes[this.at] !== COMMA) return false;
      this.at++;
    }
    this.at++;
    this.metrics = metrics;
    return true;
  }
}

const scanner = new RunLineScanner();

/** 10^0 … 10^15: every one an exact double. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => Number(`1e${i}`));

/** Node's own latin1 decoder of a Buffer, without toString's argument checks (a call per kept string). */
export function latin1(bytes: Buffer, start: number, end: number): string {
  return (bytes as Buffer & { latin1Slice(start: number, end: number): string }).latin1Slice(start, end);
}

/**
 * An integer as a small integer (V8's Smi) when it is one: `number` is a double field, and a double read
 * from it is a 16-byte heap number in the kept line (two million rounds: 32 MB). −0 stays −0.
 */
export function small(value: number): number {
  return value === (value | 0) && !Object.is(value, -0) ? value | 0 : value;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function enumeration<T extends string>(values: readonly T[]): { value: T; bytes: Buffer }[] {
  return values.map((value) => ({ value, bytes: Buffer.from(value) }));
}
