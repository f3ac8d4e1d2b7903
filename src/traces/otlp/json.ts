import { parseJsonLossless } from '../lossless-json.js';
import type { TraceWarning } from '../span.js';
import { RoundedNumberError } from './attributes.js';
import { spansFromExportRequest, type RequestLimits, type ResourceSpanGroup } from './request.js';

/**
 * An OTLP JSON ExportTraceServiceRequest (`{"resourceSpans":[…]}`) → spans grouped by resource.
 * Nanosecond times written as bare JSON numbers beyond 2^53 keep every digit: the text is parsed with
 * JSON.parse, and only when a time or int attribute turns out to be a number JSON.parse may have rounded is
 * it parsed again by parseJsonLossless (most senders write times as strings, and pay nothing for this).
 * Throws on malformed JSON with the parser's reason prefixed by `where`.
 */
export function decodeOtlpJson(text: string, warnings: TraceWarning[], where: string, limits?: RequestLimits): ResourceSpanGroup[] {
  const parse = (lossless: boolean): unknown => {
    try {
      return lossless ? parseJsonLossless(text) : JSON.parse(text);
    } catch (error) {
      throw new Error(`${where}: invalid JSON: ${(error as Error).message}`);
    }
  };
  const before = warnings.length;
  try {
    return spansFromExportRequest(parse(false), warnings, where, { ...limits, rejectRounded: true });
  } catch (error) {
    if (!(error instanceof RoundedNumberError)) throw error;
    warnings.length = before;
    return spansFromExportRequest(parse(true), warnings, where, limits);
  }
}
