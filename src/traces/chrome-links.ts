import type { EventColumns, Nesting } from './chrome.js';

/** One end (or step) of a flow arrow: `s` start, `t` step, `f` finish; an arrow is its category and id. */
export interface FlowPoint {
  cat: unknown;
  id: unknown;
  ph: 's' | 't' | 'f';
  ts: number;
  thread: number;
  /** `bp: "e"`: binds to the enclosing slice; otherwise a finish binds to the next slice that starts. */
  enclosing: boolean;
}

/** How far up from a flow's source the search for a still-running ancestor goes (bounded: no input-sized walk per flow). */
const MAX_CLIMB = 256;

/**
 * Flow arrows (Kineto's `ac2g` from `cudaLaunchKernel` to the kernel, Perfetto's flows between threads):
 * the target slice, when it is top-level on its own lane, becomes a child of the source slice, or of the
 * nearest ancestor of the source that is still running when the target ends (asynchronous work belongs to
 * the range that waits for it, not to the launch call that returned at once).
 */
export function bindFlows(columns: EventColumns, nesting: Nesting, pidOfThread: readonly unknown[]): void {
  const { flows } = columns;
  if (flows.length === 0) return;
  const { parentOf, tolerance } = nesting;
  const { start, end, thread } = columns;
  const bound = bindPoints(columns, nesting);
  // Category → id → the slice the arrow starts from (ids are numbers or strings: no key string built per arrow).
  const sourceOf = new Map<unknown, Map<unknown, number>>();
  for (let k = 0; k < flows.length; k++) {
    const flow = flows[k]!;
    if (flow.ph !== 's' || bound[k]! < 0) continue;
    let ids = sourceOf.get(flow.cat);
    if (!ids) sourceOf.set(flow.cat, (ids = new Map()));
    if (!ids.has(flow.id)) ids.set(flow.id, bound[k]!);
  }
  const links: { source: number; target: number; parent: number }[] = [];
  for (let k = 0; k < flows.length; k++) {
    const flow = flows[k]!;
    const target = bound[k]!;
    if (flow.ph !== 'f' || target < 0 || parentOf[target] !== -1) continue;
    const source = sourceOf.get(flow.cat)?.get(flow.id);
    if (source === undefined || thread[source] === thread[target]) continue;
    let parent = -1;
    let steps = 0;
    for (let a = source; a >= 0 && steps < MAX_CLIMB; a = parentOf[a]!, steps++) {
      if (a === target) {
        parent = -1;
        break;
      }
      parent = a;
      if (end[a]! + tolerance >= end[target]! && start[a]! <= start[target]! + tolerance) break;
    }
    if (parent >= 0) links.push({ source, target, parent });
  }
  waitingParents(columns, nesting, pidOfThread, links);
  for (const { target, parent } of links) parentOf[target] = parent;
}

/**
 * Within one process, the range that waits for a flow's target (e.g. `future.wait` on the main thread while a
 * worker decodes) is the deepest event of the source's thread that contains the target; it becomes the
 * parent when it lies below the ancestor chosen from the source, so the wait is the work's time.
 */
function waitingParents(
  columns: EventColumns,
  nesting: Nesting,
  pidOfThread: readonly unknown[],
  links: { source: number; target: number; parent: number }[],
): void {
  const { start, end, thread } = columns;
  const byThread = new Map<number, number[]>();
  links.forEach((link, k) => {
    const t = thread[link.source]!;
    if (pidOfThread[t] !== pidOfThread[thread[link.target]!]) return;
    let list = byThread.get(t);
    if (!list) byThread.set(t, (list = []));
    list.push(k);
  });
  for (const [t, list] of byThread) {
    list.sort((a, b) => start[links[a]!.target]! - start[links[b]!.target]! || a - b);
    const slice = nesting.order.subarray(nesting.threadOffset[t]!, nesting.threadOffset[t + 1]!);
    const queries = list.map((k) => ({ s: start[links[k]!.target]!, e: end[links[k]!.target]! }));
    const found = deepestContaining(columns, slice, nesting, queries);
    for (let q = 0; q < list.length; q++) {
      const link = links[list[q]!]!;
      let steps = 0;
      for (let a = found[q]!; a >= 0 && steps < MAX_CLIMB; a = nesting.parentOf[a]!, steps++) {
        if (a === link.target) break;
        if (a === link.parent) {
          link.parent = found[q]!;
          break;
        }
      }
    }
  }
}

