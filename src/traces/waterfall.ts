import type { RunAnalysis, SpanNode } from './analyze.js';

/** One bar of a run's waterfall; the report model's WaterfallSpan. */
export interface WaterfallBar {
  path: string;
  name: string;
  depth: number;
  /** Offset from the run's root start, and duration, in ms. */
  startMs: number;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  onCriticalPath: boolean;
}

/**
 * The analyzed tree as waterfall bars in depth-first order, at most `maxBars`: whole deeper levels are left
 * out first (a reader wants the outline before the leaves), then the tail is cut. Needs an analysis built
 * with the tree (the default of analyzeRun).
 */
export function waterfallBars(analysis: RunAnalysis, maxBars = 200): WaterfallBar[] {
  const all: WaterfallBar[] = [];
  const perDepth: number[] = [];
  const stack: SpanNode[] = [...analysis.roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    all.push({
      path: node.path, name: node.span.name, depth: node.depth, startMs: node.startMs, durationMs: node.durationMs,
      status: node.span.status, onCriticalPath: node.criticalMs > 0,
    });
    perDepth[node.depth] = (perDepth[node.depth] ?? 0) + 1;
    for (let k = node.children.length - 1; k >= 0; k--) stack.push(node.children[k]!);
  }
  let maxDepth = -1;
  for (let total = 0; maxDepth + 1 < perDepth.length && total + perDepth[maxDepth + 1]! <= maxBars; maxDepth++) {
    total += perDepth[maxDepth + 1]!;
  }
  return all.filter((bar) => bar.depth <= Math.max(maxDepth, 0)).slice(0, maxBars);
}
