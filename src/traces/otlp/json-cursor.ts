/**
 * True when `body` is one JSON value (with JSON whitespace around it) that JSON.parse would accept, as far as
 * nesting MAX_SKIP_DEPTH deep; for the tests, which check it against JSON.parse.
 */
export function isJsonText(body: Buffer): boolean {
  const scan = new JsonCursor(body);
  try {
    return scan.ws(scan.skipValue(scan.ws(0))) === body.length;
  } catch {
    return false;
  }
}

class Miss extends Error {}
export const MISS = new Miss('JSON scan miss');

/** Containers a skipped value may nest (the stack is an array of this size, not the call stack). */
export const MAX_SKIP_DEPTH = 512;

export const QUOTE = 34;
export const BACKSLASH = 92;
export const COMMA = 44;
export const COLON = 58;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
export const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;

/** What `string()` saw in the string it passed over: PLAIN, or a set of the bits below. */
export const PLAIN = 0; // printable ASCII without `"` or `\`: its bytes are its JSON.stringify text
export const WIDE = 1; // a byte outside printable ASCII (DEL, UTF-8): decode before use
export const ESCAPE = 2; // a backslash escape: decode before use, and not a key compared here

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/**
 * A cursor over a UTF-8 JSON body that checks what it passes over as JSON.parse would: JSON's whitespace,
 * strings without raw control characters and with only JSON's escapes, numbers in JSON's grammar, the three
 * literals, and nesting kept in an array (MAX_SKIP_DEPTH containers), never on the call stack. Anything else
 * throws MISS. json-scan.ts reads OTLP requests with it.
 */
export class JsonCursor {
  /** Set by string(): PLAIN, or WIDE and/or ESCAPE. */
  protected seen = PLAIN;
  /** The length of the key key() read last (its escape-free text between the quotes). */
  protected keyLength = 0;
  private readonly stack = new Uint8Array(MAX_SKIP_DEPTH);

  constructor(protected readonly b: Buffer) {}

  /** True when the body holds `text` at `p`. */
  protected at(p: number, text: Buffer): boolean {
    const b = this.b;
    if (p + text.length > b.length) return false;
    for (let i = 0; i < text.length; i++) if (b[p + i] !== text[i]) return false;
    return true;
  }

  /** True when the key starting at `start` (after its opening quote) is exactly `name` (its closing quote follows). */
  protected keyIs(start: number, name: Buffer, end = start + name.length): boolean {
    const b = this.b;
    if (end !== start + name.length || b[end] !== QUOTE) return false;
    for (let i = 0; i < name.length; i++) if (b[start + i] !== name[i]) return false;
    return true;
  }

  /**
   * A member's key at `p` and its colon; returns the value's position. A key with an escape is a miss, so
   * keys compare as bytes (UTF-8 never decodes to ASCII, so a wide key never equals an ASCII name).
   */
  protected key(p: number): number {
    if (this.b[p] !== QUOTE) throw MISS;
    const start = p;
    p = this.string(p);
    if (this.seen & ESCAPE) throw MISS;
    this.keyLength = p - start - 2;
    p = this.ws(p);
    if (this.b[p] !== COLON) throw MISS;
    return this.ws(p + 1);
  }

  /** A key of a value passed over (escapes allowed) and its colon; returns the value's position. */
  private memberKey(p: number): number {
    if (this.b[p] !== QUOTE) throw MISS;
    p = this.ws(this.string(p));
    if (this.b[p] !== COLON) throw MISS;
    return this.ws(p + 1);
  }

  /** JSON whitespace from `p`; returns the first position that is not. */
  ws(p: number): number {
    const b = this.b;
    const n = b.length;
    while (p < n) {
      const c = b[p]!;
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      p++;
    }
    return p;
  }

  /**
   * The string at `p` (its opening quote), checked as JSON.parse checks it: no raw control character, only
   * JSON's escapes. Sets `seen`; returns the position after the closing quote.
   */
  protected string(p: number): number {
    const b = this.b;
    const n = b.length;
    let seen = PLAIN;
    for (p++; ; p++) {
      if (p >= n) throw MISS;
      const c = b[p]!;
      if (c === QUOTE) break;
      if (c < 0x20) throw MISS;
      if (c > 0x7e) seen |= WIDE;
      else if (c === BACKSLASH) {
        seen |= ESCAPE;
        const e = b[++p];
        if (e === 117) {
          for (let i = 0; i < 4; i++) {
            const h = b[++p];
            if (h === undefined || !((h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102))) throw MISS;
          }
        } else if (e !== QUOTE && e !== BACKSLASH && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) throw MISS;
      }
    }
    this.seen = seen;
    return p + 1;
  }

  /** A number at `p` in JSON's grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?; returns the position after it. */
  protected number(p: number): number {
    const b = this.b;
    if (b[p] === 45) p++;
    let c = b[p];
    if (c === 48) p++;
    else if (c !== undefined && c >= 49 && c <= 57) {
      do c = b[++p];
      while (c !== undefined && c >= 48 && c <= 57);
    } else throw MISS;
    if (b[p] === 46) {
      c = b[++p];
      if (c === undefined || c < 48 || c > 57) throw MISS;
      do c = b[++p];
      while (c !== undefined && c >= 48 && c <= 57);
    }
    c = b[p];
    if (c === 101 || c === 69) {
      c = b[++p];
      if (c === 43 || c === 45) c = b[++p];
      if (c === undefined || c < 48 || c > 57) throw MISS;
      do c = b[++p];
      while (c !== undefined && c >= 48 && c <= 57);
    }
    return p;
  }

  private literal(p: number, word: Buffer): number {
    for (let i = 0; i < word.length; i++) if (this.b[p + i] !== word[i]) throw MISS;
    return p + word.length;
  }

  /**
   * Passes over the JSON value at `p`, checking it; returns the position after it. Nesting is tracked in
   * `stack` (one entry per open container, at most MAX_SKIP_DEPTH), never on the call stack.
   */
  skipValue(p: number): number {
    const b = this.b;
    const stack = this.stack;
    let depth = 0;
    for (;;) {
      // A value at p.
      const c = b[p];
      if (c === QUOTE) p = this.string(p);
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        const q = this.ws(p + 1);
        const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
        if (b[q] === close) p = q + 1;
        else {
          if (depth === MAX_SKIP_DEPTH) throw MISS;
          stack[depth++] = c;
          p = c === OPEN_BRACE ? this.memberKey(q) : q;
          continue;
        }
      } else if (c === 116) p = this.literal(p, TRUE);
      else if (c === 102) p = this.literal(p, FALSE);
      else if (c === 110) p = this.literal(p, NULL);
      else p = this.number(p);
      // After a value: close containers, or go on to the next member or element.
      for (;;) {
        if (depth === 0) return p;
        p = this.ws(p);
        const d = b[p];
        const open = stack[depth - 1];
        if (d === COMMA) {
          p = this.ws(p + 1);
          if (open === OPEN_BRACE) p = this.memberKey(p);
          break;
        }
        if ((d === CLOSE_BRACE && open === OPEN_BRACE) || (d === CLOSE_BRACKET && open === OPEN_BRACKET)) {
          depth--;
          p++;
        } else throw MISS;
      }
    }
  }
}
