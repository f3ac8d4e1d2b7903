import type { Span, TraceWarning } from './span.js';
import { codeLocation } from './normalize.js';
import { WarningSink } from './warnings.js';

/** Name of the span Frametail adds above a Chrome trace that has more than one top-level event. */
export const CHROME_ROOT_NAME = 'trace';

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

interface ChromeEvent {
  ph?: unknown;
  name?: unknown;
  ts?: unknown;
  dur?: unknown;
  pid?: unknown;
  tid?: unknown;
  args?: unknown;
}

/**
 * Chrome Trace Event JSON (PyTorch profiler, Perfetto, chrome://tracing), object form
 * `{"traceEvents":[…]}` or bare array, → spans. Complete (`X`) and duration (`B`/`E`) events become spans;
 * other phases (instant, counter, metadata, flow, async) carry no nesting and are skipped. Times are
 * microseconds (fractions allowed). Chrome events have no ids or parent links: nesting comes from time
 * containment within one thread (pid, tid), spans get sequential ids, and when the trace has more than one
 * top-level event a root named "trace" spanning all of them is added. `traceId` is derived from `file`.
 */
export function spansFromChromeTrace(document: unknown, file: string, warnings: TraceWarning[]): Span[] {
  const events = Array.isArray(document) ? document : (document as { traceEvents?: unknown } | null)?.traceEvents;
  if (!Array.isArray(events)) throw new Error(`${file}: not a Chrome trace (no traceEvents array)`);
  const sink = new WarningSink(warnings);
  const threads = new ThreadTable();
  const columns = collectEvents(events as ChromeEvent[], threads, sink, file);
  const spans = nestPerThread(columns, threads, file);
  sink.finish();
  return spans;
}

/** Events as parallel arrays of primitives (no per-event objects beyond the parsed JSON itself). */
interface EventColumns {
  start: number[]; // µs
  end: number[];
  thread: number[];
  name: string[];
  args: (Record<string, unknown> | undefined)[];
}

class ThreadTable {
  readonly resources: Record<string, unknown>[] = [];
  private readonly index = new Map<string, number>();
  private lastPid: unknown;
  private lastTid: unknown;
  private last = -1;

  /** Index of the (pid, tid) thread; its resource carries pid and tid so clock-skew checks can tell processes apart. */
  of(pid: unknown, tid: unknown): number {
    // Consecutive events usually share a thread: skip building the key.
    if (this.last >= 0 && pid === this.lastPid && tid === this.lastTid) return this.last;
    this.lastPid = pid;
    this.lastTid = tid;
    this.last = this.lookup(pid, tid);
    return this.last;
  }

  private lookup(pid: unknown, tid: unknown): number {
    const key = `${String(pid)}\u0000${String(tid)}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.resources.length;
      this.index.set(key, i);
      this.resources.push({ 'process.pid': pid ?? null, 'thread.id': tid ?? null });
    }
    return i;
  }
}

function collectEvents(events: ChromeEvent[], threads: ThreadTable, sink: WarningSink, file: string): EventColumns {
  const columns: EventColumns = { start: [], end: [], thread: [], name: [], args: [] };
  // Open B events per thread: stacks of indices into `columns`.
  const open = new Map<number, number[]>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e === null || typeof e !== 'object') continue;
    const ph = e.ph;
    if (ph !== 'X' && ph !== 'B' && ph !== 'E') continue;
    const ts = typeof e.ts === 'number' ? e.ts : Number(e.ts);
    if (!Number.isFinite(ts)) {
      sink.add('unparsable', `${file}: traceEvents[${i}] has no numeric ts; skipped`);
      continue;
    }
    const thread = threads.of(e.pid, e.tid);
    if (ph === 'E') {
      const stack = open.get(thread);
      const b = stack?.pop();
      if (b === undefined) {
        sink.add('unparsable', `${file}: traceEvents[${i}] is an E event without a matching B; skipped`);
        continue;
      }
      columns.end[b] = ts;
      if (isRecord(e.args)) columns.args[b] = { ...columns.args[b], ...e.args };
      continue;
    }
    const dur = ph === 'X' ? (typeof e.dur === 'number' ? e.dur : Number(e.dur ?? 0)) : NaN;
    columns.start.push(ts);
    columns.end.push(ph === 'X' ? ts + (Number.isFinite(dur) ? dur : 0) : NaN);
    columns.thread.push(thread);
    columns.name.push(typeof e.name === 'string' ? e.name : String(e.name ?? ''));
    columns.args.push(isRecord(e.args) ? e.args : undefined);
    if (ph === 'B') {
      let stack = open.get(thread);
      if (!stack) open.set(thread, (stack = []));
      stack.push(columns.start.length - 1);
    }
  }
  // B events never closed end at the last timestamp seen on their thread.
  const lastTs = new Map<number, number>();
  for (let i = 0; i < columns.start.length; i++) {
    const t = columns.thread[i]!;
    const latest = Math.max(columns.start[i]!, Number.isNaN(columns.end[i]!) ? -Infinity : columns.end[i]!);
    if (latest > (lastTs.get(t) ?? -Infinity)) lastTs.set(t, latest);
  }
  for (const stack of open.values()) {
    for (const b of stack) {
      sink.add('unparsable', `${file}: B event "${columns.name[b]}" has no E; ended at the thread's last timestamp`);
      columns.end[b] = lastTs.get(columns.thread[b]!) ?? columns.start[b]!;
    }
  }
  return columns;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Parents from containment per thread: events sorted by start (longer first), a stack of the open intervals that contain the next one. */
