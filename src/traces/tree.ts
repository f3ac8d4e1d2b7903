import type { Span } from './span.js';
import type { WarningSink } from './warnings.js';

/**
 * The span tree of one run in flat typed arrays (a million spans cost a few tens of MB, not a million
 * objects). Indices refer to `spans`. Times are nanoseconds relative to the earliest start, as doubles:
 * exact for runs shorter than 104 days.
 */
export interface SpanTree {
  spans: readonly Span[];
  /** Index of the root span; -1 when there are no spans. */
  root: number;
  /** Parent index; -1 for the root. Orphans and extra roots hang off the root, cycles are broken. */
  parent: Int32Array;
  depth: Int32Array;
  /** Parents before children (breadth-first from the root). */
  order: Int32Array;
  /** Children of i: byStart/byEndDesc[childOffset[i] .. childOffset[i + 1]). */
  childOffset: Int32Array;
  /** Children ordered by effective start, ascending. */
  byStart: Int32Array;
  /** Children ordered by effective end, descending. */
  byEndDesc: Int32Array;
  /** The span's own duration after repairing negative durations. */
  duration: Float64Array;
  /** Effective interval: shifted for clock skew, then clipped to the parent's effective interval. */
  start: Float64Array;
  end: Float64Array;
}

/**
 * Builds the tree and repairs what real traces get wrong, each repair reported to `sink`:
 * negative durations (end := start), duplicate span ids (the first one keeps the id; later ones keep their
 * own parent but cannot be parents), missing parents (`orphan`, attached to the root), several roots (the
 * longest is the root, the others are attached to it), cycles (broken by attaching the node where the
 * walk closed to the root) and clock skew (a child from another process lying outside its parent is
 * shifted inside when it fits; any child is clipped to its parent for self time and critical path).
 */
export function buildSpanTree(spans: readonly Span[], sink: WarningSink): SpanTree {
  const n = spans.length;
  const rawStart = new Float64Array(n);
  const rawEnd = new Float64Array(n);
  const parent = new Int32Array(n);
  if (n === 0) return emptyTree(spans);

  const hint = parentHints.get(spans);
  if (hint && hint.parent.length === n) {
    // A parser that knows each span's parent index and relative times hands them over (Chrome traces):
    // no id map, no bigint arithmetic per span.
    parent.set(hint.parent);
    rawStart.set(hint.start);
    rawEnd.set(hint.end);
    for (let i = 0; i < n; i++) {
      if (rawEnd[i]! < rawStart[i]!) {
        sink.add('negative-duration', `span "${spans[i]!.name}" ends before it starts; duration set to 0`, spans[i]!.spanId);
        rawEnd[i] = rawStart[i]!;
      }
    }
  } else {
    resolveParents(spans, sink, parent, rawStart, rawEnd);
  }

  const root = chooseRoot(parent, rawStart, rawEnd, sink, spans);
  for (let i = 0; i < n; i++) {
    if (i === root) continue;
    if (parent[i] === -1) {
      sink.add('orphan', `second root "${spans[i]!.name}" attached to the root`, spans[i]!.spanId);
      parent[i] = root;
    } else if (parent[i] === -2) {
      sink.add('orphan', `parent ${spans[i]!.parentSpanId} of "${spans[i]!.name}" not found; attached to the root`, spans[i]!.spanId);
      parent[i] = root;
    }
  }
  parent[root] = -1;
  breakCycles(parent, root, spans, sink);

  const childOffset = childOffsets(parent, root);
  const unsorted = fillChildren(parent, root, childOffset, identity(n));
  const { order, depth } = breadthFirst(root, childOffset, unsorted, n);
  const { start, end } = effectiveIntervals(spans, parent, order, rawStart, rawEnd, sink);
  const duration = new Float64Array(n);
  for (let i = 0; i < n; i++) duration[i] = rawEnd[i]! - rawStart[i]!;

  return {
    spans,
    root,
    parent,
    depth,
    order,
    childOffset,
    byStart: sortChildren(childOffset, unsorted.slice(), (a, b) => start[a]! - start[b]! || a - b),
    byEndDesc: sortChildren(childOffset, unsorted, (a, b) => end[b]! - end[a]! || a - b),
    duration,
    start,
    end,
  };
}

