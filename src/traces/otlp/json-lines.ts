import { normalizeId, normalizeStatus, parseNs } from '../normalize.js';
import { anyValue, attributesFromKeyValues, maybeRounded } from './attributes.js';
import { AttributeText, spanTail, TEXT_MISS, type SpanTextGroup } from './span-text.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- a walk over JSON.parse output, checked as request.ts checks it */

/**
 * `frametail receive`'s JSON path: an OTLP JSON request, parsed once by JSON.parse, walked as request.ts
 * walks it (the same normalizers) but written straight into results.jsonl span lines, with no Span
 * object, attribute record or bigint in between. Undefined for anything request.ts would warn about or
 * refuse, anything json.ts would parse again losslessly (a number at or past 2^53), more than `maxSpans`
 * spans, or an attribute key that needs the record's semantics (span-text.ts): the caller then takes the
 * reference path (decodeOtlpJson, then lines.ts's spanLinesJson), which this matches byte for byte.
 */
export function jsonSpanText(text: string, maxSpans: number | undefined): SpanTextGroup[] | undefined {
  try {
    return walk(JSON.parse(text), maxSpans ?? Infinity);
  } catch {
    // Invalid JSON, a miss, or a RoundedNumberError from attributes.ts: the reference path decides (and words the error).
    return undefined;
  }
}

const PLAIN_NS = /^(?:0|[1-9]\d{0,19})$/;

/** A time as the decimal text of the bigint parseNs gives (null when parseNs gives null). */
function nsText(value: unknown): string | null {
  if (typeof value === 'string' && PLAIN_NS.test(value)) return value;
  if (maybeRounded(value)) throw TEXT_MISS;
  const ns = parseNs(value);
  return ns === null ? null : ns.toString();
}

function walk(request: any, maxSpans: number): SpanTextGroup[] {
  const resourceSpans = request?.resourceSpans;
  if (!Array.isArray(resourceSpans)) throw TEXT_MISS;
  const scopesOf = (rs: any): any[] => {
    const scopeSpans = rs?.scopeSpans;
    const librarySpans = rs?.instrumentationLibrarySpans;
    if (!Array.isArray(librarySpans)) return Array.isArray(scopeSpans) ? scopeSpans : [];
    return Array.isArray(scopeSpans) ? scopeSpans.concat(librarySpans) : librarySpans;
  };
  let count = 0;
  for (const rs of resourceSpans) for (const scope of scopesOf(rs)) if (Array.isArray(scope?.spans)) count += scope.spans.length;
  if (count > maxSpans) throw TEXT_MISS;
  const attributes = new AttributeText();
  const groups: SpanTextGroup[] = [];
  for (const rs of resourceSpans) {
    const resource = attributesFromKeyValues(rs?.resource?.attributes, 0, true);
    const tails: string[] = [];
    for (const scope of scopesOf(rs)) {
      if (!Array.isArray(scope?.spans)) continue;
      for (const raw of scope.spans) tails.push(spanText(raw, attributes));
    }
    groups.push({ resource, tails });
  }
  return groups;
}

/** One span's line after `"run":…,`, as request.ts's spanFromRaw then lines.ts would write it. */
function spanText(raw: any, attributes: AttributeText): string {
  if (raw === null || typeof raw !== 'object') throw TEXT_MISS;
  const traceId = normalizeId(raw.traceId, 16);
  const spanId = normalizeId(raw.spanId, 8);
  const startNs = nsText(raw.startTimeUnixNano);
  if (traceId === null || spanId === null || startNs === null) throw TEXT_MISS;
  const endNs = nsText(raw.endTimeUnixNano) ?? startNs;
  const list = raw.attributes;
  if (Array.isArray(list)) {
    for (const kv of list) if (kv && typeof kv.key === 'string') attributes.add(kv.key, anyValue(kv.value, 0, true));
  }
  const name = typeof raw.name === 'string' ? raw.name : '';
  return spanTail(traceId, spanId, normalizeId(raw.parentSpanId, 8), name, startNs, endNs, normalizeStatus(raw.status?.code), attributes.take());
}
