/**
 * The kept runs of one results file, stored by column: typed arrays, one buffer of ids and a table of
 * names, instead of one object (and an id string, and a boxed latency) per run. At two million runs a
 * file the objects were most of `frametail compare`'s memory (1.6 GB) and a sixth of its reading time in
 * garbage collection; compare reads the columns and rebuilds the runs of one cell at a time
 * (compare/cells.ts), which die young.
 *
 * `get(i)` rebuilds run i exactly as it was pushed: the slim form of run-line.ts (same keys, same order,
 * interned names shared), so any reader of `RunLine` sees no difference (run-store.test.ts).
 */
import type { RunLine } from './format.js';
import { latin1, small } from './run-line-bytes.js';

const SIDES = ['base', 'head'] as const;
const STATUSES = ['completed', 'failed', 'timeout'] as const;
const GRANULARITIES = ['coarse', 'fine'] as const;
const PHASES = ['measure', 'warmup', 'attribution'] as const;
/** Flags: bit 0 side, bits 1–2 status, bit 3 granularity, bits 4–5 phase, bits 6–7 what latencyMs is. */
const LATENCY_NULL = 1;
const LATENCY_ABSENT = 2;
/** Bits of RunStore's `seen`: a name seen as an input, as a variant. */
const INPUT_SEEN = 1;
const VARIANT_SEEN = 2;

/** A RunStore's fields, as `snapshot` hands them to another thread (structured clone keeps typed arrays, maps and strings). */
export type StoreState = Record<string, unknown> & { idBytes: Uint8Array };

/** A side's runs by index, as compare reads them: a RunStore, or an array (`arraySource`). */
export interface RunSource {
  readonly length: number;
  /** Run i; a store builds a new object at every call, an array gives its own. */
  get(i: number): RunLine;
  /** Run i to read (not to keep, spread or write): a store's decodes its id only when asked. */
  reading(i: number): RunLine;
  side(i: number): RunLine['side'];
  phase(i: number): RunLine['phase'];
  input(i: number): string;
  variant(i: number): string;
  /** A number ≥ 0 for run i's input × variant, the same for the same pair (−1: none; then compare the names). */
  cellKey?(i: number): number;
}

/** An array of runs as a RunSource. */
export function arraySource(runs: readonly RunLine[]): RunSource {
  return {
    length: runs.length,
    get: (i) => runs[i]!,
    reading: (i) => runs[i]!,
    side: (i) => runs[i]!.side,
    phase: (i) => runs[i]!.phase,
    input: (i) => runs[i]!.input,
    variant: (i) => runs[i]!.variant,
  };
}

/** What few runs have (metrics, which many runs have, are columns of their own) (a failed run's exit code and error, trace errors, metrics), kept as given. */
type Extras = Pick<RunLine, 'traceErrors' | 'missingMetrics' | 'exitCode' | 'error'>;

export class RunStore implements RunSource {
  length = 0;
  private capacity = 0;
  private flags = new Uint8Array(0);
  private inputs = new Int32Array(0);
  private variants = new Int32Array(0);
  /** −1: absent. */
  private sources = new Int32Array(0);
  private reasons = new Int32Array(0);
  /** NaN: absent. */
  private rounds = new Float64Array(0);
  private spanCounts = new Float64Array(0);
  private latencies = new Float64Array(0);
  /** ASCII ids, one after another (id i ends at idEnds[i]); any other id is in `otherIds`. */
  private idBytes = Buffer.allocUnsafeSlow(0);
  private idEnds = new Int32Array(0);
  private idUsed = 0;
  private readonly otherIds = new Map<number, string>();
  private readonly extras = new Map<number, Extras>();
  /** Run i's metrics are names[metricNames[k]] = metricValues[k] for k in [metricFrom[i], metricTo[i]); metricFrom −1: none. */
  private metricFrom = new Int32Array(0);
  private metricTo = new Int32Array(0);
  private metricNames = new Int32Array(0);
  private metricValues = new Float64Array(0);
  private metricUsed = 0;
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  /** Input and variant ids in the order they first appear (name indexes), and which names are among them. */
  private readonly inputOrder: number[] = [];
  private readonly variantOrder: number[] = [];
  private seen = new Uint8Array(64);

  /**
   * Everything the store holds, for another thread (read-pair.ts): `transfer` lists the typed arrays'
   * memory, which moves without a copy; the store must not be used after.
   */
  snapshot(): { state: StoreState; transfer: ArrayBuffer[] } {
    const state = { ...this } as unknown as StoreState;
    const transfer: ArrayBuffer[] = [];
    for (const value of Object.values(state)) {
      if (ArrayBuffer.isView(value) && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.buffer instanceof ArrayBuffer) transfer.push(value.buffer);
    }
    return { state, transfer };
  }

