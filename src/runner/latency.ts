/**
 * The latency recorded for a run (DESIGN §3): by default the root span's duration when spans arrived,
 * else the process's wall time. Span durations exclude process start-up and exporter flushing, which
 * is why they are preferred when the pipeline reports them.
 */
import { analyzeRun } from '../traces/analyze.js';
import type { Span } from '../traces/span.js';

/**
 * The latency to record and where it came from. `root` is the root of the run's span tree as the
 * trace analysis builds it (the longest span without a parent among the run's spans), so the recorded
 * latency and the report's root span agree; `span:NAME` is the longest span of that name. Any source
 * falls back to wall time when the span it needs did not arrive.
 */
export function runLatencyMs(source: string, spans: readonly Span[], wallMs: number): { latencyMs: number; from: 'wall' | 'span' } {
  if (source === 'root' && spans.length > 0) {
    const root = analyzeRun(spans, { tree: false }).rootDurationMs;
    if (root !== null && root >= 0) return { latencyMs: root, from: 'span' };
  }
  if (source.startsWith('span:')) {
    const named = longest(spans.filter((s) => s.name === source.slice(5)));
    if (named && named.endNs >= named.startNs) return { latencyMs: Number(named.endNs - named.startNs) / 1e6, from: 'span' };
  }
  return { latencyMs: wallMs, from: 'wall' };
}

function longest(spans: readonly Span[]): Span | undefined {
  let best: Span | undefined;
  for (const span of spans) if (!best || span.endNs - span.startNs > best.endNs - best.startNs) best = span;
  return best;
}
