/**
 * `frametail bench`: both sides of a PR measured on one machine, interleaved round by round (ABBA),
 * with adaptive looks (DESIGN §5: only inconclusive cells get more rounds) and, for granularity
 * `adaptive`, fine re-runs of regressed or failing cells to attribute the change to spans.
 *
 * 1. resolve the refs and check the command (nothing runs before the input is known good)
 * 2. check out the base side into a worktree; run.setup once per side
 * 3. look loop: run rounds, compare, run more rounds for inconclusive cells, up to the last look
 * 4. attribution re-runs at fine granularity (adaptive only), then the final comparison
 * 5. footers; the worktree is removed whatever happened
 */
import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/parse.js';
import { planRuns, type Cell, type PlannedRun } from '../plan/plan.js';
import type { Side } from '../results/format.js';
import type { ResultsFile } from '../results/read.js';
import { readResultsPair } from '../results/read-pair.js';
import { checkResultsTarget, openResults, type ResultsWriter } from '../results/write.js';
import type { Report } from '../report/model.js';
import { addWorktree, repositoryRoot, resolveBase, resolveHead, type Worktree } from './git.js';
import { machineEnv, resultsHeader } from './header.js';
import { measureGranularity, prepareMatrix, withTraceCollector, type JobOptions } from './job.js';
import { executeRuns, type MatrixOptions } from './matrix.js';
import { checkProgram, runSetup } from './preflight.js';
import { silentProgress, type ProgressSink } from './progress.js';

/** Compares the two results files as they stand; `adaptive` marks verdicts taken at a look. */
export type CompareFiles = (baseFile: string, headFile: string, adaptive: boolean) => Promise<Report>;

/** Which cells need more rounds after a report, and up to which round (A2's cellsNeedingMoreRounds). */
export type NextLook = (report: Report, looks: readonly number[]) => { cells: { input: string; variant: string }[]; nextRounds: number | null };

export interface BenchOptions extends JobOptions {
  config: Config;
  /** A directory in the repository; the repository's current checkout is the head side unless headRef is given. */
  repoDir: string;
  baseRef: string;
  headRef?: string;
  outDir: string;
  log: (line: string) => void;
  progress?: ProgressSink;
  resume?: boolean;
  /** The comparison engine; without it bench runs the last look's rounds for every cell and returns no report. */
  compare?: CompareFiles;
  nextLook?: NextLook;
  /**
   * Where worktrees go (default: `.frametail/worktrees` in the repository). A worktree holds only what
   * git tracks, so no node_modules: inside the repository, Node resolves the base side's bare imports
   * through the repository's installed packages, as Python's and other tools' parent-folder lookups do.
   */
  worktreeDir?: string;
  /** Rounds of fine re-runs per side for attribution (granularity adaptive). */
  attributionRounds?: number;
}

export interface BenchResult {
  baseFile: string;
  headFile: string;
  report: Report | null;
}

const DEFAULT_ATTRIBUTION_ROUNDS = 3;

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const { config } = options;
  const root = await repositoryRoot(options.repoDir);
  const base = await resolveBase(root, options.baseRef);
  const head = await resolveHead(root, options.headRef);
  options.log(`base: ${base.ref} → ${base.sha.slice(0, 12)}${base.mergeBase ? ' (merge-base with HEAD)' : ''}`);
  options.log(`head: ${head.ref} → ${head.sha.slice(0, 12)}${options.headRef ? '' : ' (this checkout)'}`);
  const env = machineEnv();
  const now = new Date();
  const headerOf = (side: Side, ref: { ref: string; sha: string }) => resultsHeader({ side, ref: ref.ref, sha: ref.sha, config, env, now });
  const fileOf = (side: Side) => join(options.outDir, side, 'results.jsonl');
  // Before worktrees and setup: existing files without --resume, or of other commits, are refused.
  checkResultsTarget(fileOf('base'), headerOf('base', base), options.resume ?? false);
  checkResultsTarget(fileOf('head'), headerOf('head', head), options.resume ?? false);
  const worktrees: Worktree[] = [];
  const writers: ResultsWriter[] = [];
  try {
    const worktreeDir = options.worktreeDir ?? join(root, '.frametail', 'worktrees');
    const headDir = options.headRef ? (await track(worktrees, addWorktree(root, head.sha, worktreeDir))).dir : root;
    const matrix = prepareMatrix(config, headDir, options);
    const baseDir = (await track(worktrees, addWorktree(root, base.sha, worktreeDir))).dir;
    const first = matrix.commands.values().next().value;
    if (first) checkProgram(config, first, join(baseDir, config.run.cwd), options.baseEnv ?? process.env);
    const dirs: Record<Side, string> = { base: baseDir, head: headDir };
    for (const side of ['base', 'head'] as const) {
      if (config.run.setup) options.log(`setup: ${side} side`);
      await runSetup(config, side, dirs[side], options.baseEnv);
    }
    const open = (side: Side, ref: { ref: string; sha: string }) => {
      const writer = openResults(fileOf(side), headerOf(side, ref), { resume: options.resume ?? false, warn: options.warn });
      writers.push(writer);
      return { side, dir: dirs[side], writer };
    };
    const checkouts = { base: open('base', base), head: open('head', head) };
    const report = await withTraceCollector(config, options, async (traces, scratchDir) => {
      const matrixOptions = (label: string): MatrixOptions => ({
        config,
        commands: matrix.commands,
        checkouts,
        traces,
        scratchDir,
        progress: options.progress ?? silentProgress,
        label,
        baseEnv: options.baseEnv,
        killGraceMs: options.killGraceMs,
        warn: options.warn,
      });
      const execute = (runs: PlannedRun[], label: string) => executeRuns(runs, matrixOptions(label));
      const looked = await lookLoop(config, matrix.cells, options, execute, checkouts.base.writer.file, checkouts.head.writer.file);
      return looked && config.tracing.granularity === 'adaptive' ? attributionPass(looked, matrix.cells, options, execute, checkouts.base.writer.file, checkouts.head.writer.file) : looked;
    });
    for (const writer of writers) writer.finish();
    return { baseFile: checkouts.base.writer.file, headFile: checkouts.head.writer.file, report };
  } finally {
    for (const writer of writers) writer.close();
    for (const worktree of worktrees) await worktree.remove();
    if (!options.worktreeDir) await removeIfEmpty(join(root, '.frametail', 'worktrees'), join(root, '.frametail'));
  }
}

