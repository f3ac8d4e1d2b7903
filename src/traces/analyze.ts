import type { Span, SpanPathMetrics, TraceWarning } from './span.js';
import { buildSpanTree, type SpanTree } from './tree.js';
import { WarningSink } from './warnings.js';

/** One span in the analyzed tree (built only when asked for: a million nodes is a lot of objects). */
export interface SpanNode {
  span: Span;
  path: string;
  depth: number;
  /** Offset of the effective start from the root's start, and the effective duration, in ms. */
  startMs: number;
  durationMs: number;
  selfMs: number;
  criticalMs: number;
  children: SpanNode[];
}

export interface RunAnalysis {
  /** The root with every other span below it (empty when there are no spans or `tree: false`). */
  roots: SpanNode[];
  /** One entry per path of names, in depth-first order of first appearance. */
  metrics: SpanPathMetrics[];
  /** Paths from the root down the chain of children that finish last. */
  criticalPath: string[];
  rootDurationMs: number | null;
  warnings: TraceWarning[];
}

const NS_PER_MS = 1e6;

/**
 * Analyzes the spans of one run: span tree (repairs reported as warnings, see buildSpanTree), self time
 * (duration minus the union of the children's intervals), critical path (walking back from the end of each
 * span through the child that finished last before the cursor; the time between children is the parent's)
 * and per-path totals, the unit spans are compared by across runs.
 */
export function analyzeRun(spans: readonly Span[], options: { tree?: boolean } = {}): RunAnalysis {
  const sink = new WarningSink();
  const tree = buildSpanTree(spans, sink);
  if (tree.root < 0) return { roots: [], metrics: [], criticalPath: [], rootDurationMs: null, warnings: sink.finish() };

  const self = selfTimes(tree);
  const { critical, lastChild } = criticalTimes(tree);
  const paths = pathIds(tree, sink);
  const preorder = depthFirst(tree);

  const metrics: SpanPathMetrics[] = [];
  const metricOf = new Int32Array(paths.names.length).fill(-1);
  for (const i of preorder) {
    const id = paths.ofSpan[i]!;
    let m = metricOf[id]!;
    if (m < 0) {
      m = metricOf[id] = metrics.length;
      const entry: SpanPathMetrics = {
        path: paths.names[id]!, name: tree.spans[i]!.name, count: 0, totalMs: 0, selfMs: 0,
        criticalMs: 0, onCriticalPath: false, errors: 0,
      };
      metrics.push(entry);
    }
    const entry = metrics[m]!;
    const span = tree.spans[i]!;
    entry.count++;
    entry.totalMs += tree.duration[i]! / NS_PER_MS;
    entry.selfMs += self[i]! / NS_PER_MS;
    entry.criticalMs += critical[i]! / NS_PER_MS;
    if (span.status === 'error') entry.errors++;
    if (entry.code === undefined && span.code !== undefined) entry.code = span.code;
  }

  const criticalPath: string[] = [];
  for (let v = tree.root; v >= 0; v = lastChild[v]!) {
    const path = paths.names[paths.ofSpan[v]!]!;
    if (criticalPath[criticalPath.length - 1] !== path) criticalPath.push(path);
  }
  const onChain = new Set(criticalPath);
  for (const entry of metrics) entry.onCriticalPath = entry.criticalMs > 0 || onChain.has(entry.path);

  return {
    roots: options.tree === false ? [] : [buildNodes(tree, preorder, paths, self, critical)],
    metrics,
    criticalPath,
    rootDurationMs: (tree.end[tree.root]! - tree.start[tree.root]!) / NS_PER_MS,
    warnings: sink.finish(),
  };
}

/**
 * Granularity `coarse`: the pipeline's stages, in their original order. Spans a producer added on top of
 * the program (`producer`: framework ops and device lanes of a Chrome trace) never count; the others are
 * counted down from the root as "user levels": a real root is level 1, Frametail's own root (above several
 * top-level events or files) level 0, and each user span one more than its nearest user ancestor. Coarse
 * keeps the root and the user spans of levels 1 and 2: for an OTLP trace the root and its direct children
 * (orphans count as children of the root, as in the analysis), for a torch trace the user's first ranges
 * and the stages inside them, whatever ops the profiler put above or around them. The receiver applies it
 * too, so a chatty app cannot flood a coarse run.
 */
export function coarseFilter(spans: readonly Span[]): Span[] {
  const tree = buildSpanTree(spans, new WarningSink());
  if (tree.root < 0) return [];
  const level = new Int32Array(spans.length);
  const root = spans[tree.root]!;
  level[tree.root] = root.synthetic === true || root.producer === true ? 0 : 1;
  for (const v of tree.order) {
    if (v === tree.root) continue;
    level[v] = level[tree.parent[v]!]! + (spans[v]!.producer === true ? 0 : 1);
  }
  return spans.filter((span, i) => i === tree.root || (span.producer !== true && level[i]! <= 2));
}

/** Effective duration minus the union of the children's effective intervals (children sorted by start). */
function selfTimes(tree: SpanTree): Float64Array {
  const { start, end, childOffset, byStart } = tree;
  const self = new Float64Array(tree.spans.length);
  for (let v = 0; v < self.length; v++) {
    let covered = 0;
    let runStart = 0;
    let runEnd = -Infinity;
    for (let k = childOffset[v]!; k < childOffset[v + 1]!; k++) {
      const c = byStart[k]!;
      if (start[c]! > runEnd) {
        if (runEnd > runStart) covered += runEnd - runStart;
        runStart = start[c]!;
        runEnd = end[c]!;
      } else if (end[c]! > runEnd) runEnd = end[c]!;
    }
    if (runEnd > runStart) covered += runEnd - runStart;
    self[v] = end[v]! - start[v]! - covered;
  }
  return self;
}

