import { codeLocation, normalizeId, normalizeStatus, parseNs } from '../normalize.js';
import type { Span, TraceWarning } from '../span.js';
import { attributesFromKeyValues, maybeRounded, RoundedNumberError } from './attributes.js';

/** The spans of one `resourceSpans` entry, with that resource's attributes (where `frametail.run.id` lives). */
export interface ResourceSpanGroup {
  resource: Record<string, unknown>;
  spans: Span[];
}

interface RawSpan {
  traceId?: unknown;
  spanId?: unknown;
  parentSpanId?: unknown;
  name?: unknown;
  startTimeUnixNano?: unknown;
  endTimeUnixNano?: unknown;
  attributes?: unknown;
  status?: unknown;
}

/** A request holding more spans than the receiver accepts in one request (issue 13: spans per request are bounded). */
export class SpanLimitError extends Error {}

export interface RequestLimits {
  /** Most spans one request may hold; more → SpanLimitError before any span is built. */
  maxSpans?: number;
  /**
   * Set when the request came from plain JSON.parse: a time or int attribute that JSON.parse may have
   * rounded throws RoundedNumberError, so the caller can parse the text again losslessly (json.ts).
   */
  rejectRounded?: boolean;
}

/**
 * An ExportTraceServiceRequest (OTLP JSON object or decoded protobuf message; both use the same
 * camelCase field names) → normalized spans grouped by resource. Spans without a valid trace id, span id or
 * start time are skipped with an `unparsable` warning; an end before the start is kept here and repaired
 * by the analysis. `where` prefixes warning messages (file name, "request").
 */
export function spansFromExportRequest(request: unknown, warnings: TraceWarning[], where: string, limits: RequestLimits = {}): ResourceSpanGroup[] {
  const groups: ResourceSpanGroup[] = [];
  const resourceSpans = (request as { resourceSpans?: unknown } | null)?.resourceSpans;
  if (!Array.isArray(resourceSpans)) {
    throw new Error(`${where}: not an OTLP trace request (no resourceSpans array)`);
  }
  // scopeSpans since OTLP 0.15; instrumentationLibrarySpans before (still sent by old SDKs).
  const scopesOf = (rs: Record<string, unknown> | null) =>
    [rs?.scopeSpans, rs?.instrumentationLibrarySpans].filter(Array.isArray).flat() as ({ spans?: unknown } | null)[];
  if (limits.maxSpans !== undefined) {
    let count = 0;
    for (const rs of resourceSpans as (Record<string, unknown> | null)[]) {
      for (const scope of scopesOf(rs)) if (Array.isArray(scope?.spans)) count += scope.spans.length;
    }
    if (count > limits.maxSpans) {
      throw new SpanLimitError(`${where}: ${count} spans in one request, more than the limit of ${limits.maxSpans}`);
    }
  }
  for (const rs of resourceSpans as (Record<string, unknown> | null)[]) {
    const resource = attributesFromKeyValues((rs?.resource as { attributes?: unknown } | undefined)?.attributes, 0, limits.rejectRounded === true);
    const spans: Span[] = [];
    for (const scope of scopesOf(rs)) {
      if (!Array.isArray(scope?.spans)) continue;
      for (const raw of scope.spans as (RawSpan | null)[]) {
        if (raw === null || typeof raw !== 'object') {
          warnings.push({ kind: 'unparsable', message: `${where}: a span that is not an object was skipped` });
          continue;
        }
        const span = spanFromRaw(raw, resource, warnings, where, limits.rejectRounded === true);
        if (span) spans.push(span);
      }
    }
    groups.push({ resource, spans });
  }
  return groups;
}

function spanFromRaw(
  raw: RawSpan,
  resource: Record<string, unknown>,
  warnings: TraceWarning[],
  where: string,
  rejectRounded: boolean,
): Span | null {
  if (rejectRounded && (maybeRounded(raw.startTimeUnixNano) || maybeRounded(raw.endTimeUnixNano))) throw new RoundedNumberError();
  const traceId = normalizeId(raw.traceId, 16);
  const spanId = normalizeId(raw.spanId, 8);
  const startNs = parseNs(raw.startTimeUnixNano);
  const name = typeof raw.name === 'string' ? raw.name : '';
  if (traceId === null || spanId === null || startNs === null) {
    const field = traceId === null ? 'traceId' : spanId === null ? 'spanId' : 'startTimeUnixNano';
    warnings.push({ kind: 'unparsable', message: `${where}: span "${name}" skipped: invalid ${field}` });
    return null;
  }
  const endNs = parseNs(raw.endTimeUnixNano) ?? startNs;
  const attributes = attributesFromKeyValues(raw.attributes, 0, rejectRounded);
  const span: Span = {
    traceId,
    spanId,
    parentSpanId: normalizeId(raw.parentSpanId, 8),
    name,
    startNs,
    endNs,
    status: normalizeStatus((raw.status as { code?: unknown } | null | undefined)?.code),
    attributes,
    resource,
  };
  const code = codeLocation(attributes);
  if (code) span.code = code;
  return span;
}
