import { parseJsonLossless } from '../lossless-json.js';
import type { TraceWarning } from '../span.js';
import { spansFromExportRequest, type RequestLimits, type ResourceSpanGroup } from './request.js';

/**
 * An OTLP JSON ExportTraceServiceRequest (`{"resourceSpans":[…]}`) → spans grouped by resource.
 * Nanosecond times written as bare JSON numbers beyond 2^53 keep every digit. Throws on malformed JSON
 * with the parser's reason prefixed by `where`.
 */
export function decodeOtlpJson(text: string, warnings: TraceWarning[], where: string, limits?: RequestLimits): ResourceSpanGroup[] {
  let request: unknown;
  try {
    request = parseJsonLossless(text);
  } catch (error) {
    throw new Error(`${where}: invalid JSON: ${(error as Error).message}`);
  }
  return spansFromExportRequest(request, warnings, where, limits);
}