/**
 * Critical time per span: from the end of a span, walk back; the child that ends last before the cursor is
 * on the path (clipped to the cursor), the gap after it belongs to the parent, and the cursor moves to that
 * child's start. Per span the times sum to the root's duration. `lastChild` is the first child chosen.
 */
function criticalTimes(tree: SpanTree): { critical: Float64Array; lastChild: Int32Array } {
  const { start, end, childOffset, byEndDesc } = tree;
  const critical = new Float64Array(tree.spans.length);
  const lastChild = new Int32Array(tree.spans.length).fill(-1);
  const stack: number[] = [tree.root, end[tree.root]!];
  while (stack.length > 0) {
    const until = stack.pop()!;
    const v = stack.pop()!;
    let cursor = until;
    for (let k = childOffset[v]!; k < childOffset[v + 1]!; k++) {
      const c = byEndDesc[k]!;
      if (start[c]! >= cursor) continue;
      const clippedEnd = Math.min(end[c]!, cursor);
      critical[v]! += cursor - clippedEnd;
      if (lastChild[v] === -1) lastChild[v] = c;
      stack.push(c, clippedEnd);
      cursor = start[c]!;
    }
    critical[v]! += Math.max(cursor - start[v]!, 0);
  }
  return { critical, lastChild };
}

/** Spans deeper than this share their ancestor's path plus "…": path strings stay short, cost stays linear in depth. */
export const MAX_PATH_DEPTH = 64;
export const FOLDED_SEGMENT = '…';

/**
 * A name as one segment of a path: "\\" and "/" inside it are escaped with a backslash, so
 * `decode/upsample` (one span) and `decode` › `upsample` (two) never share a path, and paths still read as
 * names joined by "/".
 */
export function pathSegment(name: string): string {
  return name.includes('/') || name.includes('\\') ? name.replace(/[\\/]/g, '\\$&') : name;
}

/** Interns "parent path/name" so a million spans share a few hundred path strings (no string built per span). */
function pathIds(tree: SpanTree, sink: WarningSink): { ofSpan: Int32Array; names: string[] } {
  const ofSpan = new Int32Array(tree.spans.length);
  const names: string[] = [];
  const childPaths: (Map<string, number> | undefined)[] = [];
  const roots = new Map<string, number>();
  let folded = 0;
  for (const v of tree.order) {
    const p = tree.parent[v]!;
    if (p >= 0 && tree.depth[v]! > MAX_PATH_DEPTH + 1) {
      ofSpan[v] = ofSpan[p]!;
      folded++;
      continue;
    }
    const deep = p >= 0 && tree.depth[v]! === MAX_PATH_DEPTH + 1;
    if (deep) folded++;
    const name = deep ? FOLDED_SEGMENT : tree.spans[v]!.name;
    let siblings = p < 0 ? roots : childPaths[ofSpan[p]!];
    if (siblings === undefined) childPaths[ofSpan[p]!] = siblings = new Map();
    let id = siblings.get(name);
    if (id === undefined) {
      id = names.length;
      siblings.set(name, id);
      names.push(p < 0 ? pathSegment(name) : `${names[ofSpan[p]!]!}/${deep ? name : pathSegment(name)}`);
      childPaths.push(undefined);
    }
    ofSpan[v] = id;
  }
  if (folded > 0) sink.add('deep', `${folded} spans lie deeper than ${MAX_PATH_DEPTH} levels; each is counted under its ancestor's path followed by "/${FOLDED_SEGMENT}"`);
  return { ofSpan, names };
}

/** Spans in depth-first order, children by start time. */
function depthFirst(tree: SpanTree): Int32Array {
  const out = new Int32Array(tree.spans.length);
  const stack = [tree.root];
  let n = 0;
  while (stack.length > 0) {
    const v = stack.pop()!;
    out[n++] = v;
    for (let k = tree.childOffset[v + 1]! - 1; k >= tree.childOffset[v]!; k--) stack.push(tree.byStart[k]!);
  }
  return out;
}

function buildNodes(
  tree: SpanTree,
  preorder: Int32Array,
  paths: { ofSpan: Int32Array; names: string[] },
  self: Float64Array,
  critical: Float64Array,
): SpanNode {
  const nodes: SpanNode[] = new Array(tree.spans.length);
  const origin = tree.start[tree.root]!;
  for (const v of preorder) {
    const node: SpanNode = {
      span: tree.spans[v]!,
      path: paths.names[paths.ofSpan[v]!]!,
      depth: tree.depth[v]!,
      startMs: (tree.start[v]! - origin) / NS_PER_MS,
      durationMs: (tree.end[v]! - tree.start[v]!) / NS_PER_MS,
      selfMs: self[v]! / NS_PER_MS,
      criticalMs: critical[v]! / NS_PER_MS,
      children: [],
    };
    nodes[v] = node;
    const p = tree.parent[v]!;
    if (p >= 0) nodes[p]!.children.push(node);
  }
  return nodes[tree.root]!;
}
