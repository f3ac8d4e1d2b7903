/**
 * A growable byte buffer that span lines are written into as UTF-8, the way JSON.stringify would write
 * each piece, for the receiver's span-line paths (proto-lines.ts, json-lines.ts, json-scan.ts): text is
 * copied byte for byte (char for char) when it needs no escaping, and goes through JSON.stringify otherwise.
 * Constant text, hex and digits go in four or two bytes per store through a DataView: byte-by-byte stores
 * were most of a protobuf span line's cost (bench-receiver-ingest).
 */
export class LineWriter {
  buf: Buffer;
  /** A view of `buf` (the same bytes) for word stores. */
  private view: DataView;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(size, 1024));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  /** Room for `n` more bytes. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
    this.view = new DataView(bigger.buffer, bigger.byteOffset, bigger.length);
  }

  /** ASCII text (the line's own punctuation and names, digits, hex, base64). */
  ascii(text: string): void {
    this.room(text.length);
    const { buf } = this;
    let pos = this.pos;
    for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
    this.pos = pos;
  }

  /** Any text, UTF-8 encoded (lone surrogates as U+FFFD, as Buffer and streams write them). */
  utf8(text: string): void {
    this.room(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  /** Text prepared once (the line's punctuation and field names, a run's head): four bytes per store. */
  constant(text: Constant): void {
    this.room(text.length);
    const { view, buf } = this;
    let pos = this.pos;
    const { words, tail } = text;
    for (let i = 0; i < words.length; i++, pos += 4) view.setInt32(pos, words[i]!, true);
    for (let i = 0; i < tail.length; i++) buf[pos++] = tail[i]!;
    this.pos = pos;
  }

  /**
   * The decimal text of the unsigned 64-bit integer `high` · 2^32 + `low` (both words unsigned), as
   * BigInt(…).toString() gives it, without bigint: split at 10^4 so both parts are exact doubles. With
   * 2^32 = 429,496 · 10^4 + 7,296, the value is (high · 429,496 + ⌊t / 10^4⌋) · 10^4 + t mod 10^4 where
   * t = high · 7,296 + low; high · 429,496 < 2^51 and t < 2^45. Digits go four per store.
   */
  uint64(low: number, high: number): void {
    this.room(20);
    if (high < 2 ** 21) return this.decimal(high * 2 ** 32 + low);
    const t = high * 7296 + low;
    const carry = Math.floor(t / 10_000);
    this.decimal(high * 429_496 + carry);
    this.view.setInt32(this.pos, FOUR_DIGIT_WORDS[t - carry * 10_000]!, true);
    this.pos += 4;
  }

  /** The decimal digits of a safe non-negative integer `n` (room already made for 16), the last four written first. */
  private decimal(n: number): void {
    let top = n;
    let groups = 0;
    while (top >= 10_000) {
      top = Math.floor(top / 10_000);
      groups++;
    }
    const digits = top < 10 ? 1 : top < 100 ? 2 : top < 1000 ? 3 : 4;
    // The leading one to four digits: the last `digits` bytes of top's four-digit word.
    const word = FOUR_DIGIT_WORDS[top]! >>> ((4 - digits) * 8);
    const { buf, view } = this;
    const at = this.pos;
    for (let i = 0; i < digits; i++) buf[at + i] = (word >>> (i * 8)) & 0xff;
    const end = at + digits + groups * 4;
    let rest = n;
    for (let p = end - 4; p >= at + digits; p -= 4) {
      const next = Math.floor(rest / 10_000);
      view.setInt32(p, FOUR_DIGIT_WORDS[rest - next * 10_000]!, true);
      rest = next;
    }
    this.pos = end;
  }

  /** Raw bytes: a long run is copied natively (a call costs about what a JS loop pays for 40 bytes). */
  bytes(source: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    if (end - start > 48 && Buffer.isBuffer(source)) {
      this.pos += source.copy(this.buf, this.pos, start, end);
      return;
    }
    const { buf } = this;
    let pos = this.pos;
    for (let i = start; i < end; i++) buf[pos++] = source[i]!;
    this.pos = pos;
  }

  /**
   * The JSON string of the UTF-8 text in `source[start, end)`, quotes included, as JSON.stringify writes the
   * string protobufjs decodes from it: printable ASCII without `"` and `\` is copied as it is; anything
   * else is decoded (utf8Slice, as protobufjs's BufferReader does) and escaped by JSON.stringify.
   */
  jsonString(source: Buffer, start: number, end: number): void {
    this.room(end - start + 2);
    const { buf } = this;
    let pos = this.pos;
    buf[pos++] = 34;
    for (let i = start; i < end; i++) {
      const byte = source[i]!;
      if (byte < 0x20 || byte > 0x7e || byte === 34 || byte === 92) {
        this.utf8(JSON.stringify(source.toString('utf8', start, end)));
        return;
      }
      buf[pos++] = byte;
    }
    buf[pos++] = 34;
    this.pos = pos;
  }

  /** A string as JSON.stringify writes it: printable ASCII without `"` and `\\` char by char, anything else through JSON.stringify. */
  jsonText(text: string): void {
    this.room(text.length + 2);
    const { buf } = this;
    let pos = this.pos;
    buf[pos++] = 34;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === 34 || code === 92) {
        this.utf8(JSON.stringify(text));
        return;
      }
      buf[pos++] = code;
    }
    buf[pos++] = 34;
    this.pos = pos;
  }

  /** `source[start, start + length)` as lowercase hex digits. */
  hex(source: Uint8Array, start: number, length: number): void {
    this.room(length * 2);
    const { view } = this;
    let pos = this.pos;
    for (let i = start; i < start + length; i++, pos += 2) view.setUint16(pos, HEX_PAIRS[source[i]!]!, true);
    this.pos = pos;
  }

  /** The written bytes (a view, not a copy: the writer must not be written to again). */
  done(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Text written often (LineWriter.constant): its UTF-8 bytes as little-endian 32-bit words, then the bytes after the last whole word. */
export class Constant {
  readonly words: Int32Array;
  readonly tail: Uint8Array;
  readonly length: number;

  constructor(text: string) {
    const bytes = Buffer.from(text);
    this.length = bytes.length;
    this.words = new Int32Array(this.length >>> 2);
    for (let i = 0; i < this.words.length; i++) this.words[i] = bytes.readInt32LE(i * 4);
    this.tail = Uint8Array.from(bytes.subarray(this.words.length * 4));
  }
}

/** Byte b's two lowercase hex digits as a little-endian 16-bit word. */
const HEX_PAIRS = Uint16Array.from({ length: 256 }, (_, b) => {
  const digits = b.toString(16).padStart(2, '0');
  return digits.charCodeAt(0) | (digits.charCodeAt(1) << 8);
});

/** "0000" … "9999" as little-endian 32-bit words. */
const FOUR_DIGIT_WORDS = Int32Array.from({ length: 10_000 }, (_, n) => Buffer.from(String(n).padStart(4, '0')).readInt32LE(0));

/** A span line's own text between its values, as UTF-8 bytes. */
export const TEXT = Object.fromEntries(
  Object.entries({
    traceId: '"traceId":"',
    traceIdKey: '"traceId":',
    spanId: '","spanId":"',
    parentSpanId: '","parentSpanId":"',
    name: '","name":',
    noParentName: '","parentSpanId":null,"name":',
    emptyString: '""',
    startNs: ',"startNs":"',
    endNs: '","endNs":"',
    unset: '","status":"unset","attributes":{',
    ok: '","status":"ok","attributes":{',
    error: '","status":"error","attributes":{',
    end: '}}',
    endLine: '}}\n',
    headWithoutRun: '{"type":"span","run":"',
    quoteComma: '",',
    quote: '"',
    commaQuote: ',"',
    quoteColon: '":',
    colon: ':',
    comma: ',',
    null: 'null',
    true: 'true',
    false: 'false',
  }).map(([key, text]) => [key, new Constant(text)]),
) as Record<'traceId' | 'traceIdKey' | 'spanId' | 'parentSpanId' | 'name' | 'noParentName' | 'emptyString' | 'startNs' | 'endNs' | 'unset' | 'ok' | 'error' | 'end' | 'quote' | 'commaQuote' | 'quoteColon' | 'colon' | 'comma' | 'null' | 'true' | 'false' | 'endLine' | 'headWithoutRun' | 'quoteComma', Constant>;

/**
 * What a span-line path gives for a request: per resource (in request order) its spans' results.jsonl
 * lines after `"run":…,` (lines.ts's spanLinesJson), each starting `"traceId":"<32 hex digits>"`.
 */
export interface SpanTails {
  groups: { resource: Record<string, unknown>; tails: number[] }[];
  /** Span i's tail is buffer[starts[i], ends[i]). */
  buffer: Buffer;
  starts: number[];
  ends: number[];
}

const TRACE_ID_AT = '"traceId":"'.length;

/** The span lines of one run's spans in a request: `count` lines, each ending in "\n" (runId null: each names its trace id). */
export interface RunLines {
  runId: string | null;
  lines: Buffer;
  count: number;
}

/**
 * The span lines of a request by run, as the Span path files (receiver-ingest.ts's attribute) and writes
 * them: runs in order of their first span, each run's spans in request order, a span without a run
 * (`runOf` null) filed under its trace id.
 */
export function linesOfTails(tails: SpanTails, runOf: (resource: Record<string, unknown>) => string | null): RunLines[] {
  const { buffer, starts, ends } = tails;
  const byRun = new Map<string | null, { runId: string | null; out: LineWriter; head: Buffer; count: number }>();
  for (const { resource, tails: indices } of tails.groups) {
    if (indices.length === 0) continue;
    const runId = runOf(resource);
    let run = byRun.get(runId);
    if (!run) {
      const head = Buffer.from(runId === null ? '{"type":"span","run":"' : `{"type":"span","run":${JSON.stringify(runId)},`);
      // Room for the whole request in the first run only: a request of many runs must not reserve it for each.
      byRun.set(runId, (run = { runId, out: new LineWriter(byRun.size === 0 ? buffer.length + 64 * starts.length : 1024), head, count: 0 }));
    }
    const { out, head } = run;
    for (const i of indices) {
      const start = starts[i]!;
      const end = ends[i]!;
      out.room(head.length + 36 + end - start);
      out.pos += head.copy(out.buf, out.pos);
      // Without a run: the trace id (hex, at a fixed place in the tail) names it.
      if (runId === null) {
        out.pos += buffer.copy(out.buf, out.pos, start + TRACE_ID_AT, start + TRACE_ID_AT + 32);
        out.buf[out.pos++] = 34;
        out.buf[out.pos++] = 44;
      }
      out.pos += buffer.copy(out.buf, out.pos, start, end);
      out.buf[out.pos++] = 10;
    }
    run.count += indices.length;
  }
  return [...byRun.values()].map(({ runId, out, count }) => ({ runId, lines: out.done(), count }));
}
