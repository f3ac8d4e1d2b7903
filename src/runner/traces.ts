/**
 * Collects each run's spans from the two places a pipeline may put them (DESIGN §4): the job's OTLP
 * receiver, and trace files written into the run's FRAMETAIL_TRACE_DIR. Spans are tied to their run by
 * `frametail.run.id` in the resource or, failing that, by the trace id of the run's TRACEPARENT.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readTraceFile } from '../traces/read-file.js';
import type { Span } from '../traces/span.js';
import type { ReceiverAddress, TraceContext } from './env.js';

/** What the runner needs of an OTLP receiver (src/traces/receiver.ts provides it). */
export interface ReceiverHandle {
  url: string;
  endpoint: string;
  /** Hands over spans the receiver held back for a run (coarse filtering needs the whole run). */
  flushRun(runId: string): void;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  token: string;
  maxBodyBytes: number;
  granularityOf(runId: string): 'coarse' | 'fine' | undefined;
  runIdForTrace(traceId: string): string | undefined;
  /** Model spans a coarse run keeps at any depth (tracing.model-spans and GenAI-marked spans). */
  isModelSpan?: (span: Span) => boolean;
  onSpans(runId: string | null, spans: Span[]): void;
}

/** The trace machinery the collector is built from; injected so tests and the CLI can pick. */
export interface TraceBackend {
  /** Starts the job's OTLP receiver; without it runs report through trace files only. */
  startReceiver?(options: ReceiverOptions): Promise<ReceiverHandle>;
  /**
   * The spans of a run's trace files (OTLP JSON / JSON Lines, Chrome trace events, gzip or not) as one
   * trace; `errors` names each file that could not be read and why, `note` says how several files were merged.
   */
  parseTraceFiles(files: { name: string; bytes: Buffer }[]): TraceFilesRead;
  /** Granularity coarse: the root and its direct children (applied to trace files; the receiver applies it itself). */
  coarseFilter(spans: readonly Span[], isModelSpan?: (span: Span) => boolean): Span[];
}

export interface TraceFilesRead {
  spans: Span[];
  warnings: string[];
  errors: string[];
  note?: string;
}

/** What a run's collector hands back: its spans, repairs made, trace files that could not be read. */
export interface RunTraces {
  spans: Span[];
  warnings: string[];
  /** "name: why" per trace file that could not be read (bounded: MAX_TRACE_ERRORS, then a count). */
  traceErrors: string[];
  /** How several trace files were merged into one trace. */
  traceNote?: string;
}

/** Trace files read per run; more are reported as an error, not read. */
export const MAX_TRACE_FILES_PER_RUN = 64;
const MAX_TRACE_ERRORS = 5;

export interface TraceCollector {
  /** Where runs send OTLP, or undefined when the job runs without a receiver. */
  readonly receiver: ReceiverAddress | undefined;
  /** Registers a run before it starts, so spans that arrive during it are filed under it. */
  begin(runId: string, trace: TraceContext, granularity: 'coarse' | 'fine'): void;
  /** Everything the run sent or wrote, once its process exited. */
  end(runId: string, traceDir: string): Promise<RunTraces>;
  /** Spans no run could be found for (neither run id nor known trace id). */
  readonly unattributed: number;
  close(): Promise<void>;
}

/** Starts a collector; with no backend, runs get no receiver and trace files are not read. */
export async function startTraceCollector(backend: TraceBackend | undefined, maxBodyBytes: number, isModelSpan?: (span: Span) => boolean): Promise<TraceCollector> {
  const buffers = new Map<string, Span[]>();
  const granularity = new Map<string, 'coarse' | 'fine'>();
  const runOfTrace = new Map<string, string>();
  let unattributed = 0;
  const token = randomBytes(24).toString('hex');
  const handle = backend?.startReceiver
    ? await backend.startReceiver({
        token,
        maxBodyBytes,
        granularityOf: (runId) => granularity.get(runId),
        runIdForTrace: (traceId) => runOfTrace.get(traceId),
        ...(isModelSpan ? { isModelSpan } : {}),
        onSpans(runId, spans) {
          for (const span of spans) {
            const owner = runId ?? runOfTrace.get(span.traceId);
            const buffer = owner === undefined ? undefined : buffers.get(owner);
            if (buffer) buffer.push(span);
            else unattributed++;
          }
        },
      })
    : undefined;
  return {
    receiver: handle ? { url: handle.url, endpoint: handle.endpoint, token } : undefined,
    get unattributed() {
      return unattributed;
    },
    begin(runId, trace, runGranularity) {
      buffers.set(runId, []);
      granularity.set(runId, runGranularity);
      runOfTrace.set(trace.traceId, runId);
    },
    async end(runId, traceDir) {
      handle?.flushRun(runId);
      const spans = buffers.get(runId) ?? [];
      const warnings: string[] = [];
      const traceErrors: string[] = [];
      let traceNote: string | undefined;
      if (backend) {
        const read = await readTraceDir(traceDir);
        const parsed = backend.parseTraceFiles(read.files);
        for (const w of parsed.warnings) warnings.push(w);
        const errors = [...read.errors, ...parsed.errors];
        // A broken trace file costs its spans, never the run; the run line says so (latencyReason, traceErrors).
        for (const e of errors) warnings.push(`${e}`);
        for (const e of errors.slice(0, MAX_TRACE_ERRORS)) traceErrors.push(e.length > 300 ? `${e.slice(0, 299)}…` : e);
        if (errors.length > MAX_TRACE_ERRORS) traceErrors.push(`… and ${errors.length - MAX_TRACE_ERRORS} more trace files not read`);
        traceNote = parsed.note;
        const fromFiles = granularity.get(runId) === 'coarse' ? backend.coarseFilter(parsed.spans, isModelSpan) : parsed.spans;
        for (const span of fromFiles) spans.push(span);
      }
      buffers.delete(runId);
      for (const [traceId, owner] of runOfTrace) if (owner === runId) runOfTrace.delete(traceId);
      granularity.delete(runId);
      return { spans, warnings, traceErrors, ...(traceNote ? { traceNote } : {}) };
    },
    async close() {
      await handle?.close();
    },
  };
}

/** The regular files of a run's trace directory, in name order, each read with bounds (readTraceFile). */
async function readTraceDir(traceDir: string): Promise<{ files: { name: string; bytes: Buffer }[]; errors: string[] }> {
  const names = (await readdir(traceDir).catch(() => [] as string[])).sort();
  const files: { name: string; bytes: Buffer }[] = [];
  const errors: string[] = [];
  for (const name of names.slice(0, MAX_TRACE_FILES_PER_RUN)) {
    try {
      files.push({ name, bytes: await readTraceFile(join(traceDir, name), { followSymlinks: false }) });
    } catch (error) {
      errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (names.length > MAX_TRACE_FILES_PER_RUN) {
    errors.push(`${names.length - MAX_TRACE_FILES_PER_RUN} trace files beyond the first ${MAX_TRACE_FILES_PER_RUN} (in name order) not read`);
  }
  return { files, errors };
}
