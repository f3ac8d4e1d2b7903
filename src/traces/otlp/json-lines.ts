import { normalizeId, normalizeStatus, parseNs } from '../normalize.js';
import { anyValue, attributesFromKeyValues, maybeRounded } from './attributes.js';
import { Constant, LineWriter, TEXT, type RunLines } from './line-writer.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- a walk over JSON.parse output, checked as request.ts checks it */

/**
 * `frametail receive`'s JSON path: an OTLP JSON request, parsed once by JSON.parse, walked as request.ts
 * walks it (the same normalizers) but written straight into results.jsonl span lines (UTF-8 bytes), with
 * no Span object, attribute record or bigint in between. Undefined for anything request.ts would warn
 * about or refuse, anything json.ts would parse again losslessly (a number at or past 2^53), more than
 * `maxSpans` spans, or an attribute key the record would not keep in arrival order once (a repeated key,
 * an array-index-like key, `__proto__`): the caller then takes the reference path (decodeOtlpJson, then
 * lines.ts's spanLinesJson), which this matches byte for byte (tests/traces-span-text.test.ts).
 */
export function jsonSpanLines(text: string, maxSpans: number | undefined, runOf: (resource: Record<string, unknown>) => string | null): RunLines[] | undefined {
  try {
    return walk(JSON.parse(text), maxSpans ?? Infinity, text.length, runOf);
  } catch {
    // Invalid JSON, a miss, or a RoundedNumberError from attributes.ts: the reference path decides (and words the error).
    return undefined;
  }
}

class Miss extends Error {}
const MISS = new Miss('span line fast path miss');

const PLAIN_NS = /^(?:0|[1-9]\d{0,19})$/;

/** A time as the decimal text of the bigint parseNs gives (null when parseNs gives null). */
export function nsText(value: unknown): string | null {
  if (typeof value === 'string' && PLAIN_NS.test(value)) return value;
  if (maybeRounded(value)) throw MISS;
  const ns = parseNs(value);
  return ns === null ? null : ns.toString();
}

/**
 * The lines by run as line-writer.ts's linesOfTails files them (runs in order of their first span), written
 * straight into each run's buffer: a JSON request's resource is known before its spans.
 */
function walk(request: any, maxSpans: number, size: number, runOf: (resource: Record<string, unknown>) => string | null): RunLines[] {
  const resourceSpans = request?.resourceSpans;
  if (!Array.isArray(resourceSpans)) throw MISS;
  // scopeSpans, then instrumentationLibrarySpans, as request.ts reads them.
  const scopesOf = (rs: any): any[] => {
    const scopeSpans = rs?.scopeSpans;
    const librarySpans = rs?.instrumentationLibrarySpans;
    if (!Array.isArray(librarySpans)) return Array.isArray(scopeSpans) ? scopeSpans : [];
    return Array.isArray(scopeSpans) ? scopeSpans.concat(librarySpans) : librarySpans;
  };
  let count = 0;
  for (const rs of resourceSpans) for (const scope of scopesOf(rs)) if (Array.isArray(scope?.spans)) count += scope.spans.length;
  if (count > maxSpans) throw MISS;
  const byRun = new Map<string | null, { runId: string | null; out: LineWriter; head: Constant | undefined; count: number }>();
  const keys: string[] = [];
  for (const rs of resourceSpans) {
    const resource = attributesFromKeyValues(rs?.resource?.attributes, 0, true);
    const runId = runOf(resource);
    for (const scope of scopesOf(rs)) {
      if (!Array.isArray(scope?.spans)) continue;
      for (const raw of scope.spans) {
        let run = byRun.get(runId);
        if (!run) {
          const head = runId === null ? undefined : new Constant(`{"type":"span","run":${JSON.stringify(runId)},`);
          // Room for the whole request in the first run only: a request of many runs must not reserve it for each.
          byRun.set(runId, (run = { runId, out: new LineWriter(byRun.size === 0 ? size : 1024), head, count: 0 }));
        }
        writeSpan(raw, run.out, run.head, keys);
        run.count++;
      }
    }
  }
  return [...byRun.values()].map(({ runId, out, count }) => ({ runId, lines: out.done(), count }));
}

/** One span's line, as request.ts's spanFromRaw then lines.ts would write it; `head` is `{…"run":…,` (undefined: the trace id names the run). */
function writeSpan(raw: any, out: LineWriter, head: Constant | undefined, keys: string[]): void {
  if (raw === null || typeof raw !== 'object') throw MISS;
  const traceId = normalizeId(raw.traceId, 16);
  const spanId = normalizeId(raw.spanId, 8);
  const startNs = nsText(raw.startTimeUnixNano);
  if (traceId === null || spanId === null || startNs === null) throw MISS;
  const endNs = nsText(raw.endTimeUnixNano) ?? startNs;
  const parentSpanId = normalizeId(raw.parentSpanId, 8);
  if (head) out.constant(head);
  else {
    out.constant(TEXT.headWithoutRun);
    out.ascii(traceId);
    out.constant(TEXT.quoteComma);
  }
  out.constant(TEXT.traceId);
  out.ascii(traceId);
  out.constant(TEXT.spanId);
  out.ascii(spanId);
  if (parentSpanId === null) out.constant(TEXT.noParentName);
  else {
    out.constant(TEXT.parentSpanId);
    out.ascii(parentSpanId);
    out.constant(TEXT.name);
  }
  out.jsonText(typeof raw.name === 'string' ? raw.name : '');
  out.constant(TEXT.startNs);
  out.ascii(startNs);
  out.constant(TEXT.endNs);
  out.ascii(endNs);
  out.constant(TEXT[normalizeStatus(raw.status?.code)]);
  keys.length = 0;
  const list = raw.attributes;
  if (Array.isArray(list)) {
    for (const kv of list) {
      if (!kv || typeof kv.key !== 'string') continue;
      const key: string = kv.key;
      const first = key.charCodeAt(0);
      if ((first >= 48 && first <= 57) || key === '__proto__' || keys.includes(key)) throw MISS;
      if (keys.length > 0) out.constant(TEXT.comma);
      keys.push(key);
      out.jsonText(key);
      out.constant(TEXT.colon);
      writeValue(anyValue(kv.value, 0, true), out);
    }
  }
  out.constant(TEXT.endLine);
}

/** An attribute value as JSON.stringify writes it inside the record. */
export function writeValue(value: unknown, out: LineWriter): void {
  if (typeof value === 'string') return out.jsonText(value);
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw MISS; // a value the record's JSON would leave out
  if (typeof value === 'object' && value !== null) out.utf8(json);
  else out.ascii(json);
}
