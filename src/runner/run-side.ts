/**
 * `frametail run`: measure one checkout as one side, every cell for a fixed number of rounds, into
 * one results file. `bench` is the two-sided, interleaved version.
 */
import { join } from 'node:path';
import type { Config } from '../config/parse.js';
import { LIMITS } from '../config/schema.js';
import { InputError } from '../errors.js';
import { planRuns } from '../plan/plan.js';
import type { Side } from '../results/format.js';
import { checkResultsTarget, openResults } from '../results/write.js';
import { machineEnv, resultsHeader } from './header.js';
import { measureGranularity, prepareMatrix, withTraceCollector, type JobOptions } from './job.js';
import { executeRuns } from './matrix.js';
import { runSetup } from './preflight.js';
import { silentProgress, type ProgressSink } from './progress.js';

export interface RunSideOptions extends JobOptions {
  config: Config;
  /** The checkout to measure; run.cwd is resolved against it. */
  checkoutDir: string;
  side: Side;
  outDir: string;
  /** Counted rounds per cell (default: the last gate look). */
  rounds?: number;
  resume?: boolean;
  ref?: string | null;
  sha?: string | null;
  progress?: ProgressSink;
}

export interface RunSideResult {
  file: string;
  runs: number;
}

/** Runs the plan of one side; the results file gets its footer only when every run is recorded. */
export async function runSide(options: RunSideOptions): Promise<RunSideResult> {
  const { config } = options;
  const matrix = prepareMatrix(config, options.checkoutDir, options);
  const file = join(options.outDir, 'results.jsonl');
  const header = resultsHeader({ side: options.side, ref: options.ref ?? null, sha: options.sha ?? null, config, env: machineEnv(), now: new Date() });
  // Before setup (often minutes): an existing file without --resume, or of another commit, is refused.
  checkResultsTarget(file, header, options.resume ?? false);
  const rounds = options.rounds ?? Math.max(...config.gate.looks);
  const planned = matrix.cells.length * (config.run.warmup + rounds);
  if (planned > LIMITS.plannedRuns) {
    throw new InputError(`--rounds ${rounds}: ${matrix.cells.length} cells × (${config.run.warmup} warm-up + ${rounds} rounds) = ${planned} runs, more than ${LIMITS.plannedRuns}`);
  }
  await runSetup(config, options.side, options.checkoutDir, options.baseEnv);
  const plan = planRuns({ cells: matrix.cells, sides: [options.side], firstRound: 1, lastRound: rounds, warmup: config.run.warmup, granularity: measureGranularity(config) });
  const writer = openResults(file, header, { resume: options.resume ?? false, warn: options.warn });
  try {
    await withTraceCollector(config, options, (traces, scratchDir) =>
      executeRuns(plan, {
        config,
        commands: matrix.commands,
        checkouts: { [options.side]: { side: options.side, dir: options.checkoutDir, writer } },
        traces,
        scratchDir,
        progress: options.progress ?? silentProgress,
        label: `${options.side}: ${rounds} rounds`,
        baseEnv: options.baseEnv,
        killGraceMs: options.killGraceMs,
        warn: options.warn,
      }),
    );
    writer.finish();
  } finally {
    writer.close();
  }
  return { file: writer.file, runs: writer.runs.length };
}
