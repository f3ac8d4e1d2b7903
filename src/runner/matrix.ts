/**
 * Executes planned runs (DESIGN §2 "execute"): spawn each with its environment, collect its spans,
 * record the run line and its span lines. A failed or timed-out run is recorded and the matrix goes
 * on; only a broken results file stops it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../config/parse.js';
import { cellKey, type CellCommand } from '../plan/command.js';
import type { PlannedRun } from '../plan/plan.js';
import type { RunLine, Side } from '../results/format.js';
import { spanLine, type ResultsWriter } from '../results/write.js';
import { newTraceContext, runEnv } from './env.js';
import { runLatency } from './latency.js';
import { collectRunMetrics, startRunMetrics } from './collect-metrics.js';
import { runPool } from './pool.js';
import { runProcess } from './process.js';
import type { ProgressSink } from './progress.js';
import type { TraceCollector } from './traces.js';

/** One side's checkout and the file its runs go to. */
export interface SideCheckout {
  side: Side;
  /** Root of the checkout; run.cwd is resolved against it. */
  dir: string;
  writer: ResultsWriter;
}

export interface MatrixOptions {
  config: Config;
  commands: Map<string, CellCommand>;
  checkouts: Partial<Record<Side, SideCheckout>>;
  traces: TraceCollector;
  /** Per-job scratch directory; each run gets a fresh FRAMETAIL_TRACE_DIR below it. */
  scratchDir: string;
  progress: ProgressSink;
  /** What the progress shows for this stretch, e.g. "round 1–5". */
  label: string;
  baseEnv?: NodeJS.ProcessEnv;
  killGraceMs?: number;
  /** Problems that did not stop a run (unreadable trace files), already naming the run. */
  warn?: (message: string) => void;
}

/**
 * Runs every planned run not yet recorded, at most run.concurrency at a time, and returns the run
 * lines written (in plan order).
 */
export async function executeRuns(runs: readonly PlannedRun[], options: MatrixOptions): Promise<RunLine[]> {
  const pending = runs.filter((run) => !checkoutOf(options, run.side).writer.recordedIds.has(run.id));
  options.progress.begin(options.label, runs.length, runs.length - pending.length);
  let done = runs.length - pending.length;
  const lines = await runPool(pending, options.config.run.concurrency, async (run) => {
    const line = await executeRun(run, options);
    options.progress.runDone(line, ++done, runs.length);
    return line;
  });
  options.progress.end();
  return lines;
}

/** Executes one run and appends its line and spans to its side's results file. */
export async function executeRun(run: PlannedRun, options: MatrixOptions): Promise<RunLine> {
  const { config } = options;
  const checkout = checkoutOf(options, run.side);
  const traceDir = join(options.scratchDir, run.id);
  await mkdir(traceDir, { recursive: true });
  const trace = newTraceContext();
  options.traces.begin(run.id, trace, run.granularity);
  const collecting = startRunMetrics(config, options.scratchDir, run.id);
  const env = runEnv({ baseEnv: options.baseEnv ?? process.env, config, run, traceDir, trace, receiver: options.traces.receiver, metricsFile: collecting.metricsFile });
  const outcome = await runProcess({
    onStart: collecting.onStart,
    command: options.commands.get(cellKey(run.cell))!,
    cwd: resolve(checkout.dir, config.run.cwd),
    env,
    timeoutMs: config.run.timeout,
    killGraceMs: options.killGraceMs,
  });
  const { spans, warnings, traceErrors, traceNote } = await options.traces.end(run.id, traceDir);
  for (const warning of warnings) options.warn?.(`${run.id}: ${warning}`);
  await rm(traceDir, { recursive: true, force: true });
  const completed = outcome.status === 'completed';
  const latency = completed ? runLatency(config.run.latency, spans, outcome.wallMs, { traceErrors, traceNote }) : undefined;
  const latencyMs = latency ? round3(latency.latencyMs) : null;
  const metrics = await collectRunMetrics(collecting, config, spans, latencyMs);
  for (const warning of metrics.warnings) options.warn?.(`${run.id}: ${warning}`);
  const line: RunLine = {
    type: 'run',
    id: run.id,
    side: run.side,
    input: run.cell.input.id,
    variant: run.cell.variant.id,
    round: run.round,
    status: outcome.status,
    latencyMs,
    ...(latency ? { latencySource: latency.source, latencyReason: latency.reason } : {}),
    ...(traceErrors.length > 0 ? { traceErrors } : {}),
    wallMs: round3(outcome.wallMs),
    granularity: run.granularity,
    phase: run.phase,
    traceId: trace.traceId,
    exitCode: outcome.exitCode,
    error: completed ? null : outcome.stderrTail || null,
    startedAt: outcome.startedAt.toISOString(),
    ...(Object.keys(metrics.values).length > 0 ? { metrics: metrics.values } : {}),
    ...(completed && metrics.missing.length > 0 ? { missingMetrics: metrics.missing } : {}),
  };
  checkout.writer.append(line, spans.map((span) => spanLine(run.id, span)));
  return line;
}

function checkoutOf(options: MatrixOptions, side: Side): SideCheckout {
  const checkout = options.checkouts[side];
  if (!checkout) throw new Error(`no checkout for the ${side} side`);
  return checkout;
}

/** Microsecond resolution is plenty and keeps the file readable. */
function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
