import { gunzipSync } from 'node:zlib';
import { inputError } from '../errors.js';
import { spansFromChromeTrace } from './chrome.js';
import { scanChromeTrace } from './chrome-scan.js';
import { spansFromOtlpJsonLines } from './jsonl.js';
import { repairLegacyTorchNames } from './legacy-torch.js';
import { parseJsonLossless } from './lossless-json.js';
import { spansFromExportRequest } from './otlp/request.js';
import type { Span, TraceWarning } from './span.js';

export type TraceFileFormat = 'otlp-json' | 'otlp-jsonl' | 'chrome';

/** Largest trace file read, compressed or not (bytes of JSON text): V8 strings stop at about 512 MiB. */
export const MAX_TRACE_FILE_BYTES = 256 * 1024 * 1024;

export interface ParsedTraceFile {
  spans: Span[];
  warnings: TraceWarning[];
  format: TraceFileFormat;
}

/**
 * A trace file (from FRAMETAIL_TRACE_DIR or `frametail traces FILE…`) → normalized spans, the format
 * detected from the content: gzip (by its magic bytes, whatever the name) is inflated first; a JSON array or
 * an object with `traceEvents` is a Chrome trace, an object with `resourceSpans` is OTLP JSON, several JSON
 * objects one per line are OTLP JSON Lines. A Chrome trace from PyTorch's legacy exporter, which writes
 * names with unescaped `"` and `\`, is read by repairing those names (with a warning). Throws an InputError
 * naming the file (and line, for JSON Lines) when the content is none of these. `fileIndex` numbers the
 * file among a run's files, so Chrome span ids never collide across files.
 */
export function parseTraceFile(bytes: Uint8Array | string, file: string, fileIndex = 0): ParsedTraceFile {
  const warnings: TraceWarning[] = [];
  const data = traceBytes(bytes, file);
  // A Chrome trace is read straight from its bytes when it can be (no text, no parsed document: chrome-scan.ts).
  if (typeof data !== 'string' && scansAsChrome(data)) {
    const spans = scanChromeTrace(data, file, warnings, fileIndex);
    if (spans) return { spans, warnings, format: 'chrome' };
  }
  // The text lives only while it is parsed: a 58 MB trace should not hold its text and its events at once.
  const decoded = decodeDocument(typeof data === 'string' ? data : data.toString('utf8'), file, warnings);
  if ('jsonLines' in decoded) return { spans: decoded.jsonLines, warnings, format: 'otlp-jsonl' };
  const document = decoded.document;
  try {
    if (Array.isArray(document) || Array.isArray((document as { traceEvents?: unknown }).traceEvents)) {
      return { spans: spansFromChromeTrace(document, file, warnings, { fileIndex, consume: true }), warnings, format: 'chrome' };
    }
    if (Array.isArray((document as { resourceSpans?: unknown }).resourceSpans)) {
      const spans: Span[] = [];
      for (const group of spansFromExportRequest(document, warnings, file)) for (const span of group.spans) spans.push(span);
      return { spans, warnings, format: 'otlp-json' };
    }
  } catch (error) {
    throw inputError({ file }, (error as Error).message.replace(`${file}: `, ''));
  }
  throw inputError({ file }, 'JSON object has neither resourceSpans (OTLP) nor traceEvents (Chrome trace)');
}

/** The parsed JSON document, or the spans of an OTLP JSON Lines file (read line by line). */
function decodeDocument(data: string, file: string, warnings: TraceWarning[]): { document: unknown } | { jsonLines: Span[] } {
  const text = data.replace(/^\uFEFF/, '');
  const first = text.trimStart().charAt(0);
  if (first !== '{' && first !== '[') {
    throw inputError({ file }, 'not a trace file: expected OTLP JSON, OTLP JSON Lines or Chrome Trace Event JSON (optionally gzip)');
  }
  try {
    return { document: looksLikeChrome(text, first) ? JSON.parse(text) : parseJsonLossless(text) };
  } catch (error) {
    if (first === '{' && isMultiLine(text)) return { jsonLines: spansFromOtlpJsonLines(text, file, warnings) };
    const repaired = first === '[' ? repairLegacyTorchNames(text) : undefined;
    if (repaired === undefined) throw inputError({ file, line: 1 }, `invalid JSON: ${(error as Error).message}`);
    let document: unknown;
    try {
      document = JSON.parse(repaired.text);
    } catch {
      throw inputError({ file, line: 1 }, `invalid JSON: ${(error as Error).message}`);
    }
    warnings.push({
      kind: 'unparsable',
      message: `${file}: ${repaired.names} names with unescaped " or \\ (a known defect of PyTorch's legacy exporter) read as written`,
    });
    return { document };
  }
}

/** The file's bytes (a string as it is): inflated when they start with the gzip magic bytes, bounded by MAX_TRACE_FILE_BYTES either way. */
function traceBytes(bytes: Uint8Array | string, file: string): Buffer | string {
  if (typeof bytes === 'string') return bytes;
  if (bytes.length > MAX_TRACE_FILE_BYTES) throw inputError({ file }, `larger than ${MAX_TRACE_FILE_BYTES / 2 ** 20} MiB; not read`);
  let data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data, { maxOutputLength: MAX_TRACE_FILE_BYTES });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw inputError({ file }, code === 'ERR_BUFFER_TOO_LARGE'
        ? `inflates to more than ${MAX_TRACE_FILE_BYTES / 2 ** 20} MiB; not read`
        : `gzip data is broken (${(error as Error).message})`);
    }
  }
  return data;
}

/**
 * True when decodeDocument would read the bytes as a Chrome trace with JSON.parse: after the BOM and JSON
 * whitespace an array, or an object whose first 4,096 characters name traceEvents and not resourceSpans
 * (looksLikeChrome, on the text those bytes start).
 */
function scansAsChrome(data: Buffer): boolean {
  let p = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  while (data[p] === 32 || data[p] === 10 || data[p] === 13 || data[p] === 9) p++;
  if (data[p] === 0x5b) return true;
  if (data[p] !== 0x7b) return false;
  // 16 KiB of UTF-8 hold at least the first 4,096 characters.
  const text = data.toString('utf8', 0, 16_384).replace(/^\uFEFF/, '');
  return looksLikeChrome(text, '{');
}

/**
 * A Chrome trace (an array, or an object naming traceEvents before any resourceSpans) times events in µs,
 * which JSON.parse keeps exact; only OTLP's nanosecond integers need the lossless parse and its pre-scan.
 */
function looksLikeChrome(text: string, first: string): boolean {
  if (first === '[') return true;
  const head = text.slice(0, 4096);
  const events = head.indexOf('"traceEvents"');
  return events >= 0 && !head.includes('"resourceSpans"');
}

function isMultiLine(text: string): boolean {
  const nl = text.indexOf('\n');
  return nl >= 0 && text.slice(nl + 1).trim() !== '';
}
