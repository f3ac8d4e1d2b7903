/**
 * A growable byte buffer that span lines are written into as UTF-8, the way JSON.stringify would write
 * each piece, for the receiver's protobuf span-line path (proto-lines.ts): text from the request is copied
 * byte for byte when it needs no escaping, and goes through JSON.stringify otherwise.
 */
export class LineWriter {
  buf: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(size, 1024));
  }

  /** Room for `n` more bytes. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
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

  /** Bytes prepared once (the line's punctuation and field names). */
  constant(bytes: Uint8Array): void {
    this.room(bytes.length);
    const { buf } = this;
    let pos = this.pos;
    for (let i = 0; i < bytes.length; i++) buf[pos++] = bytes[i]!;
    this.pos = pos;
  }

  /** Raw bytes. */
  bytes(source: Uint8Array, start: number, end: number): void {
    this.room(end - start);
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

  /** `source[start, start + length)` as lowercase hex digits. */
  hex(source: Uint8Array, start: number, length: number): void {
    this.room(length * 2);
    const { buf } = this;
    let pos = this.pos;
    for (let i = start; i < start + length; i++) {
      const byte = source[i]!;
      buf[pos++] = HEX_DIGIT[byte >>> 4]!;
      buf[pos++] = HEX_DIGIT[byte & 15]!;
    }
    this.pos = pos;
  }

  /** The written bytes (a view, not a copy: the writer must not be written to again). */
  done(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

const HEX_DIGIT = Buffer.from('0123456789abcdef');