function nestPerThread(columns: EventColumns, threads: ThreadTable, file: string): Span[] {
  const n = columns.start.length;
  const traceId = hexHash(file);
  const { start, end, thread } = columns;
  const order = byThreadThenTime(columns, threads.resources.length);

  const parentOf = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  let topLevel = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (k > 0 && thread[order[k - 1]!] !== thread[i]) stack.length = 0;
    // The innermost open event that contains this one; partial overlaps are siblings, not parents.
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (end[top]! > start[i]! && end[top]! >= end[i]!) break;
      stack.pop();
    }
    if (stack.length > 0) parentOf[i] = stack[stack.length - 1]!;
    else topLevel++;
    stack.push(i);
  }

  const syntheticRoot = topLevel > 1;
  const ids = new Array<string>(n + 1);
  for (let i = 0; i <= n; i++) ids[i] = spanIdOf(i);
  const rootId = ids[n]!;
  const spans: Span[] = new Array(n);
  let minStart = Infinity;
  let maxEnd = -Infinity;
  for (let i = 0; i < n; i++) {
    const attributes = columns.args[i] ?? EMPTY;
    const p = parentOf[i]!;
    const span: Span = {
      traceId,
      spanId: ids[i]!,
      parentSpanId: p >= 0 ? ids[p]! : syntheticRoot ? rootId : null,
      name: columns.name[i]!,
      startNs: microsToNs(start[i]!),
      endNs: microsToNs(end[i]!),
      status: 'unset',
      attributes,
      resource: threads.resources[thread[i]!]!,
    };
    if (attributes !== EMPTY) {
      const code = codeLocation(attributes);
      if (code) span.code = code;
    }
    spans[i] = span;
    if (start[i]! < minStart) minStart = start[i]!;
    if (end[i]! > maxEnd) maxEnd = end[i]!;
  }
  if (syntheticRoot) {
    spans.push({
      traceId, spanId: rootId, parentSpanId: null, name: CHROME_ROOT_NAME, startNs: microsToNs(minStart),
      endNs: microsToNs(maxEnd), status: 'unset', attributes: EMPTY,
    });
  }
  return spans;
}

/**
 * Event indices grouped by thread (counting sort), each thread by start, longer first: profilers write
 * threads interleaved but each thread nearly in time order, so the per-thread sorts are close to linear.
 */
function byThreadThenTime(columns: EventColumns, threadCount: number): Int32Array {
  const { start, end, thread } = columns;
  const n = start.length;
  const offset = new Int32Array(threadCount + 1);
  for (let i = 0; i < n; i++) offset[thread[i]! + 1]!++;
  for (let t = 0; t < threadCount; t++) offset[t + 1]! += offset[t]!;
  const cursor = offset.slice(0, threadCount);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[cursor[thread[i]!]!++] = i;
  const compare = (a: number, b: number) => start[a]! - start[b]! || end[b]! - end[a]! || a - b;
  for (let t = 0; t < threadCount; t++) {
    const slice = order.subarray(offset[t]!, offset[t + 1]!);
    let sorted = true;
    for (let k = 1; k < slice.length && sorted; k++) sorted = compare(slice[k - 1]!, slice[k]!) <= 0;
    if (!sorted) slice.sort(compare);
  }
  return order;
}

/** Sequential span ids, 1-based (an all-zero id is invalid). */
function spanIdOf(i: number): string {
  return (i + 1).toString(16).padStart(16, '0');
}

/**
 * Microseconds (possibly fractional) → nanoseconds, rounded to the nearest ns. Epoch microseconds times
 * 1000 exceed 2^53, so the whole and fractional parts are converted separately.
 */
export function microsToNs(us: number): bigint {
  const ns = Math.round(us * 1000);
  if (Number.isSafeInteger(ns)) return BigInt(ns);
  const whole = Math.floor(us);
  return BigInt(whole) * 1000n + BigInt(Math.round((us - whole) * 1000));
}

/** 32 hex digits from a string (two FNV-1a 64-bit hashes): a stable trace id per file. */
function hexHash(text: string): string {
  const mask = (1n << 64n) - 1n;
  let a = 0xcbf29ce484222325n;
  let b = 0x84222325cbf29ce4n;
  for (let i = 0; i < text.length; i++) {
    const c = BigInt(text.charCodeAt(i));
    a = ((a ^ c) * 0x100000001b3n) & mask;
    b = ((b ^ (c + 1n)) * 0x100000001b3n) & mask;
  }
  return a.toString(16).padStart(16, '0') + b.toString(16).padStart(16, '0');
}