/** The slice each flow point binds to on its thread, -1 when none. */
function bindPoints(columns: EventColumns, nesting: Nesting): Int32Array {
  const { flows, start } = columns;
  const { order, threadOffset } = nesting;
  const bound = new Int32Array(flows.length).fill(-1);
  const byThread = new Map<number, number[]>();
  for (let k = 0; k < flows.length; k++) {
    let list = byThread.get(flows[k]!.thread);
    if (!list) byThread.set(flows[k]!.thread, (list = []));
    list.push(k);
  }
  for (const [thread, list] of byThread) {
    if (thread + 1 >= threadOffset.length) continue;
    const slice = order.subarray(threadOffset[thread]!, threadOffset[thread + 1]!);
    let sorted = true;
    for (let q = 1; q < list.length && sorted; q++) sorted = flows[list[q - 1]!]!.ts <= flows[list[q]!]!.ts;
    if (!sorted) list.sort((a, b) => flows[a]!.ts - flows[b]!.ts || a - b);
    const enclosing = list.filter((k) => flows[k]!.ph !== 'f' || flows[k]!.enclosing);
    const queries = enclosing.map((k) => ({ s: flows[k]!.ts, e: flows[k]!.ts }));
    const found = deepestContaining(columns, slice, nesting, queries);
    for (let q = 0; q < enclosing.length; q++) bound[enclosing[q]!] = found[q]!;
    for (const k of list) {
      if (flows[k]!.ph !== 'f' || flows[k]!.enclosing) continue;
      // The next slice that starts at or after the point: binary search over the thread's start times.
      let lo = 0;
      let hi = slice.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (start[slice[mid]!]! < flows[k]!.ts) lo = mid + 1;
        else hi = mid;
      }
      if (lo < slice.length) bound[k] = slice[lo]!;
    }
  }
  return bound;
}

/**
 * For each query interval (sorted by start), the deepest event of one thread's slice (sorted by start,
 * longer first) that contains it within the nesting tolerance; -1 when none. One sweep with a stack of open
 * events and a binary search in it: linear in the slice plus log depth per query.
 */
export function deepestContaining(columns: EventColumns, slice: Int32Array, nesting: Nesting, queries: { s: number; e: number }[]): Int32Array {
  const { start, end } = columns;
  const tolerance = nesting.tolerance;
  const out = new Int32Array(queries.length).fill(-1);
  const stack: number[] = [];
  let k = 0;
  for (let q = 0; q < queries.length; q++) {
    const { s, e } = queries[q]!;
    while (k < slice.length && start[slice[k]!]! <= s) {
      const i = slice[k++]!;
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (end[top]! > start[i]! && end[top]! + tolerance >= end[i]!) break;
        stack.pop();
      }
      stack.push(i);
    }
    while (stack.length > 0 && end[stack[stack.length - 1]!]! + tolerance < s) stack.pop();
    // Ends do not grow up the stack (each entry contains the next): the deepest one still open at e.
    let lo = 0;
    let hi = stack.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (end[stack[mid]!]! + tolerance >= e) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) out[q] = stack[lo - 1]!;
  }
  return out;
}

/**
 * Work on other threads of a process that the main thread waits for: a top-level event on another thread
 * goes under the deepest event of the process's main thread (the thread holding the longest top-level
 * event) that contains it, so the wait is the work's time, not the waiting parent's own.
 */
export function parentsAcrossThreads(columns: EventColumns, nesting: Nesting, pidOfThread: readonly unknown[]): void {
  const { start, end } = columns;
  const { order, threadOffset, parentOf } = nesting;
  const threadCount = threadOffset.length - 1;
  const longestTop = new Float64Array(threadCount).fill(-1);
  for (let i = 0; i < start.length; i++) {
    if (parentOf[i] !== -1) continue;
    const t = columns.thread[i]!;
    if (end[i]! - start[i]! > longestTop[t]!) longestTop[t] = end[i]! - start[i]!;
  }
  const mainOf = new Map<unknown, number>();
  for (let t = 0; t < threadCount; t++) {
    if (longestTop[t]! < 0) continue;
    const main = mainOf.get(pidOfThread[t]);
    if (main === undefined || longestTop[t]! > longestTop[main]!) mainOf.set(pidOfThread[t], t);
  }
  const queriesOf = new Map<number, number[]>();
  for (let i = 0; i < start.length; i++) {
    if (parentOf[i] !== -1) continue;
    const main = mainOf.get(pidOfThread[columns.thread[i]!]);
    if (main === undefined || main === columns.thread[i]) continue;
    let list = queriesOf.get(main);
    if (!list) queriesOf.set(main, (list = []));
    list.push(i);
  }
  for (const [main, list] of queriesOf) {
    list.sort((a, b) => start[a]! - start[b]! || a - b);
    const slice = order.subarray(threadOffset[main]!, threadOffset[main + 1]!);
    const found = deepestContaining(columns, slice, nesting, list.map((i) => ({ s: start[i]!, e: end[i]! })));
    for (let q = 0; q < list.length; q++) if (found[q]! >= 0) parentOf[list[q]!] = found[q]!;
  }
}
