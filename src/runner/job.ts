/**
 * What `run` and `bench` share: the cells and their commands checked up front, a scratch directory,
 * the trace collector, and cleanup that happens whatever goes wrong.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Config } from '../config/parse.js';
import { commandsForCells, type CellCommand } from '../plan/command.js';
import { cellsOf, shardCells, type Cell } from '../plan/plan.js';
import { checkProgram } from './preflight.js';
import { modelSpanPredicate } from '../traces/model-spans.js';
import { startTraceCollector, type TraceBackend, type TraceCollector } from './traces.js';

/** Options every job takes besides the config. */
export interface JobOptions {
  /** The trace receiver and file parser; without it runs are timed by wall clock only. */
  traceBackend?: TraceBackend;
  /** Environment the runs inherit (default: process.env). */
  baseEnv?: NodeJS.ProcessEnv;
  killGraceMs?: number;
  /** Where problems go that do not stop a run (e.g. an unreadable trace file). */
  warn?: (message: string) => void;
  /** Keep the cells whose task-order index % count === index - 1 (index is 1-based). */
  shard?: { index: number; count: number };
}

export interface JobMatrix {
  cells: Cell[];
  commands: Map<string, CellCommand>;
}

/**
 * The cells of this job and their commands. Throws an InputError before anything runs when a
 * placeholder is unknown or the program of run.command does not exist (checked from `checkoutDir`).
 */
export function prepareMatrix(config: Config, checkoutDir: string, options: JobOptions): JobMatrix {
  const cells = shardCells(cellsOf(config), options.shard);
  const commands = commandsForCells(config, cells);
  const first = commands.values().next().value;
  if (first) checkProgram(config, first, resolve(checkoutDir, config.run.cwd), options.baseEnv ?? process.env);
  return { cells, commands };
}

/** Runs `body` with a scratch directory and a trace collector, removing both afterwards. */
export async function withTraceCollector<T>(config: Config, options: JobOptions, body: (traces: TraceCollector, scratchDir: string) => Promise<T>): Promise<T> {
  const scratchDir = await mkdtemp(join(tmpdir(), 'frametail-job-'));
  let traces: TraceCollector | undefined;
  try {
    traces = await startTraceCollector(options.traceBackend, config.tracing['max-body-bytes'], modelSpanPredicate(config.tracing['model-spans']));
    const result = await body(traces, scratchDir);
    if (traces.unattributed > 0) {
      options.warn?.(`${traces.unattributed} span(s) reached the receiver without frametail.run.id or a known trace id, and were dropped (does the app keep OTEL_RESOURCE_ATTRIBUTES or TRACEPARENT?)`);
    }
    return result;
  } finally {
    await traces?.close();
    await rm(scratchDir, { recursive: true, force: true });
  }
}

/** Granularity of measuring runs: 'adaptive' measures coarse and re-runs at fine only for attribution. */
export function measureGranularity(config: Config): 'coarse' | 'fine' {
  return config.tracing.granularity === 'fine' ? 'fine' : 'coarse';
}
