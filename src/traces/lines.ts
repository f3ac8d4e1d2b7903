import type { SpanLine } from '../results/format.js';
import { codeLocation } from './normalize.js';
import type { Span } from './span.js';

/** A span as a results.jsonl line of run `runId` (times as decimal strings, which JSON keeps exact). */
export function toSpanLine(runId: string, span: Span): SpanLine {
  return {
    type: 'span',
    run: runId,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    startNs: span.startNs.toString(),
    endNs: span.endNs.toString(),
    status: span.status,
    attributes: span.attributes,
  };
}

/**
 * The results.jsonl line of a span as JSON text: the text JSON.stringify(spanLine(runId, span)) gives
 * (results/write.ts), written directly; the receiver writes one per span, so no line object is built and
 * attributes are serialized once. Bigint attribute values become decimal strings.
 */
export function spanLineJson(runId: string, span: Span): string {
  return `{"type":"span","run":${JSON.stringify(runId)},${spanLineTail(span)}`;
}

/**
 * The lines of `spans` as one text, one line each ending in "\n", for one write: run `runId`, or each span's
 * trace id when null (as `frametail receive` files spans without a run).
 */
export function spanLinesJson(runId: string | null, spans: readonly Span[]): string {
  const head = runId === null ? '' : `{"type":"span","run":${JSON.stringify(runId)},`;
  let text = '';
  for (const span of spans) text += (runId === null ? `{"type":"span","run":${idJson(span.traceId)},` : head) + spanLineTail(span) + '\n';
  return text;
}

const STATUS_JSON: Record<string, string> = { unset: '"unset"', ok: '"ok"', error: '"error"' };
const HEX_ID = /^[0-9a-f]*$/;

/** An id as a JSON string: normalized ids are lowercase hex and need no escaping (anything else is escaped). */
function idJson(id: string): string {
  return HEX_ID.test(id) ? `"${id}"` : JSON.stringify(id);
}

/** Everything after `"run":…,` up to the closing brace. */
function spanLineTail(span: Span): string {
  const parent = span.parentSpanId === null ? 'null' : idJson(span.parentSpanId);
  return (
    `"traceId":${idJson(span.traceId)},"spanId":${idJson(span.spanId)},"parentSpanId":${parent},"name":${JSON.stringify(span.name)},` +
    `"startNs":"${span.startNs}","endNs":"${span.endNs}","status":${STATUS_JSON[span.status] ?? JSON.stringify(span.status)},"attributes":${attributesJson(span.attributes)}}`
  );
}

function attributesJson(attributes: Record<string, unknown>): string {
  try {
    return JSON.stringify(attributes);
  } catch (error) {
    // Only a bigint makes JSON.stringify throw a TypeError here (attributes hold parsed data, no cycles).
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(attributes, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  }
}

/** The span a results.jsonl line holds; the code location is re-read from the code.* attributes it kept. */
export function fromSpanLine(line: SpanLine): Span {
  const span: Span = {
    traceId: line.traceId,
    spanId: line.spanId,
    parentSpanId: line.parentSpanId ?? null,
    name: line.name,
    startNs: BigInt(line.startNs),
    endNs: BigInt(line.endNs),
    status: line.status,
    attributes: line.attributes,
  };
  const code = codeLocation(line.attributes);
  if (code) span.code = code;
  return span;
}
