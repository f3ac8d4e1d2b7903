/**
 * Lines of a results file, from a file (streamed), a Buffer or a string, never holding more than one
 * line at a time: a line longer than `maxBytes` is skipped (marked `tooLong`) without being kept. A
 * last line without its newline is marked `cutShort` (what a kill mid-write leaves).
 */
import { createReadStream } from 'node:fs';

export interface RawLine {
  /** 1-based. */
  number: number;
  text: string;
  tooLong?: boolean;
  cutShort?: boolean;
}

const NEWLINE = 0x0a;

/**
 * Streams the lines of a file in 1 MiB chunks, a batch of lines per chunk (an await per line would cost
 * more than parsing it). Rejects with the fs error (ENOENT, EISDIR, …).
 */
export async function* fileLines(file: string, maxBytes: number): AsyncGenerator<RawLine[]> {
  const splitter = new LineSplitter(maxBytes);
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) yield [...splitter.push(chunk)];
  yield [...splitter.end()];
}

export function* bufferLines(bytes: Uint8Array, maxBytes: number): Generator<RawLine> {
  const splitter = new LineSplitter(maxBytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let start = 0; start < buffer.length; start += 1024 * 1024) yield* splitter.push(buffer.subarray(start, start + 1024 * 1024));
  yield* splitter.end();
}

export function* stringLines(text: string, maxBytes: number): Generator<RawLine> {
  let number = 0;
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    number++;
    const line = text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
    if (line.length > maxBytes || Buffer.byteLength(line) > maxBytes) yield { number, text: '', tooLong: true };
    else yield { number, text: line, ...(end < 0 ? { cutShort: true } : {}) };
    if (end < 0) break;
    start = end + 1;
  }
}

/** Splits chunks into lines; keeps at most `maxBytes` of a line before giving up on it. */
class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;
  private number = 0;

  constructor(private readonly maxBytes: number) {}

  *push(chunk: Buffer): Generator<RawLine> {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end < 0) {
        this.keep(chunk.subarray(start));
        return;
      }
      this.keep(chunk.subarray(start, end));
      yield this.take(false);
      start = end + 1;
    }
  }

  *end(): Generator<RawLine> {
    if (this.size > 0 || this.skipping) yield this.take(true);
  }

  private keep(part: Buffer): void {
    if (part.length === 0 || this.skipping) return;
    if (this.size + part.length > this.maxBytes) {
      this.skipping = true;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(part);
    this.size += part.length;
  }

  private take(last: boolean): RawLine {
    this.number++;
    const number = this.number;
    if (this.skipping) {
      this.skipping = false;
      return { number, text: '', tooLong: true };
    }
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    const text = bytes.toString('utf8').replace(/\r$/, '');
    return last ? { number, text, cutShort: true } : { number, text };
  }
}