  /** The store of a `snapshot()` that came from another thread. */
  static fromSnapshot(state: StoreState): RunStore {
    const store = new RunStore();
    // A Buffer arrives as a plain Uint8Array.
    const ids = state.idBytes;
    Object.assign(store, state, { idBytes: Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength) });
    return store;
  }

  /** A store of these runs (e.g. a results file built in memory). */
  static of(runs: readonly RunLine[]): RunStore {
    const store = new RunStore();
    for (let i = 0; i < runs.length; i++) store.push(runs[i]!);
    return store;
  }

  /**
   * Keeps `run` (copied: the object may be reused). `idBytes[idFrom, idTo)`, when given, is its id as
   * ASCII bytes, and `run.id` is not read.
   */
  push(run: RunLine, idBytes?: Uint8Array, idFrom = 0, idTo = 0): void {
    const i = this.length;
    if (i === this.capacity) this.grow();
    if (idBytes) this.pushIdBytes(idBytes, idFrom, idTo, i);
    else this.pushId(run.id, i);
    this.inputs[i] = this.firstSeen(this.nameOf(run.input), INPUT_SEEN, this.inputOrder);
    this.variants[i] = this.firstSeen(this.nameOf(run.variant), VARIANT_SEEN, this.variantOrder);
    this.sources[i] = run.latencySource === undefined ? -1 : this.nameOf(run.latencySource);
    this.reasons[i] = run.latencyReason === undefined ? -1 : this.nameOf(run.latencyReason);
    this.rounds[i] = run.round ?? NaN;
    this.spanCounts[i] = run.spans ?? NaN;
    const latency = run.latencyMs;
    this.latencies[i] = typeof latency === 'number' ? latency : 0;
    this.flags[i] =
      (run.side === 'head' ? 1 : 0) |
      (STATUSES.indexOf(run.status) << 1) |
      (run.granularity === 'fine' ? 1 << 3 : 0) |
      (PHASES.indexOf(run.phase) << 4) |
      ((latency === null ? LATENCY_NULL : latency === undefined ? LATENCY_ABSENT : 0) << 6);
    this.pushMetrics(run.metrics, i);
    if (run.traceErrors !== undefined || run.missingMetrics !== undefined || run.exitCode !== undefined || run.error !== undefined) {
      const extras: Extras = {};
      if (run.traceErrors !== undefined) extras.traceErrors = run.traceErrors;
      if (run.missingMetrics !== undefined) extras.missingMetrics = run.missingMetrics;
      if (run.exitCode !== undefined) extras.exitCode = run.exitCode;
      if (run.error !== undefined) extras.error = run.error;
      this.extras.set(i, extras);
    }
    this.length++;
  }

  /** Run i as it was pushed: a new object at every call. */
  get(i: number): RunLine {
    // The slim form's ten fields first, in its order, on every run (one object shape).
    const run: RunLine = {
      type: 'run',
      id: this.id(i),
      side: this.side(i),
      input: this.input(i),
      variant: this.variant(i),
      round: this.round(i),
      status: this.status(i),
      latencyMs: this.latencyMs(i),
      granularity: this.granularity(i),
      phase: this.phase(i),
    };
    return this.withOptional(run, i);
  }

  /**
   * Run i for reading, not for keeping or writing: every field of `get(i)`, each read from the columns
   * when asked (getters, so none is an own key and spreading it gives nothing). A cell's statistics read
   * a few fields of each run; building whole runs, ids included, cost more than the statistics.
   */
  reading(i: number): RunLine {
    return new ReadRun(this, i) as unknown as RunLine;
  }

  round(i: number): number | undefined {
    const round = this.rounds[i]!;
    return round === round ? small(round) : undefined;
  }

  status(i: number): RunLine['status'] {
    return STATUSES[(this.flags[i]! >> 1) & 3]!;
  }

  latencyMs(i: number): number | null | undefined {
    const kind = this.flags[i]! >> 6;
    return kind === 0 ? this.latencies[i]! : kind === LATENCY_NULL ? null : undefined;
  }

  granularity(i: number): RunLine['granularity'] {
    return GRANULARITIES[(this.flags[i]! >> 3) & 1]!;
  }

  spans(i: number): number | undefined {
    const spans = this.spanCounts[i]!;
    return spans === spans ? small(spans) : undefined;
  }

  latencySource(i: number): string | undefined {
    const index = this.sources[i]!;
    return index >= 0 ? this.names[index] : undefined;
  }

  latencyReason(i: number): string | undefined {
    const index = this.reasons[i]!;
    return index >= 0 ? this.names[index] : undefined;
  }

  /** Run i's metric values, as a new object (in the order they were given); undefined when it had none. */
  metrics(i: number): Record<string, number> | undefined {
    const from = this.metricFrom[i]!;
    if (from < 0) return undefined;
    const metrics: Record<string, number> = {};
    for (let k = from; k < this.metricTo[i]!; k++) {
      // defineProperty: a metric named "__proto__" is a value like any other, as the readers keep it.
      Object.defineProperty(metrics, this.names[this.metricNames[k]!]!, { value: this.metricValues[k]!, enumerable: true, writable: true, configurable: true });
    }
    return metrics;
  }

  /** The fields few runs have (trace errors, a failed run's exit code and error). */
  extra(i: number): Extras | undefined {
    return this.extras.size > 0 ? this.extras.get(i) : undefined;
  }

  /** The fields only some runs have, in the slim form's order. */
  private withOptional(run: RunLine, i: number): RunLine {
    const spans = this.spans(i);
    if (spans !== undefined) run.spans = spans;
    const source = this.latencySource(i);
    if (source !== undefined) run.latencySource = source;
    const reason = this.latencyReason(i);
    if (reason !== undefined) run.latencyReason = reason;
    const extras = this.extra(i);
    if (extras?.traceErrors !== undefined) run.traceErrors = extras.traceErrors;
    const metrics = this.metrics(i);
    if (metrics !== undefined) run.metrics = metrics;
    if (extras) {
      if (extras.missingMetrics !== undefined) run.missingMetrics = extras.missingMetrics;
      if (extras.exitCode !== undefined) run.exitCode = extras.exitCode;
      if (extras.error !== undefined) run.error = extras.error;
    }
    return run;
  }

  /** Every run, in order. */
  toArray(): RunLine[] {
    const runs: RunLine[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) runs[i] = this.get(i);
    return runs;
  }

  id(i: number): string {
    const start = i === 0 ? 0 : this.idEnds[i - 1]!;
    const end = this.idEnds[i]!;
    if (start === end && this.otherIds.size > 0) {
      const other = this.otherIds.get(i);
      if (other !== undefined) return other;
    }
    return latin1(this.idBytes, start, end);
  }

  side(i: number): RunLine['side'] {
    return SIDES[this.flags[i]! & 1]!;
  }

  phase(i: number): RunLine['phase'] {
    return PHASES[(this.flags[i]! >> 4) & 3]!;
  }

  /** The input id of run i (one interned string per distinct input). */
  input(i: number): string {
    return this.names[this.inputs[i]!]!;
  }

  variant(i: number): string {
    return this.names[this.variants[i]!]!;
  }

  /** Gives back the room kept for more runs (the id buffer grows by doubling): called once the file is read. */
  trim(): void {
    if (this.idBytes.length - this.idUsed < 1024 * 1024) return;
    const ids = Buffer.allocUnsafeSlow(this.idUsed);
    this.idBytes.copy(ids, 0, 0, this.idUsed);
    this.idBytes = ids;
  }

  /** Whether run i's id is the ASCII text in bytes[from, to). */
  idEquals(i: number, bytes: Uint8Array, from: number, to: number): boolean {
    const start = i === 0 ? 0 : this.idEnds[i - 1]!;
    const end = this.idEnds[i]!;
    if (end - start !== to - from || (start === end && this.otherIds.has(i))) return false;
    const ids = this.idBytes;
    for (let k = 0; k < end - start; k++) if (ids[start + k] !== bytes[from + k]) return false;
    return true;
  }

  private pushIdBytes(bytes: Uint8Array, from: number, to: number, i: number): void {
    const length = to - from;
    if (this.idUsed + length > this.idBytes.length) this.growIds(length);
    const ids = this.idBytes;
    let at = this.idUsed;
    for (let k = from; k < to; k++) ids[at++] = bytes[k]!;
    this.idUsed = at;
    this.idEnds[i] = at;
  }

  /** Ids are copied byte for byte when ASCII (what the runner writes), else kept as strings. */
  private pushId(id: string, i: number): void {
    let at = this.idUsed;
    if (at + id.length > this.idBytes.length) this.growIds(id.length);
    const bytes = this.idBytes;
    for (let k = 0; k < id.length; k++) {
      const code = id.charCodeAt(k);
      if (code > 0x7f) {
        this.otherIds.set(i, id);
        at = this.idUsed;
        break;
      }
      bytes[at++] = code;
    }
    this.idUsed = at;
    this.idEnds[i] = at;
  }

  /** inputs × variants as one small integer while the name table is small enough (−1 beyond). */
  cellKey(i: number): number {
    const count = this.names.length;
    return count <= 46_340 ? this.inputs[i]! * count + this.variants[i]! : -1;
  }

  /** Distinct input ids, in the order they first appear. */
  inputIds(): string[] {
    return this.inputOrder.map((index) => this.names[index]!);
  }

  /** Distinct variant ids, in the order they first appear. */
  variantIds(): string[] {
    return this.variantOrder.map((index) => this.names[index]!);
  }

  private firstSeen(index: number, as: number, order: number[]): number {
    if (index >= this.seen.length) this.seen = grown(this.seen, new Uint8Array(Math.max(index + 1, this.seen.length * 2)));
    if ((this.seen[index]! & as) === 0) {
      this.seen[index] = this.seen[index]! | as;
      order.push(index);
    }
    return index;
  }

  private pushMetrics(metrics: Record<string, number> | undefined, i: number): void {
    if (metrics === undefined) {
      this.metricFrom[i] = -1;
      return;
    }
    const names = Object.keys(metrics);
    if (this.metricUsed + names.length > this.metricNames.length) {
      const size = Math.max(1024, this.metricNames.length * 2, this.metricUsed + names.length);
      this.metricNames = grown(this.metricNames, new Int32Array(size));
      this.metricValues = grown(this.metricValues, new Float64Array(size));
    }
    this.metricFrom[i] = this.metricUsed;
    for (const name of names) {
      this.metricNames[this.metricUsed] = this.nameOf(name);
      this.metricValues[this.metricUsed++] = metrics[name]!;
    }
    this.metricTo[i] = this.metricUsed;
  }

  private nameOf(name: string): number {
    let index = this.nameIndex.get(name);
    if (index === undefined) this.nameIndex.set(name, (index = this.names.push(name) - 1));
    return index;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    this.flags = grown(this.flags, new Uint8Array(capacity));
    this.inputs = grown(this.inputs, new Int32Array(capacity));
    this.variants = grown(this.variants, new Int32Array(capacity));
    this.sources = grown(this.sources, new Int32Array(capacity));
    this.reasons = grown(this.reasons, new Int32Array(capacity));
    this.rounds = grown(this.rounds, new Float64Array(capacity));
    this.spanCounts = grown(this.spanCounts, new Float64Array(capacity));
    this.latencies = grown(this.latencies, new Float64Array(capacity));
    this.idEnds = grown(this.idEnds, new Int32Array(capacity));
    this.metricFrom = grown(this.metricFrom, new Int32Array(capacity));
    this.metricTo = grown(this.metricTo, new Int32Array(capacity));
    this.capacity = capacity;
  }

  private growIds(more: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(64 * 1024, this.idBytes.length * 2, this.idUsed + more));
    this.idBytes.copy(next, 0, 0, this.idUsed);
    this.idBytes = next;
  }
}

