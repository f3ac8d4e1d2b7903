/**
 * A fast path for the run lines frametail writes, read straight from the bytes of the file: a results
 * file of millions of runs is mostly such lines, and JSON.parse of each (every field decoded into a
 * fresh object) is most of the time a compare takes. `scanRunLine` reads one flat JSON object whose
 * `type` is "run" and returns its fields as JSON.parse would, keeping only what a run line's reader looks
 * at (run-line.ts); whenever it is not sure (nested values it does not expect, escapes in a key, leading
 * characters other than JSON whitespace, anything malformed) it returns undefined and the caller takes
 * the full path (JSON.parse, then zod), which gives the exact message. It never recurses: the only
 * nesting it accepts is `metrics` (an object of numbers) and `traceErrors` / `missingMetrics` (arrays of
 * strings).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The keys a run line's reader looks at (format.ts runLineSchema); any other key is skipped. */
const KEYS = ['type', 'id', 'side', 'input', 'variant', 'round', 'status', 'latencyMs', 'latencySource', 'latencyReason', 'traceErrors', 'wallMs', 'granularity', 'phase', 'traceId', 'exitCode', 'error', 'startedAt', 'spans', 'metrics', 'missingMetrics'] as const;
type Key = (typeof KEYS)[number];
/** Strings only checked to be strings: the slim run line drops them (run-line.ts), so they are not decoded. */
const UNREAD_STRINGS: ReadonlySet<Key> = new Set(['traceId', 'startedAt']);
const KEYS_BY_LENGTH = new Map<number, { key: Key; bytes: Buffer }[]>();
for (const key of KEYS) {
  const list = KEYS_BY_LENGTH.get(key.length) ?? [];
  list.push({ key, bytes: Buffer.from(key, 'latin1') });
  KEYS_BY_LENGTH.set(key.length, list);
}
/** What an unread string holds in the returned object: it is a string, which is all its reader checks. */
export const UNREAD = '';

/**
 * The known fields of the run line in `bytes[start, end)` (one line, newline excluded), as JSON.parse of
 * the line would give them, or undefined when the line is not such a flat run object or anything is
 * unusual. `traceId` and `startedAt` hold UNREAD when they are strings.
 */
export function scanRunLine(bytes: Uint8Array, start: number, end: number): Record<string, unknown> | undefined {
  return new Scanner(bytes, start, end).runLine();
}

