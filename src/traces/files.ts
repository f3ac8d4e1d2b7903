import { inputError } from '../errors.js';
import { spansFromChromeTrace } from './chrome.js';
import { spansFromOtlpJsonLines } from './jsonl.js';
import { parseJsonLossless } from './lossless-json.js';
import { spansFromExportRequest } from './otlp/request.js';
import type { Span, TraceWarning } from './span.js';

export type TraceFileFormat = 'otlp-json' | 'otlp-jsonl' | 'chrome';

/**
 * A trace file (from FRAMETAIL_TRACE_DIR or `frametail traces FILE…`) → normalized spans, the format
 * detected from the content: a JSON array or an object with `traceEvents` is a Chrome trace, an object with
 * `resourceSpans` is OTLP JSON, several JSON objects one per line are OTLP JSON Lines. Throws an InputError
 * naming the file (and line, for JSON Lines) when the content is none of these.
 */
export function parseTraceFile(bytes: Uint8Array | string, file: string): { spans: Span[]; warnings: TraceWarning[]; format: TraceFileFormat } {
  const text = (typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')).replace(/^\uFEFF/, '');
  const warnings: TraceWarning[] = [];
  const first = text.trimStart().charAt(0);
  if (first !== '{' && first !== '[') {
    throw inputError({ file }, 'not a trace file: expected OTLP JSON, OTLP JSON Lines or Chrome Trace Event JSON');
  }
  let document: unknown;
  try {
    document = parseJsonLossless(text);
  } catch (error) {
    if (first === '{' && isMultiLine(text)) {
      return { spans: spansFromOtlpJsonLines(text, file, warnings), warnings, format: 'otlp-jsonl' };
    }
    throw inputError({ file, line: 1 }, `invalid JSON: ${(error as Error).message}`);
  }
  try {
    if (Array.isArray(document) || Array.isArray((document as { traceEvents?: unknown }).traceEvents)) {
      return { spans: spansFromChromeTrace(document, file, warnings), warnings, format: 'chrome' };
    }
    if (Array.isArray((document as { resourceSpans?: unknown }).resourceSpans)) {
      const spans = spansFromExportRequest(document, warnings, file).flatMap((group) => group.spans);
      return { spans, warnings, format: 'otlp-json' };
    }
  } catch (error) {
    throw inputError({ file }, (error as Error).message.replace(`${file}: `, ''));
  }
  throw inputError({ file }, 'JSON object has neither resourceSpans (OTLP) nor traceEvents (Chrome trace)');
}

function isMultiLine(text: string): boolean {
  const nl = text.indexOf('\n');
  return nl >= 0 && text.slice(nl + 1).trim() !== '';
}
