/**
 * Step 2 of the pipeline: where the report comes from in each mode.
 * - `all`: measure base and head here (`baseline: rerun`), or head here and the base from the
 *   merge-base commit's artifact (`baseline: artifact`, environment fingerprint checked).
 * - `run`: measure (one shard of) the matrix and upload the results; no report is published here.
 * - `report`: download every shard's artifact of the triggering run, re-validate, fan in, compare.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cellsNeedingMoreRounds } from '../compare/adaptive.js';
import { requireHeadRuns } from '../compare/sides.js';
import type { FailOn } from '../compare/settings.js';
import type { Config } from '../config/parse.js';
import { InputError } from '../errors.js';
import { downloadArtifact, listResultsArtifacts } from '../github/artifacts.js';
import { baselineFromArtifact, mergeBase, noBaselineError } from '../github/baseline.js';
import type { GitHubClient } from '../github/client.js';
import { artifactNameFor, fanInResults, fingerprintMismatch, RESULTS_FILE_NAMES } from '../github/results-artifact.js';
import type { ResultsUploader } from '../github/upload.js';
import type { Report } from '../report/model.js';
import { readResults } from '../results/read.js';
import { readResultsPair } from '../results/read-pair.js';
import { compareFilesWith, runBench } from '../runner/bench.js';
import { runSide } from '../runner/run-side.js';
import type { ProgressSink } from '../runner/progress.js';
import { defaultTraceBackend } from '../runner/trace-backend.js';
import { compareForConfig } from './compare.js';
import type { EventContext } from './event.js';
import type { Inputs } from './inputs.js';

export interface MeasureDeps {
  client: GitHubClient;
  uploader: ResultsUploader;
  log: (line: string) => void;
  warn: (message: string) => void;
  /** The directory results and reports are written to (under RUNNER_TEMP). */
  outDir: string;
  /** The checkout measured (working-directory inside GITHUB_WORKSPACE). */
  repoDir: string;
  /** Where the base side's worktrees go (inside the repository, see bench()). */
  worktreeDir: string;
  /** The environment measured commands start from (runner/env.ts removes the action's credentials from it). */
  baseEnv: NodeJS.ProcessEnv;
  /** Progress of the matrix (the check run's output). */
  progress?: ProgressSink;
}

export interface Measured {
  report: Report | null;
  /** Artifact uploaded by this job, if any. */
  uploaded: string | null;
  /** Why there is no report although the mode publishes one (the first push of `baseline: artifact`). */
  note?: string;
}

/** Runs the mode's measuring or collecting step. */
export async function measure(inputs: Inputs, config: Config, ctx: EventContext, deps: MeasureDeps): Promise<Measured> {
  const failOn = inputs['fail-on'] as FailOn[] | undefined;
  switch (inputs.mode) {
    case 'report':
      return { report: await collectShards(inputs, config, ctx, deps, failOn), uploaded: null };
    case 'run':
      return { report: null, uploaded: await measureAndUpload(inputs, config, ctx, deps, failOn) };
    case 'all':
      return inputs.baseline === 'artifact' ? measureAgainstArtifact(inputs, config, ctx, deps, failOn) : measureBothSides(inputs, config, ctx, deps, failOn);
  }
}

function baseRefOf(inputs: Inputs, ctx: EventContext): string {
  const base = inputs['base-ref'] ?? ctx.baseSha;
  if (!base) throw new InputError(`input base-ref: needed on ${ctx.eventName} events (no base commit in the event); e.g. base-ref: origin/main`);
  return base;
}

async function bench(inputs: Inputs, config: Config, ctx: EventContext, deps: MeasureDeps, failOn: FailOn[] | undefined) {
  return runBench({
    config,
    repoDir: deps.repoDir,
    baseRef: baseRefOf(inputs, ctx),
    outDir: deps.outDir,
    log: deps.log,
    warn: deps.warn,
    traceBackend: await defaultTraceBackend(),
    // Inside the workspace, the base checkout resolves the workspace's installed packages (node_modules,
    // virtualenvs found by walking up); `run.setup` installs per side when dependencies differ.
    worktreeDir: deps.worktreeDir,
    baseEnv: deps.baseEnv,
    ...(deps.progress ? { progress: deps.progress } : {}),
    ...(inputs.shard ? { shard: inputs.shard } : {}),
    compare: compareFilesWith((base, head, adaptive) => compareForConfig(config, base, head, { ...(failOn ? { failOn } : {}), adaptive })),
    nextLook: cellsNeedingMoreRounds,
  });
}

async function measureBothSides(inputs: Inputs, config: Config, ctx: EventContext, deps: MeasureDeps, failOn: FailOn[] | undefined): Promise<Measured> {
  const result = await bench(inputs, config, ctx, deps, failOn);
  const report = result.report ?? compareForConfig(config, ...(await readResultsPair(result.baseFile, result.headFile)), failOn ? { failOn } : {});
  return { report, uploaded: null };
}

