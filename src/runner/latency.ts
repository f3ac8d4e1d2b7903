/**
 * The latency recorded for a run (DESIGN §3): by default the root span's duration when spans arrived,
 * else the process's wall time. Span durations exclude process start-up and exporter flushing, which
 * is why they are preferred when the pipeline reports them.
 */
import type { Span } from '../traces/span.js';

export type LatencySource = 'wall' | 'root' | `span:${string}`;

/**
 * The root span of a run: a span whose parent is not among the run's spans (the app's parent is
 * Frametail's TRACEPARENT span, which is never exported). With several, the longest one wins.
 */
export function rootSpan(spans: readonly Span[]): Span | undefined {
  const ids = new Set(spans.map((span) => span.spanId));
  return longest(spans.filter((span) => span.parentSpanId === null || !ids.has(span.parentSpanId)));
}

/** Milliseconds of a span, from its nanosecond times. */
export function spanMs(span: Span): number {
  return Number(span.endNs - span.startNs) / 1e6;
}

/**
 * The latency to record and where it came from. `span:NAME` takes the longest span of that name.
 * Any source falls back to wall time when the span it needs did not arrive.
 */
export function runLatencyMs(source: string, spans: readonly Span[], wallMs: number): { latencyMs: number; from: 'wall' | 'span' } {
  const span = source === 'root' ? rootSpan(spans) : source.startsWith('span:') ? longest(spans.filter((s) => s.name === source.slice(5))) : undefined;
  if (!span || span.endNs < span.startNs) return { latencyMs: wallMs, from: 'wall' };
  return { latencyMs: spanMs(span), from: 'span' };
}

function longest(spans: readonly Span[]): Span | undefined {
  let best: Span | undefined;
  for (const span of spans) if (!best || span.endNs - span.startNs > best.endNs - best.startNs) best = span;
  return best;
}
