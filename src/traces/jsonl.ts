import { parseJsonLossless } from './lossless-json.js';
import { spansFromExportRequest } from './otlp/request.js';
import type { Span, TraceWarning } from './span.js';
import { inputError } from '../errors.js';

/**
 * OTLP JSON Lines (the OpenTelemetry file exporter: one ExportTraceServiceRequest object per line) → spans.
 * Blank lines are skipped; a line that is not JSON or not a trace request is an InputError naming the file
 * and line.
 */
export function spansFromOtlpJsonLines(text: string, file: string, warnings: TraceWarning[]): Span[] {
  const spans: Span[] = [];
  let lineNo = 0;
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    lineNo++;
    const line = text.slice(from, to).trim();
    from = to + 1;
    if (line === '') continue;
    let request: unknown;
    try {
      request = parseJsonLossless(line);
    } catch (error) {
      throw inputError({ file, line: lineNo }, `invalid JSON: ${(error as Error).message}`);
    }
    try {
      for (const group of spansFromExportRequest(request, warnings, `${file}:${lineNo}`)) {
        for (const span of group.spans) spans.push(span);
      }
    } catch (error) {
      throw inputError({ file, line: lineNo }, (error as Error).message.replace(`${file}:${lineNo}: `, ''));
    }
  }
  return spans;
}
