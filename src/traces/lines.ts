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
