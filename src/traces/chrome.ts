import type { Span, TraceWarning } from './span.js';
import { codeLocation } from './normalize.js';
import { parentHints } from './tree.js';
import { WarningSink } from './warnings.js';
import { bindFlows, parentsAcrossThreads, type FlowPoint } from './chrome-links.js';

/** Name of the span Frametail adds above a trace that has more than one top-level event. */
export const CHROME_ROOT_NAME = 'trace';

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** Below this, Chrome timestamps count from the profiler's start (legacy torch), not from the epoch (Kineto, Perfetto). */
export const EPOCH_MICROS = 1e14;
/** Timestamps beyond this many µs (the year 5138) are not times: nanoseconds written as µs, or garbage. */
const MAX_MICROS = 1e17;

/** One trace event as collectEvents reads it: the members of the parsed event object (or chrome-scan.ts's record of them). */
export interface ChromeEvent {
  ph?: unknown;
  name?: unknown;
  cat?: unknown;
  ts?: unknown;
  dur?: unknown;
  pid?: unknown;
  tid?: unknown;
  id?: unknown;
  id2?: unknown;
  bp?: unknown;
  args?: unknown;
}

export interface ChromeOptions {
  /** Index of the file among a run's trace files: span ids carry it, so files never share an id (DESIGN §4). */
  fileIndex?: number;
  /** The document is the caller's to give away: its event list is emptied once read, so its memory can go. */
  consume?: boolean;
}

/**
 * Chrome Trace Event JSON (PyTorch profiler legacy and Kineto, Perfetto, chrome://tracing), object form
 * `{"traceEvents":[…]}` or bare array, → spans. Complete (`X`) and duration (`B`/`E`) events become spans;
 * flow events (`s`/`t`/`f`, e.g. Kineto's `ac2g` CPU→GPU arrows) link spans; other phases (instant, counter,
 * metadata, async) are skipped. Times are microseconds (fractions allowed).
 *
 * Nesting (rules in src/traces/README.md "Chrome traces"):
 * 1. per thread (pid, tid) by time containment, tolerating the format's resolution: 1 µs when every time is
 *    a whole number (the legacy exporter rounds), else twice the float spacing at the trace's largest time
 *    (0.5 µs at epoch scale), at least 1 ns;
 * 2. a flow arrow's target that is top-level on its lane (a GPU kernel, a worker's task) goes under the
 *    arrow's source (the launch), or under the nearest ancestor of it still running when the target ends;
 *    within one process, under the deepest event of the source's thread below that ancestor that contains
 *    the target (the range waiting for it);
 * 3. a top-level event on another thread of a process goes under the deepest event of the process's main
 *    thread (the one with the longest top-level event) that contains it: the waiting range gets the work.
 * Producer bookkeeping (Kineto's profiler window `PyTorch Profiler (N)`, category `Trace`) is left out with a
 * `dropped` warning. When more than one top-level event remains a root named "trace" spanning all of them is
 * added; framework ops and device lanes are marked `producer` so coarse granularity keeps the user's
 * ranges. `traceId` is derived from `file`.
 */
export function spansFromChromeTrace(document: unknown, file: string, warnings: TraceWarning[], options: ChromeOptions = {}): Span[] {
  const events = Array.isArray(document) ? document : (document as { traceEvents?: unknown } | null)?.traceEvents;
  if (!Array.isArray(events)) throw new Error(`${file}: not a Chrome trace (no traceEvents array)`);
  const sink = new WarningSink(warnings);
  const collector = new EventCollector(events.length, sink, file);
  for (let i = 0; i < events.length; i++) collector.add(events[i] as ChromeEvent | null, i);
  if (options.consume) events.length = 0;
  return collector.spans(options.fileIndex ?? 0);
}

/** Events as parallel arrays of primitives (no per-event objects beyond the parsed JSON itself). */
export interface EventColumns {
  start: Float64Array; // µs
  end: Float64Array;
  thread: Int32Array;
  name: string[];
  cat: (string | undefined)[];
  args: (Record<string, unknown> | undefined)[];
  flows: FlowPoint[];
  /** True while every ts and dur seen is a whole number of µs. */
  wholeMicros: boolean;
  maxAbsTs: number;
}

