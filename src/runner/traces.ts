/**
 * Collects each run's spans from the two places a pipeline may put them (DESIGN §4): the job's OTLP
 * receiver, and trace files written into the run's FRAMETAIL_TRACE_DIR. Spans are tied to their run by
 * `frametail.run.id` in the resource or, failing that, by the trace id of the run's TRACEPARENT.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
  onSpans(runId: string | null, spans: Span[]): void;
}

/** The trace machinery the collector is built from; injected so tests and the CLI can pick. */
export interface TraceBackend {
  /** Starts the job's OTLP receiver; without it runs report through trace files only. */
  startReceiver?(options: ReceiverOptions): Promise<ReceiverHandle>;
  /** Spans in one trace file (OTLP JSON / JSON Lines, Chrome trace events). */
  parseTraceFile(bytes: Buffer, file: string): { spans: Span[]; warnings: string[] };
  /** Granularity coarse: the root and its direct children (applied to trace files; the receiver applies it itself). */
  coarseFilter(spans: readonly Span[]): Span[];
}

export interface TraceCollector {
  /** Where runs send OTLP, or undefined when the job runs without a receiver. */
  readonly receiver: ReceiverAddress | undefined;
  /** Registers a run before it starts, so spans that arrive during it are filed under it. */
  begin(runId: string, trace: TraceContext, granularity: 'coarse' | 'fine'): void;
  /** Everything the run sent or wrote, once its process exited. */
  end(runId: string, traceDir: string): Promise<{ spans: Span[]; warnings: string[] }>;
  /** Spans no run could be found for (neither run id nor known trace id). */
  readonly unattributed: number;
  close(): Promise<void>;
}

/** Starts a collector; with no backend, runs get no receiver and trace files are not read. */
export async function startTraceCollector(backend: TraceBackend | undefined, maxBodyBytes: number): Promise<TraceCollector> {
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
      if (backend) {
        const fromFiles: Span[] = [];
        for (const name of (await readdir(traceDir).catch(() => [] as string[])).sort()) {
          // A broken trace file costs its spans, never the run.
          try {
            const parsed = backend.parseTraceFile(await readFile(join(traceDir, name)), name);
            fromFiles.push(...parsed.spans);
            warnings.push(...parsed.warnings);
          } catch (error) {
            warnings.push(`${name}: ignored (${error instanceof Error ? error.message : String(error)})`);
          }
        }
        spans.push(...(granularity.get(runId) === 'coarse' ? backend.coarseFilter(fromFiles) : fromFiles));
      }
      buffers.delete(runId);
      for (const [traceId, owner] of runOfTrace) if (owner === runId) runOfTrace.delete(traceId);
      granularity.delete(runId);
      return { spans, warnings };
    },
    async close() {
      await handle?.close();
    },
  };
}
