/**
 * The latency recorded for a run (DESIGN §3): by default the root span's duration when spans arrived,
 * else the process's wall time. Span durations exclude process start-up and exporter flushing, which
 * is why they are preferred when the pipeline reports them. Every run records where its latency came
 * from and why, so a run that fell back to wall time is never mistaken for one timed by its spans.
 */
import { analyzeRun } from '../traces/analyze.js';
import type { Span } from '../traces/span.js';

/** Where a run's latency came from: the root span, the longest span of a name, or the process's wall time. */
export type LatencySource = 'root' | `span:${string}` | 'wall';

export interface RunLatency {
  latencyMs: number;
  source: LatencySource;
  /** Why, in words: which span, or why there was none ("no spans arrived", "trace file x.json could not be read: …"). */
  reason: string;
}

/** What the run's trace collection said besides its spans. */
export interface TraceContextOfRun {
  /** Trace files that could not be read, "name: why". */
  traceErrors?: readonly string[];
  /** How several trace files were merged. */
  traceNote?: string;
}

/**
 * The latency to record and where it came from. `root` is the root of the run's span tree as the
 * trace analysis builds it (the longest span without a parent among the run's spans), so the recorded
 * latency and the report's root span agree; `span:NAME` is the longest span of that name. Any source
 * falls back to wall time when the span it needs did not arrive, and says why.
 */
export function runLatency(source: string, spans: readonly Span[], wallMs: number, traces: TraceContextOfRun = {}): RunLatency {
  const unreadable = traces.traceErrors?.length ? `; trace file ${traces.traceErrors[0]}` : '';
  const merged = traces.traceNote ? `; ${traces.traceNote}` : '';
  if (source === 'wall') return { latencyMs: wallMs, source: 'wall', reason: 'run.latency is wall' };
  if (source === 'root') {
    if (spans.length > 0) {
      const analysis = analyzeRun(spans, { tree: false });
      const root = analysis.rootDurationMs;
      if (root !== null && root >= 0) {
        return { latencyMs: root, source: 'root', reason: `root span "${analysis.metrics[0]?.name ?? ''}"${merged}${unreadable}` };
      }
    }
    return { latencyMs: wallMs, source: 'wall', reason: `no spans arrived${unreadable}` };
  }
  if (source.startsWith('span:')) {
    const name = source.slice(5);
    const named = longest(spans.filter((s) => s.name === name));
    if (named && named.endNs >= named.startNs) {
      return { latencyMs: Number(named.endNs - named.startNs) / 1e6, source: `span:${name}`, reason: `longest "${name}" span${merged}${unreadable}` };
    }
    return { latencyMs: wallMs, source: 'wall', reason: `no span named "${name}" arrived${unreadable}` };
  }
  return { latencyMs: wallMs, source: 'wall', reason: `unknown run.latency "${source}"` };
}

function longest(spans: readonly Span[]): Span | undefined {
  let best: Span | undefined;
  for (const span of spans) if (!best || span.endNs - span.startNs > best.endNs - best.startNs) best = span;
  return best;
}