export class ThreadTable {
  readonly resources: Record<string, unknown>[] = [];
  readonly pids: unknown[] = [];
  private readonly index = new Map<unknown, Map<unknown, number>>();
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
    // Keyed by the values themselves (1 and "1" stay apart), no string built per event.
    const p = primitiveKey(pid);
    let threads = this.index.get(p);
    if (!threads) this.index.set(p, (threads = new Map()));
    const t = primitiveKey(tid);
    let i = threads.get(t);
    if (i === undefined) {
      i = this.resources.length;
      threads.set(t, i);
      this.resources.push({ 'process.pid': pid ?? null, 'thread.id': tid ?? null });
      this.pids.push(pid ?? null);
    }
    return i;
  }
}

/** A Map key for a JSON value: primitives as they are, objects and arrays by their JSON text. */
export function primitiveKey(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? `\u0000${JSON.stringify(value)}` : value;
}

const PROFILER_WINDOW = /^PyTorch Profiler \(\d+\)$/;

/** Events the profiler adds about itself, not about the program: its recording window. */
function isBookkeeping(name: string, cat: string | undefined): boolean {
  return (cat !== undefined && cat.toLowerCase() === 'trace') || PROFILER_WINDOW.test(name);
}

/**
 * Reads trace events one at a time (`add`, in file order with their index in the event list) into columns,
 * then makes the spans (`spans`). Events come from the parsed document (spansFromChromeTrace) or straight
 * from the file's bytes (chrome-scan.ts); either way they go through the same checks and warnings.
 */
export class EventCollector {
  readonly threads = new ThreadTable();
  private readonly columns: EventColumns;
  private count = 0;
  /** Open B events per thread: stacks of indices into `columns` (-1 for a bookkeeping B left out). */
  private readonly open = new Map<number, number[]>();

  constructor(
    capacity: number,
    private readonly sink: WarningSink,
    private readonly file: string,
  ) {
    // Sized once for every event when the count is known (typed or pre-sized): growing arrays would be
    // copied again and again. A scan that does not know it grows them by doubling.
    this.columns = {
      start: new Float64Array(capacity), end: new Float64Array(capacity), thread: new Int32Array(capacity),
      name: new Array<string>(capacity), cat: new Array<string | undefined>(capacity), args: new Array<Record<string, unknown> | undefined>(capacity),
      flows: [], wholeMicros: true, maxAbsTs: 0,
    };
  }

  /** Event `i` of the list (anything: only objects with a span or flow phase are read). */
  add(e: ChromeEvent | null, i: number): void {
    if (e === null || typeof e !== 'object') return;
    const { columns, sink, file } = this;
    const ph = e.ph;
    const isSpan = ph === 'X' || ph === 'B' || ph === 'E';
    const isFlow = ph === 's' || ph === 't' || ph === 'f';
    if (!isSpan && !isFlow) return;
    const ts = typeof e.ts === 'number' ? e.ts : Number(e.ts);
    if (!Number.isFinite(ts)) {
      sink.add('unparsable', `${file}: traceEvents[${i}] has no numeric ts; skipped`);
      return;
    }
    if (ts > MAX_MICROS || ts < -MAX_MICROS) {
      sink.add('time', `${file}: traceEvents[${i}] ts ${String(e.ts)} is not a time in µs (past the year 5000); skipped`);
      return;
    }
    const thread = this.threads.of(e.pid, e.tid);
    noteTime(columns, ts);
    if (isFlow) {
      const id = e.id ?? e.id2;
      if (id === undefined || id === null) return;
      columns.flows.push({ cat: primitiveKey(e.cat), id: primitiveKey(id), ph, ts, thread, enclosing: e.bp === 'e' });
      return;
    }
    if (ph === 'E') {
      const b = this.open.get(thread)?.pop();
      if (b === undefined) {
        sink.add('unparsable', `${file}: traceEvents[${i}] is an E event without a matching B; skipped`);
        return;
      }
      if (b < 0) return;
      columns.end[b] = ts;
      if (isRecord(e.args)) columns.args[b] = { ...columns.args[b], ...boundedArgs(e.args, sink, file, i) };
      return;
    }
    const name = typeof e.name === 'string' ? e.name : String(e.name ?? '');
    const cat = typeof e.cat === 'string' ? e.cat : undefined;
    const bookkeeping = isBookkeeping(name, cat);
    if (bookkeeping) sink.add('dropped', `${file}: "${name}" is the profiler's own bookkeeping; left out`);
    if (ph === 'B') {
      let stack = this.open.get(thread);
      if (!stack) this.open.set(thread, (stack = []));
      stack.push(bookkeeping ? -1 : this.count);
    }
    if (bookkeeping) return;
    const dur = ph === 'X' ? (typeof e.dur === 'number' ? e.dur : Number(e.dur ?? 0)) : NaN;
    if (ph === 'X' && Number.isFinite(dur)) {
      if (dur > MAX_MICROS) {
        sink.add('time', `${file}: traceEvents[${i}] dur ${String(e.dur)} is not a duration in µs; skipped`);
        return;
      }
      noteTime(columns, dur);
    }
    const count = this.count;
    if (count === columns.start.length) this.grow();
    columns.start[count] = ts;
    columns.end[count] = ph === 'X' ? ts + (Number.isFinite(dur) && dur > 0 ? dur : 0) : NaN;
    columns.thread[count] = thread;
    columns.name[count] = name;
    columns.cat[count] = cat;
    columns.args[count] = isRecord(e.args) && !isEmpty(e.args) ? boundedArgs(e.args, sink, file, i) : undefined;
    this.count = count + 1;
  }

