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
 * Takes the lines of a stream as byte ranges, without an array per chunk or a copy of a line that lies
 * within one chunk. `bytes` is only valid during the call.
 */
export interface LineSink {
  line(bytes: Buffer, start: number, end: number, number: number, cutShort: boolean): void;
  tooLong(number: number): void;
}

/**
 * Streams the lines of a file in 1 MiB chunks into `sink`, with an await per chunk, not per line (an
 * await per line would cost more than parsing it). Rejects with the fs error (ENOENT, EISDIR, …).
 */
export async function readFileLines(file: string, maxBytes: number, sink: LineSink): Promise<void> {
  const splitter = new LineSplitter(maxBytes);
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) splitter.push(chunk, sink);
  splitter.end(sink);
}

/** The lines of bytes (e.g. a zip entry) into `sink`. */
export function splitBufferLines(bytes: Uint8Array, maxBytes: number, sink: LineSink): void {
  const splitter = new LineSplitter(maxBytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let start = 0; start < buffer.length; start += 1024 * 1024) splitter.push(buffer.subarray(start, start + 1024 * 1024), sink);
  splitter.end(sink);
}

/** The text of a line given as bytes, as every line-based reader sees it (a trailing CR removed). */
function lineText(bytes: Buffer, start: number, end: number): string {
  if (end > start && bytes[end - 1] === 0x0d) return bytes.toString('utf8', start, end - 1);
  return bytes.toString('utf8', start, end);
}

export function* bufferLines(bytes: Uint8Array, maxBytes: number): Generator<RawLine> {
  const lines: RawLine[] = [];
  const sink: LineSink = {
    line: (buffer, start, end, number, cutShort) => lines.push(textLine(buffer, start, end, number, cutShort)),
    tooLong: (number) => lines.push({ number, text: '', tooLong: true }),
  };
  splitBufferLines(bytes, maxBytes, sink);
  yield* lines;
}

/** A line given as bytes, as the RawLine the text readers give. */
export function textLine(bytes: Buffer, start: number, end: number, number: number, cutShort: boolean): RawLine {
  const text = lineText(bytes, start, end);
  return cutShort ? { number, text, cutShort: true } : { number, text };
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

  push(chunk: Buffer, sink: LineSink): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end < 0) {
        this.keep(chunk.subarray(start));
        return;
      }
      if (this.size === 0 && !this.skipping) {
        // The whole line is in this chunk: no copy.
        this.number++;
        if (end - start > this.maxBytes) sink.tooLong(this.number);
        else sink.line(chunk, start, end, this.number, false);
      } else {
        this.keep(chunk.subarray(start, end));
        this.take(false, sink);
      }
      start = end + 1;
    }
  }

  end(sink: LineSink): void {
    if (this.size > 0 || this.skipping) this.take(true, sink);
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

  private take(last: boolean, sink: LineSink): void {
    this.number++;
    if (this.skipping) {
      this.skipping = false;
      return sink.tooLong(this.number);
    }
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    sink.line(bytes, 0, bytes.length, this.number, last);
  }
}