/** A run of `RunStore.reading`: two fields, and every field of a run read from the store when asked. */
class ReadRun {
  constructor(
    private readonly store: RunStore,
    private readonly index: number,
  ) {}

  get type(): 'run' {
    return 'run';
  }

  get id(): string {
    return this.store.id(this.index);
  }

  get side(): RunLine['side'] {
    return this.store.side(this.index);
  }

  get input(): string {
    return this.store.input(this.index);
  }

  get variant(): string {
    return this.store.variant(this.index);
  }

  get round(): number | undefined {
    return this.store.round(this.index);
  }

  get status(): RunLine['status'] {
    return this.store.status(this.index);
  }

  get latencyMs(): number | null | undefined {
    return this.store.latencyMs(this.index);
  }

  get granularity(): RunLine['granularity'] {
    return this.store.granularity(this.index);
  }

  get phase(): RunLine['phase'] {
    return this.store.phase(this.index);
  }

  get spans(): number | undefined {
    return this.store.spans(this.index);
  }

  get latencySource(): string | undefined {
    return this.store.latencySource(this.index);
  }

  get latencyReason(): string | undefined {
    return this.store.latencyReason(this.index);
  }

  get traceErrors(): string[] | undefined {
    return this.store.extra(this.index)?.traceErrors;
  }

  /** Built once per run read: a cell's metric tests read it a few times. */
  private builtMetrics: Record<string, number> | undefined | null = null;

  get metrics(): Record<string, number> | undefined {
    if (this.builtMetrics === null) this.builtMetrics = this.store.metrics(this.index);
    return this.builtMetrics;
  }

  get missingMetrics(): string[] | undefined {
    return this.store.extra(this.index)?.missingMetrics;
  }

  get exitCode(): number | null | undefined {
    return this.store.extra(this.index)?.exitCode;
  }

  get error(): string | null | undefined {
    return this.store.extra(this.index)?.error;
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