/**
 * What a parser already knows about a spans array it produced: each span's parent index (-1 for none) and
 * its start and end in ns relative to the earliest start. Keyed by the array, so any array derived from it
 * (filtered, merged) falls back to resolving ids.
 */
export interface ParentHint {
  parent: Int32Array;
  start: Float64Array;
  end: Float64Array;
}
export const parentHints = new WeakMap<readonly Span[], ParentHint>();

/** Parent indices from span ids (-1: no parent given; -2: parent not in this run) and relative times, repairs reported. */
function resolveParents(spans: readonly Span[], sink: WarningSink, parent: Int32Array, rawStart: Float64Array, rawEnd: Float64Array): void {
  const n = spans.length;
  let minStart = spans[0]!.startNs;
  for (const s of spans) if (s.startNs < minStart) minStart = s.startNs;
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    rawStart[i] = Number(s.startNs - minStart);
    rawEnd[i] = Number(s.endNs - minStart);
    if (rawEnd[i]! < rawStart[i]!) {
      sink.add('negative-duration', `span "${s.name}" ends before it starts; duration set to 0`, s.spanId);
      rawEnd[i] = rawStart[i]!;
    }
    if (indexOf.has(s.spanId)) sink.add('duplicate-span-id', `span id ${s.spanId} ("${s.name}") occurs more than once`, s.spanId);
    else indexOf.set(s.spanId, i);
  }
  // -1: no parent given; -2: parent not in this run.
  for (let i = 0; i < n; i++) {
    const p = spans[i]!.parentSpanId;
    parent[i] = p === null ? -1 : (indexOf.get(p) ?? -2);
  }
}

function emptyTree(spans: readonly Span[]): SpanTree {
  const none = new Int32Array(0);
  return {
    spans, root: -1, parent: none, depth: none, order: none, childOffset: new Int32Array(1),
    byStart: none, byEndDesc: none, duration: new Float64Array(0), start: new Float64Array(0), end: new Float64Array(0),
  };
}

/** The longest span without a parent (ties: earliest, then first); else the longest orphan; else the longest span (all in cycles). */
function chooseRoot(parent: Int32Array, start: Float64Array, end: Float64Array, sink: WarningSink, spans: readonly Span[]): number {
  for (const wanted of [-1, -2, null]) {
    let best = -1;
    for (let i = 0; i < parent.length; i++) {
      if (wanted !== null && parent[i] !== wanted) continue;
      if (best < 0) best = i;
      else {
        const d = end[i]! - start[i]! - (end[best]! - start[best]!);
        if (d > 0 || (d === 0 && start[i]! < start[best]!)) best = i;
      }
    }
    if (best >= 0) {
      if (wanted === null) sink.add('cycle', `every span has a parent; "${spans[best]!.name}" taken as the root`, spans[best]!.spanId);
      return best;
    }
  }
  return 0;
}