  /** Twice the room in the typed columns (the array columns grow as they are written). */
  private grow(): void {
    const columns = this.columns;
    const size = Math.max(1024, columns.start.length * 2);
    const start = new Float64Array(size);
    start.set(columns.start);
    const end = new Float64Array(size);
    end.set(columns.end);
    const thread = new Int32Array(size);
    thread.set(columns.thread);
    columns.start = start;
    columns.end = end;
    columns.thread = thread;
  }

  /** The spans of the events added (ids carry `fileIndex`); the sink's overflow counts are written. */
  spans(fileIndex: number): Span[] {
    const { columns, count } = this;
    columns.start = columns.start.subarray(0, count);
    columns.end = columns.end.subarray(0, count);
    columns.thread = columns.thread.subarray(0, count);
    columns.name.length = count;
    columns.cat.length = count;
    columns.args.length = count;
    closeOpenEvents(columns, this.open, this.sink, this.file);
    const spans = nestEvents(columns, this.threads, this.file, fileIndex);
    this.sink.finish();
    return spans;
  }
}

function noteTime(columns: EventColumns, value: number): void {
  if (columns.wholeMicros && !Number.isInteger(value)) columns.wholeMicros = false;
  const abs = value < 0 ? -value : value;
  if (abs > columns.maxAbsTs) columns.maxAbsTs = abs;
}

/** B events never closed end at the last timestamp seen on their thread. */
function closeOpenEvents(columns: EventColumns, open: Map<number, number[]>, sink: WarningSink, file: string): void {
  let unclosed = 0;
  for (const stack of open.values()) for (const b of stack) if (b >= 0) unclosed++;
  if (unclosed === 0) return;
  const lastTs = new Map<number, number>();
  for (let i = 0; i < columns.start.length; i++) {
    const t = columns.thread[i]!;
    const latest = Math.max(columns.start[i]!, Number.isNaN(columns.end[i]!) ? -Infinity : columns.end[i]!);
    if (latest > (lastTs.get(t) ?? -Infinity)) lastTs.set(t, latest);
  }
  for (const stack of open.values()) {
    for (const b of stack) {
      if (b < 0) continue;
      sink.add('unparsable', `${file}: B event "${columns.name[b]}" has no E; ended at the thread's last timestamp`);
      columns.end[b] = lastTs.get(columns.thread[b]!) ?? columns.start[b]!;
    }
  }
}

/** Deepest nesting kept in an event's args: deeper values would overflow JSON.stringify when the span line is written. */
export const MAX_ARGS_DEPTH = 32;

