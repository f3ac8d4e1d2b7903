/**
 * Waterfall data for the HTML report: the spans of each side's median run, filled for cells that
 * regressed, so a reader sees where the time went in a typical run of each side.
 */
import type { RunLine } from '../results/format.js';
import type { WaterfallSpan } from '../report/model.js';
import type { SpanNode } from '../traces/analyze.js';

export type WaterfallOf = (runId: string) => WaterfallSpan[] | undefined;

/**
 * Depth-first list of an analysed run's spans, offsets from the root's start. Iterative: a trace's depth
 * is input, and a 100,000-deep chain must not overflow the stack.
 */
export function waterfallFromTree(roots: readonly SpanNode[]): WaterfallSpan[] {
  const out: WaterfallSpan[] = [];
  const stack = [...roots].reverse();
  for (let node = stack.pop(); node; node = stack.pop()) {
    out.push({
      path: node.path,
      name: node.span.name,
      depth: node.depth,
      startMs: node.startMs,
      durationMs: node.durationMs,
      status: node.span.status,
      onCriticalPath: node.criticalMs > 0,
    });
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out;
}

/**
 * The run whose latency is the (lower) median among completed runs that have spans; when none completed,
 * the first run with spans (a failing run still shows how far it got).
 */
export function medianRunWithSpans(runs: readonly RunLine[], hasSpans: (runId: string) => boolean): RunLine | undefined {
  const withSpans = runs.filter((r) => hasSpans(r.id));
  const completed = withSpans.filter((r) => r.status === 'completed').sort((a, b) => (a.latencyMs ?? 0) - (b.latencyMs ?? 0) || (a.id < b.id ? -1 : 1));
  if (completed.length > 0) return completed[(completed.length - 1) >> 1];
  return withSpans[0];
}