/** The head side alone, in this checkout (`baseline: artifact`). */
async function measureHead(inputs: Inputs, config: Config, ctx: EventContext, deps: MeasureDeps) {
  return runSide({
    config,
    traceBackend: await defaultTraceBackend(),
    checkoutDir: deps.repoDir,
    side: 'head',
    outDir: join(deps.outDir, 'head'),
    sha: ctx.headSha,
    baseEnv: deps.baseEnv,
    warn: deps.warn,
    ...(deps.progress ? { progress: deps.progress } : {}),
    ...(inputs.shard ? { shard: inputs.shard } : {}),
  });
}

/**
 * `baseline: artifact`. On push the head results are uploaded too: they are the baseline of the PRs
 * that branch from this commit. A push with no baseline yet (the first one, or one whose previous
 * commit never ran the action) bootstraps: it measures and uploads, and has nothing to compare.
 */
async function measureAgainstArtifact(inputs: Inputs, config: Config, ctx: EventContext, deps: MeasureDeps, failOn: FailOn[] | undefined): Promise<Measured> {
  const baseRef = inputs['base-ref'] ?? ctx.baseSha;
  const push = ctx.eventName === 'push';
  const head = await measureHead(inputs, config, ctx, deps);
  const uploaded = push ? await upload(deps, artifactNameFor(inputs['artifact-name'], inputs.shard), { head: head.file }) : null;
  const bootstrap = (why: string): Measured => ({ report: null, uploaded, note: `${why}: this run measured ${ctx.headSha.slice(0, 12)} and uploaded \`${uploaded}\`, the baseline of the next pushes and pull requests.` });
  if (push && !baseRef) return bootstrap('No previous commit to compare with');
  const sha = await mergeBase(deps.client, ctx.repo, baseRefOf(inputs, ctx), ctx.headSha);
  const baseline = await baselineFromArtifact(deps.client, ctx.repo, sha, inputs['artifact-name']);
  if (!baseline && push) return bootstrap(`No run on ${sha.slice(0, 12)} uploaded "${inputs['artifact-name']}" yet`);
  if (!baseline) throw noBaselineError(sha, inputs['artifact-name']);
  deps.log(`base: results of run ${baseline.runId} on the merge-base ${sha.slice(0, 12)}`);
  const headResults = await readResults(head.file);
  const report = compareForConfig(config, baseline.results, headResults, { ...(failOn ? { failOn } : {}), baselineFromArtifact: true });
  const mismatch = fingerprintMismatch(baseline.results.header?.env, headResults.header?.env);
  if (mismatch.length > 0) {
    report.warnings.push(`The baseline was measured on a different environment (${mismatch.join(', ')} differ): latency differences may come from the machine, not the code. Use baseline: rerun to measure both sides in one job.`);
  }
  return { report, uploaded };
}

async function measureAndUpload(inputs: Inputs, config: Config, ctx: EventContext, deps: MeasureDeps, failOn: FailOn[] | undefined): Promise<string> {
  const name = artifactNameFor(inputs['artifact-name'], inputs.shard);
  if (inputs.baseline === 'artifact') {
    const head = await measureHead(inputs, config, ctx, deps);
    return upload(deps, name, { head: head.file });
  }
  const result = await bench(inputs, config, ctx, deps, failOn);
  return upload(deps, name, { base: result.baseFile, head: result.headFile });
}

/** Uploads the results files under their artifact names (base.results.jsonl, head.results.jsonl). */
async function upload(deps: MeasureDeps, name: string, files: { base?: string; head?: string }): Promise<string> {
  const dir = join(deps.outDir, 'artifact');
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const side of ['base', 'head'] as const) {
    const file = files[side];
    if (!file) continue;
    const target = join(dir, RESULTS_FILE_NAMES[side]);
    await copyFile(file, target);
    paths.push(target);
  }
  await deps.uploader.upload(name, paths, dir);
  deps.log(`uploaded artifact ${name} (${paths.length} files)`);
  return name;
}

async function collectShards(inputs: Inputs, config: Config, ctx: EventContext, deps: MeasureDeps, failOn: FailOn[] | undefined): Promise<Report> {
  const run = ctx.workflowRun;
  if (!run) throw new InputError(`input mode: report runs on workflow_run events (this is ${ctx.eventName}); see the README's fork-safe workflow pair`);
  const artifacts = await listResultsArtifacts(deps.client, ctx.repo, run.id, inputs['artifact-name']);
  if (artifacts.length === 0) throw new InputError(`run ${run.id} uploaded no "${inputs['artifact-name']}" artifact: did its mode: run job succeed?`);
  const downloaded = [];
  for (const artifact of artifacts) downloaded.push({ name: artifact.name, entries: await downloadArtifact(deps.client, ctx.repo, artifact) });
  deps.log(`downloaded ${downloaded.map((a) => a.name).join(', ')}`);
  const { base, head } = fanInResults(downloaded);
  if (!base || !head) throw new InputError(`the "${inputs['artifact-name']}" artifacts of run ${run.id} hold no ${base ? 'head' : 'base'} results`);
  // A head without a run is refused as the CLI refuses it (exit 2): a failed check with the reason, not a green "unchanged".
  requireHeadRuns(head);
  return compareForConfig(config, base, head, failOn ? { failOn } : {});
}