/** The args, or a note in their place when they nest deeper than MAX_ARGS_DEPTH (checked without recursion). */
function boundedArgs(args: Record<string, unknown>, sink: WarningSink, file: string, index: number): Record<string, unknown> {
  const stack: [unknown, number][] = [];
  for (const key in args) {
    const value = args[key];
    if (value !== null && typeof value === 'object') stack.push([value, 1]);
  }
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > MAX_ARGS_DEPTH) {
      sink.add('dropped', `${file}: traceEvents[${index}] args nest deeper than ${MAX_ARGS_DEPTH} levels; left out`);
      return { 'frametail.args': `left out: nested deeper than ${MAX_ARGS_DEPTH} levels` };
    }
    for (const key in value as Record<string, unknown>) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner !== null && typeof inner === 'object') stack.push([inner, depth + 1]);
    }
  }
  return args;
}

/** `{}` (the legacy exporter writes one per event): shared EMPTY instead, so a million of them need not stay alive. */
function isEmpty(value: Record<string, unknown>): boolean {
  for (const _ in value) return false;
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** How far a child may reach past its parent and still nest, in µs: the resolution of the file's times. */
export function nestingTolerance(wholeMicros: boolean, maxAbsTs: number): number {
  if (wholeMicros) return 1;
  const ulp = maxAbsTs > 0 ? 2 ** (Math.floor(Math.log2(maxAbsTs)) - 52) : 0;
  return Math.max(2 * ulp, 0.001);
}

/** Events sorted per thread, the containment parent of each, and everything needed to link across threads. */
export interface Nesting {
  order: Int32Array;
  /** order[threadOffset[t] .. threadOffset[t + 1]) are thread t's events. */
  threadOffset: Int32Array;
  parentOf: Int32Array;
  tolerance: number;
}

function nestEvents(columns: EventColumns, threads: ThreadTable, file: string, fileIndex: number): Span[] {
  const n = columns.start.length;
  const { start, end, thread } = columns;
  const tolerance = nestingTolerance(columns.wholeMicros, columns.maxAbsTs);
  const { order, offset } = byThreadThenTime(columns, threads.resources.length);
  const parentOf = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (k > 0 && thread[order[k - 1]!] !== thread[i]) stack.length = 0;
    // The innermost open event that contains this one (within the tolerance); partial overlaps are siblings.
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (end[top]! > start[i]! && end[top]! + tolerance >= end[i]!) break;
      stack.pop();
    }
    if (stack.length > 0) parentOf[i] = stack[stack.length - 1]!;
    stack.push(i);
  }
  const nesting: Nesting = { order, threadOffset: offset, parentOf, tolerance };
  bindFlows(columns, nesting, threads.pids);
  parentsAcrossThreads(columns, nesting, threads.pids);
  return toSpans(columns, threads, parentOf, file, fileIndex);
}

/** Categories of framework ops and device lanes (Kineto), and legacy torch's op names: not the user's stages. */
const PRODUCER_CATS = new Set([
  'cpu_op', 'cuda_runtime', 'cuda_driver', 'kernel', 'gpu_memcpy', 'gpu_memset', 'gpu_user_annotation',
  'python_function', 'overhead', 'cpu_instant_event', 'privateuse1_runtime', 'xpu_runtime', 'mtia_runtime',
]);
const PRODUCER_NAME = /^(?:aten|prim|c10d|cuda|profiler|autograd)::|^cuda[A-Z]|^Memcpy|^Memset|^ProfilerStep#/;

function isProducer(name: string, cat: string | undefined): boolean {
  return cat !== undefined ? PRODUCER_CATS.has(cat.toLowerCase()) : PRODUCER_NAME.test(name);
}