/** Removes the folders we made for worktrees, innermost first, only while they are empty. */
async function removeIfEmpty(...dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
  }
}

async function track(worktrees: Worktree[], adding: Promise<Worktree>): Promise<Worktree> {
  const worktree = await adding;
  worktrees.push(worktree);
  return worktree;
}

/**
 * The adaptive looks: every cell runs up to the first look, then only cells the comparison left
 * inconclusive run on to the next look, until none is left or the last look is reached. Without a
 * comparison engine (or with a single look) every cell runs the last look's rounds.
 */
export async function lookLoop(
  config: Config,
  cells: Cell[],
  options: Pick<BenchOptions, 'compare' | 'nextLook' | 'log'>,
  execute: (runs: PlannedRun[], label: string) => Promise<unknown>,
  baseFile: string,
  headFile: string,
): Promise<Report | null> {
  const looks = [...new Set(config.gate.looks)].sort((a, b) => a - b);
  const adaptive = looks.length > 1 && options.compare !== undefined && options.nextLook !== undefined;
  const firstRounds = adaptive ? looks[0]! : looks[looks.length - 1]!;
  const granularity = measureGranularity(config);
  await execute(planRuns({ cells, sides: ['base', 'head'], firstRound: 1, lastRound: firstRounds, warmup: config.run.warmup, granularity }), `rounds 1–${firstRounds}`);
  if (!options.compare) return null;
  let report = await options.compare(baseFile, headFile, adaptive);
  const rounds = new Map(cells.map((cell) => [cellName(cell.input.id, cell.variant.id), firstRounds]));
  while (adaptive) {
    const next = options.nextLook!(report, looks);
    if (next.nextRounds === null || next.cells.length === 0) break;
    const more = cells.filter((cell) => next.cells.some((c) => c.input === cell.input.id && c.variant === cell.variant.id));
    const runs = more.flatMap((cell) => {
      const done = rounds.get(cellName(cell.input.id, cell.variant.id)) ?? 0;
      rounds.set(cellName(cell.input.id, cell.variant.id), next.nextRounds!);
      return planRuns({ cells: [cell], sides: ['base', 'head'], firstRound: done + 1, lastRound: next.nextRounds!, warmup: 0, granularity });
    });
    if (runs.length === 0) break;
    runs.sort((a, b) => a.round - b.round || a.cell.index - b.cell.index);
    options.log(`look: ${more.length} inconclusive cell(s) continue to ${next.nextRounds} rounds`);
    await execute(runs, `${more.length} cell(s) to ${next.nextRounds} rounds`);
    report = await options.compare(baseFile, headFile, adaptive);
  }
  return report;
}

/**
 * Granularity `adaptive`: re-runs regressed or failing cells at fine granularity on both sides,
 * interleaved, as phase `attribution` (the comparison never counts them for latency), then compares
 * once more so the report's spans gain the deeper paths only fine runs carry (stages stay judged on the
 * counted runs, which have every round).
 */
async function attributionPass(
  report: Report,
  cells: Cell[],
  options: Pick<BenchOptions, 'compare' | 'log' | 'attributionRounds' | 'config'>,
  execute: (runs: PlannedRun[], label: string) => Promise<unknown>,
  baseFile: string,
  headFile: string,
): Promise<Report> {
  const attribution = attributionCells(report, cells);
  if (attribution.length === 0 || !options.compare) return report;
  const rounds = options.attributionRounds ?? DEFAULT_ATTRIBUTION_ROUNDS;
  options.log(`attribution: ${attribution.length} cell(s) re-run at fine granularity, ${rounds} rounds per side`);
  await execute(planRuns({ cells: attribution, sides: ['base', 'head'], firstRound: 1, lastRound: rounds, warmup: 0, phase: 'attribution', granularity: 'fine' }), `attribution, ${rounds} rounds`);
  return options.compare(baseFile, headFile, options.config.gate.looks.length > 1);
}

/** Cells worth a fine re-run: a latency or success regression, or any failed or timed-out head run. */
export function attributionCells(report: Report, cells: Cell[]): Cell[] {
  const wanted = report.cells.filter((c) => c.presence === 'both' && (c.verdict === 'regression' || c.head.failed + c.head.timeout > 0));
  return cells.filter((cell) => wanted.some((c) => c.input === cell.input.id && c.variant === cell.variant.id));
}

function cellName(input: string, variant: string): string {
  return `${input}/${variant}`;
}

/** A CompareFiles that reads both files as they stand and hands them to `compare` (e.g. compareSides). */
export function compareFilesWith(compare: (base: ResultsFile, head: ResultsFile, adaptive: boolean) => Report): CompareFiles {
  return async (baseFile, headFile, adaptive) => compare(...(await readResultsPair(baseFile, headFile)), adaptive);
}