/** Walks every parent chain; a chain that closes on itself is cut where it closed (that node goes under the root). */
function breakCycles(parent: Int32Array, root: number, spans: readonly Span[], sink: WarningSink): void {
  const n = parent.length;
  const state = new Uint8Array(n); // 0 unknown, 1 reaches the root, 2 on the current walk
  state[root] = 1;
  const path: number[] = [];
  for (let i = 0; i < n; i++) {
    let v = i;
    while (state[v] === 0) {
      state[v] = 2;
      path.push(v);
      v = parent[v]!;
    }
    if (state[v] === 2) {
      sink.add('cycle', `parent links of "${spans[v]!.name}" form a cycle; attached to the root`, spans[v]!.spanId);
      parent[v] = root;
    }
    for (const u of path) state[u] = 1;
    path.length = 0;
  }
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Sorts each parent's slice of `children` in place; slices already in order (the common case) cost one pass. */
function sortChildren(offset: Int32Array, children: Int32Array, compare: (a: number, b: number) => number): Int32Array {
  for (let v = 0; v + 1 < offset.length; v++) {
    const from = offset[v]!;
    const to = offset[v + 1]!;
    if (to - from <= 16) {
      // Insertion sort in place: most parents have a handful of children, and a subarray + sort per parent costs more.
      for (let k = from + 1; k < to; k++) {
        const c = children[k]!;
        let j = k - 1;
        while (j >= from && compare(children[j]!, c) > 0) {
          children[j + 1] = children[j]!;
          j--;
        }
        children[j + 1] = c;
      }
      continue;
    }
    let sorted = true;
    for (let k = from + 1; k < to && sorted; k++) sorted = compare(children[k - 1]!, children[k]!) <= 0;
    if (!sorted) children.subarray(from, to).sort(compare);
  }
  return children;
}

function childOffsets(parent: Int32Array, root: number): Int32Array {
  const offset = new Int32Array(parent.length + 1);
  for (let i = 0; i < parent.length; i++) if (i !== root) offset[parent[i]! + 1]!++;
  for (let i = 0; i < parent.length; i++) offset[i + 1]! += offset[i]!;
  return offset;
}

/** Children grouped by parent, each group in the order the nodes appear in `sequence`. */
function fillChildren(parent: Int32Array, root: number, offset: Int32Array, sequence: Int32Array): Int32Array {
  const cursor = offset.slice(0, parent.length);
  const out = new Int32Array(Math.max(parent.length - 1, 0));
  for (const i of sequence) if (i !== root) out[cursor[parent[i]!]!++] = i;
  return out;
}

function breadthFirst(root: number, offset: Int32Array, children: Int32Array, n: number) {
  const order = new Int32Array(n);
  const depth = new Int32Array(n);
  order[0] = root;
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const v = order[head]!;
    for (let k = offset[v]!; k < offset[v + 1]!; k++) {
      const c = children[k]!;
      depth[c] = depth[v]! + 1;
      order[tail++] = c;
    }
  }
  return { order, depth };
}

/** Same process when service, instance, pid and host agree; spans without a resource count as one process. */
function processKeyOf(cache: WeakMap<object, string>, resource: Record<string, unknown> | undefined): string {
  if (!resource) return '';
  let key = cache.get(resource);
  if (key === undefined) {
    key = ['service.name', 'service.instance.id', 'process.pid', 'host.name'].map((k) => String(resource[k] ?? '')).join('\u0000');
    cache.set(resource, key);
  }
  return key;
}

function effectiveIntervals(
  spans: readonly Span[],
  parent: Int32Array,
  order: Int32Array,
  rawStart: Float64Array,
  rawEnd: Float64Array,
  sink: WarningSink,
) {
  const n = spans.length;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const shift = new Float64Array(n);
  const keys = new WeakMap<object, string>();
  for (const c of order) {
    const p = parent[c]!;
    if (p < 0) {
      start[c] = rawStart[c]!;
      end[c] = rawEnd[c]!;
      continue;
    }
    shift[c] = shift[p]!;
    let s = rawStart[c]! + shift[c]!;
    let e = rawEnd[c]! + shift[c]!;
    const ps = start[p]!;
    const pe = end[p]!;
    if ((s < ps || e > pe) && e - s <= pe - ps) {
      const child = spans[c]!;
      if (processKeyOf(keys, child.resource) !== processKeyOf(keys, spans[p]!.resource)) {
        const delta = s < ps ? ps - s : pe - e;
        shift[c]! += delta;
        s += delta;
        e += delta;
        sink.add('clock-skew', `"${child.name}" (another process) lay ${Math.abs(delta) / 1e6} ms outside its parent; shifted inside`, child.spanId);
      }
    }
    start[c] = Math.min(Math.max(s, ps), pe);
    end[c] = Math.min(Math.max(e, start[c]!), pe);
  }
  return { start, end };
}