function toSpans(columns: EventColumns, threads: ThreadTable, parentOf: Int32Array, file: string, fileIndex: number): Span[] {
  const n = columns.start.length;
  const { start, end, thread } = columns;
  const traceId = hexHash(file);
  let topLevel = 0;
  for (let i = 0; i < n; i++) if (parentOf[i] === -1) topLevel++;
  const syntheticRoot = topLevel > 1;
  const ids: ChromeFileIds = { traceId, prefix: fileIndex.toString(16).padStart(6, '0') };
  const rootId = spanIdOf(fileIndex, n);
  const spans: Span[] = new Array(n);
  let minStart = Infinity;
  let maxEnd = -Infinity;
  for (let i = 0; i < n; i++) {
    if (start[i]! < minStart) minStart = start[i]!;
    if (end[i]! > maxEnd) maxEnd = end[i]!;
  }
  // Parent indices and relative ns times for buildSpanTree, so the analysis needs no id map or bigint math.
  const hint = { parent: new Int32Array(n + (syntheticRoot ? 1 : 0)), start: new Float64Array(n + (syntheticRoot ? 1 : 0)), end: new Float64Array(n + (syntheticRoot ? 1 : 0)) };
  for (let i = 0; i < n; i++) {
    const attributes = columns.args[i] ?? EMPTY;
    const p = parentOf[i]!;
    const span = new ChromeSpan(ids, i, p >= 0 ? p : syntheticRoot ? n : -1, columns.name[i]!, start[i]!, end[i]!, attributes, threads.resources[thread[i]!]!);
    if (isProducer(span.name, columns.cat[i])) span.producer = true;
    if (attributes !== EMPTY) {
      const code = codeLocation(attributes);
      if (code) span.code = code;
    }
    spans[i] = span;
    hint.parent[i] = p >= 0 ? p : syntheticRoot ? n : -1;
    hint.start[i] = (start[i]! - minStart) * 1000;
    hint.end[i] = (end[i]! - minStart) * 1000;
  }
  if (syntheticRoot) {
    spans.push({
      traceId, spanId: rootId, parentSpanId: null, name: CHROME_ROOT_NAME, startNs: microsToNs(minStart),
      endNs: microsToNs(maxEnd), status: 'unset', attributes: EMPTY, synthetic: true,
    });
    hint.parent[n] = -1;
    hint.end[n] = (maxEnd - minStart) * 1000;
  }
  parentHints.set(spans, hint);
  return spans;
}

/**
 * A Chrome event as a Span. Its ids and bigint times are made on first use: `frametail traces` on a
 * 500,000-event trace never needs them (the tree reads parentHints), so it never allocates a million
 * bigints and half a million id strings. They can be set (merge.ts shifts times and re-parents roots).
 */
class ChromeSpan implements Span {
  declare status: Span['status'];
  code?: Span['code'];
  producer?: true;
  /** Set ids and times (rare): kept apart so every span stays small. */
  #set: { spanId?: string; parentSpanId?: string | null; startNs?: bigint; endNs?: bigint } | undefined;

  constructor(
    readonly file: ChromeFileIds,
    readonly index: number,
    readonly parentIndex: number,
    public name: string,
    readonly startUs: number,
    readonly endUs: number,
    public attributes: Record<string, unknown>,
    public resource: Record<string, unknown>,
  ) {}

  get traceId(): string {
    return this.file.traceId;
  }
  get spanId(): string {
    return this.#set?.spanId ?? this.file.prefix + (this.index + 1).toString(16).padStart(10, '0');
  }
  set spanId(id: string) {
    (this.#set ??= {}).spanId = id;
  }
  get parentSpanId(): string | null {
    if (this.#set?.parentSpanId !== undefined) return this.#set.parentSpanId;
    return this.parentIndex < 0 ? null : this.file.prefix + (this.parentIndex + 1).toString(16).padStart(10, '0');
  }
  set parentSpanId(id: string | null) {
    (this.#set ??= {}).parentSpanId = id;
  }
  get startNs(): bigint {
    return this.#set?.startNs ?? microsToNs(this.startUs);
  }
  set startNs(ns: bigint) {
    (this.#set ??= {}).startNs = ns;
  }
  get endNs(): bigint {
    return this.#set?.endNs ?? microsToNs(this.endUs);
  }
  set endNs(ns: bigint) {
    (this.#set ??= {}).endNs = ns;
  }
}
Object.defineProperty(ChromeSpan.prototype, 'status', { value: 'unset', writable: true, enumerable: true });

/** What every span of one file shares: its trace id and the prefix of its span ids. */
interface ChromeFileIds {
  traceId: string;
  prefix: string;
}

/**
 * Event indices grouped by thread (counting sort), each thread by start, longer first: profilers write
 * threads interleaved but each thread nearly in time order, so the per-thread sorts are close to linear.
 */
function byThreadThenTime(columns: EventColumns, threadCount: number): { order: Int32Array; offset: Int32Array } {
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
  return { order, offset };
}

/** Span ids: the file's index in the top 24 bits, then the event's 1-based number (an all-zero id is invalid). */
export function spanIdOf(fileIndex: number, i: number): string {
  const high = fileIndex.toString(16).padStart(6, '0');
  return high + (i + 1).toString(16).padStart(10, '0');
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