class Scanner {
  private at: number;
  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.at = start;
  }

  runLine(): Record<string, unknown> | undefined {
    this.skipSpace();
    if (this.byte(this.at) !== OPEN_BRACE) return undefined;
    this.at++;
    const fields: Record<string, unknown> = {};
    this.skipSpace();
    if (this.byte(this.at) === CLOSE_BRACE) return undefined;
    for (;;) {
      this.skipSpace();
      if (this.byte(this.at) !== QUOTE) return undefined;
      const key = this.key();
      if (key === null) return undefined;
      this.skipSpace();
      if (this.byte(this.at) !== COLON) return undefined;
      this.at++;
      this.skipSpace();
      const value = key === undefined ? this.skipScalar() : this.value(key);
      if (value === FAIL) return undefined;
      if (key !== undefined) fields[key] = value;
      this.skipSpace();
      const next = this.byte(this.at);
      this.at++;
      if (next === CLOSE_BRACE) break;
      if (next !== COMMA) return undefined;
    }
    this.skipSpace();
    if (this.at !== this.end) return undefined;
    return fields.type === 'run' ? fields : undefined;
  }

  /** The known key at the cursor (a quote), undefined for another key, null when it cannot tell. */
  private key(): Key | undefined | null {
    const { bytes: text } = this;
    const start = this.at + 1;
    let i = start;
    while (i < this.end) {
      const b = text[i]!;
      if (b === QUOTE) break;
      // Escapes or control characters in a key: let JSON.parse decide what the key is.
      if (b === BACKSLASH || b < 0x20) return null;
      i++;
    }
    if (i >= this.end) return null;
    this.at = i + 1;
    const { bytes } = this;
    const candidates = KEYS_BY_LENGTH.get(i - start);
    if (!candidates) return undefined;
    outer: for (const { key, bytes: name } of candidates) {
      for (let k = 0; k < name.length; k++) if (bytes[start + k] !== name[k]) continue outer;
      return key;
    }
    return undefined;
  }

  private value(key: Key): unknown {
    const b = this.byte(this.at);
    if (b === QUOTE) return this.string(UNREAD_STRINGS.has(key));
    if (b === OPEN_BRACE) return key === 'metrics' ? this.numberObject() : FAIL;
    if (b === OPEN_BRACKET) return key === 'traceErrors' || key === 'missingMetrics' ? this.stringArray() : FAIL;
    return this.scalar();
  }

  /** A value of a key nobody reads: validated, not decoded; nested values are left to JSON.parse. */
  private skipScalar(): unknown {
    const b = this.byte(this.at);
    if (b === QUOTE) return this.string(true);
    return this.scalar();
  }

  private scalar(): unknown {
    const b = this.byte(this.at);
    if (b === 0x6e) return this.literal(NULL, null);
    if (b === 0x74) return this.literal(TRUE, true);
    if (b === 0x66) return this.literal(FALSE, false);
    return this.number();
  }

  private literal(text: Buffer, value: unknown): unknown {
    if (this.at + text.length > this.end) return FAIL;
    for (let k = 0; k < text.length; k++) if (this.bytes[this.at + k] !== text[k]) return FAIL;
    this.at += text.length;
    return value;
  }

  /** A JSON number (RFC 8259 §6), as JSON.parse reads it. */
  private number(): number | typeof FAIL {
    const { bytes } = this;
    const start = this.at;
    let i = start;
    if (this.byte(i) === 0x2d) i++;
    const digitsStart = i;
    if (this.byte(i) === 0x30) i++;
    else if (isDigit(this.byte(i))) while (isDigit(this.byte(i))) i++;
    else return FAIL;
    let integer = true;
    if (this.byte(i) === 0x2e) {
      integer = false;
      i++;
      if (!isDigit(this.byte(i))) return FAIL;
      while (isDigit(this.byte(i))) i++;
    }
    const e = this.byte(i);
    if (e === 0x65 || e === 0x45) {
      integer = false;
      i++;
      const sign = this.byte(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(this.byte(i))) return FAIL;
      while (isDigit(this.byte(i))) i++;
    }
    this.at = i;
    if (integer && i - digitsStart <= 15) {
      let value = 0;
      for (let k = digitsStart; k < i; k++) value = value * 10 + (bytes[k]! - 0x30);
      return digitsStart > start ? -value : value;
    }
    return Number(Buffer.from(bytes.buffer, bytes.byteOffset + start, i - start).toString('latin1'));
  }

  /** A JSON string; `unread` ones are validated only. Escaped strings are decoded by JSON.parse of the string alone. */
  private string(unread: boolean): string | typeof FAIL {
    const { bytes, end } = this;
    const start = this.at + 1;
    let i = start;
    let escaped = false;
    let ascii = true;
    for (;;) {
      if (i >= end) return FAIL;
      const b = bytes[i]!;
      if (b === QUOTE) break;
      if (b < 0x20) return FAIL;
      if (b === BACKSLASH) {
        escaped = true;
        i += 2;
        continue;
      }
      if (b >= 0x80) ascii = false;
      i++;
    }
    this.at = i + 1;
    if (unread && !escaped) return UNREAD;
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (escaped) {
      let decoded: unknown;
      try {
        decoded = JSON.parse(view.toString('utf8', start - 1, i + 1));
      } catch {
        return FAIL;
      }
      return unread ? UNREAD : (decoded as string);
    }
    return view.toString(ascii ? 'latin1' : 'utf8', start, i);
  }

  /** `{"name": number, …}` as JSON.parse builds it (own properties, `__proto__` included, the last duplicate wins). */
  private numberObject(): Record<string, number> | typeof FAIL {
    this.at++;
    const object: Record<string, number> = {};
    this.skipSpace();
    if (this.byte(this.at) === CLOSE_BRACE) {
      this.at++;
      return object;
    }
    for (;;) {
      this.skipSpace();
      if (this.byte(this.at) !== QUOTE) return FAIL;
      const name = this.string(false);
      if (name === FAIL) return FAIL;
      this.skipSpace();
      if (this.byte(this.at) !== COLON) return FAIL;
      this.at++;
      this.skipSpace();
      const value = this.number();
      if (value === FAIL) return FAIL;
      Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const next = this.byte(this.at);
      this.at++;
      if (next === CLOSE_BRACE) return object;
      if (next !== COMMA) return FAIL;
    }
  }

  private stringArray(): string[] | typeof FAIL {
    this.at++;
    const list: string[] = [];
    this.skipSpace();
    if (this.byte(this.at) === CLOSE_BRACKET) {
      this.at++;
      return list;
    }
    for (;;) {
      this.skipSpace();
      if (this.byte(this.at) !== QUOTE) return FAIL;
      const item = this.string(false);
      if (item === FAIL) return FAIL;
      list.push(item);
      this.skipSpace();
      const next = this.byte(this.at);
      this.at++;
      if (next === CLOSE_BRACKET) return list;
      if (next !== COMMA) return FAIL;
    }
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
}

const FAIL = Symbol('fail');
const NULL = Buffer.from('null');
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}
