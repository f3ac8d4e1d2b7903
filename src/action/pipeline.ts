/**
 * The action's pipeline, one numbered step per stage (DESIGN §2):
 * 1. load the config  2. start the check run (in progress)  3. measure or collect (per mode)
 * 4. find the pull request and its labels (trusted, read now)  5. publish summary, check run and
 * comment  6. write report.json / report.html and outputs. A failure after step 2 completes the check
 * run as `failure` before it is rethrown, so no check is left running.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/parse.js';
import type { GitHubClient } from '../github/client.js';
import { GitHubReplyError } from '../github/parse-reply.js';
import { currentLabels, labelAppliedBy, resolvePullRequest, type ResolvedPullRequest } from '../github/pull-request.js';
import type { Repo } from '../github/repo.js';
import type { ResultsUploader } from '../github/upload.js';
import { escapeMarkdownText, truncate } from '../report/escape.js';
import { renderHtml } from '../report/html/render.js';
import { reportJsonBatches } from '../report/json.js';
import type { Report } from '../report/model.js';
import { sourceLink, withRepoRelativePaths } from '../report/source-path.js';
import { removeEmptyWorktreeDir } from './cancel.js';
import { CheckLifecycle, checkProgress, progressOutput } from './check-lifecycle.js';
import type { EventContext, WorkflowRunRef } from './event.js';
import type { Inputs } from './inputs.js';
import { FRAMETAIL_VERSION } from '../runner/header.js';
import { cappedWarnings, type CappedWarnings } from '../warnings.js';
import { measure } from './measure.js';
import { publish } from './publish.js';

export interface PipelineDeps {
  client: GitHubClient;
  /** The token the client uses: its kind decides whose comments are ours. */
  token: string;
  uploader: ResultsUploader;
  summaryFile: string | undefined;
  /** Scratch space for results and the report (RUNNER_TEMP/frametail). */
  outDir: string;
  log: (message: string) => void;
  warn: (message: string) => void;
  /** The environment measured commands start from (default: process.env; credentials are removed from it). */
  baseEnv?: NodeJS.ProcessEnv;
  /** Least time between two progress updates of the check run (default 15 s). */
  progressIntervalMs?: number;
  /** Told about the check run once it exists, so a signal handler can complete it as cancelled. */
  onCheck?: (check: CheckLifecycle) => void;
}

export interface ActionOutputs {
  verdict: string;
  regressions: number;
  /** 'true' when a reviewer's label accepted the failed gate (the verdict stays `fail`). */
  accepted: string;
  'report-path': string;
  'comment-id': string;
  'check-run-id': string;
  /** The step fails when the check fails (a label-accepted regression does not). */
  failed: boolean;
}

/** Progress updates of the check run: at most one per 15 s, well inside GitHub's limits for a long matrix. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 15_000;

export async function runPipeline(inputs: Inputs, ctx: EventContext, deps: PipelineDeps): Promise<ActionOutputs> {
  const repoDir = resolve(ctx.workspace, inputs['working-directory']);
  await mkdir(deps.outDir, { recursive: true });

  // 1. The config comes from this checkout: in mode report that is the default branch, which is trusted.
  const configPath = resolve(repoDir, inputs.config);
  const config = await loadConfig(configPath);
  const configFile = relative(ctx.workspace, configPath).split(sep).join('/');

  // 2. The check run, in progress while the matrix runs (mode run publishes nothing: its token is read-only).
  const check = inputs.mode === 'run' ? null : newCheck(config, ctx, deps);
  await check?.start(progressOutput(config.experiment.name, 'starting'));
  try {
    return await measureAndPublish(inputs, ctx, deps, { config, configFile, repoDir, check });
  } catch (error) {
    await check?.complete('failure', failureOutput(error));
    throw error;
  }
}

function newCheck(config: Config, ctx: EventContext, deps: PipelineDeps): CheckLifecycle {
  const check = new CheckLifecycle({
    client: deps.client,
    repo: ctx.repo,
    name: `Frametail: ${config.experiment.name}`.slice(0, 100),
    headSha: ctx.headSha,
    detailsUrl: runUrl(ctx),
    progressIntervalMs: deps.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    warn: deps.warn,
  });
  deps.onCheck?.(check);
  return check;
}

async function measureAndPublish(inputs: Inputs, ctx: EventContext, deps: PipelineDeps, job: { config: Config; configFile: string; repoDir: string; check: CheckLifecycle | null }): Promise<ActionOutputs> {
  const { config, configFile, repoDir, check } = job;
  const none = { verdict: '', regressions: 0, accepted: 'false', 'report-path': '', 'comment-id': '', 'check-run-id': '', failed: false };
  const worktreeDir = worktreeDirOf(ctx.workspace, inputs['working-directory']);
  // Checkouts whose absolute paths traces may name: the workspace and the base side's worktrees.
  const roots = [ctx.workspace, join(worktreeDir, '*')];

  // 3. Measure or collect. What the runs warn about (trace and metrics files the pipeline wrote) is
  // untrusted and unbounded: it goes through the warnings cap, with one summary line at the end.
  const runWarnings = cappedWarnings(deps.warn);
  const measured = await measureThenTidy(worktreeDir, runWarnings, () => measure(inputs, config, ctx, {
    client: deps.client,
    uploader: deps.uploader,
    log: deps.log,
    warn: runWarnings.warn,
    outDir: deps.outDir,
    repoDir,
    worktreeDir,
    baseEnv: deps.baseEnv ?? process.env,
    ...(check ? { progress: checkProgress(check, config.experiment.name) } : {}),
  }));
  if (!measured.report) {
    const note = measured.note ?? `Frametail measured ${inputs.shard ? `shard ${inputs.shard.index}/${inputs.shard.count}` : 'the matrix'} and uploaded \`${measured.uploaded}\`; the report job publishes the result.`;
    await appendNote(deps.summaryFile, `${note}\n`);
    await check?.complete('neutral', { title: 'Baseline recorded: nothing to compare yet', summary: note, text: '' });
    return { ...none, 'check-run-id': check?.id ? String(check.id) : '' };
  }
  // No runner path (checkout, RUNNER_TEMP) is kept in what is published or uploaded.
  const scratch = [deps.outDir, ...(process.env.RUNNER_TEMP ? [process.env.RUNNER_TEMP] : [])];
  const report = withRepoRelativePaths(measured.report, roots, scratch);

  // 4. The PR: from the event, or for workflow_run from the trusted head SHA through the API. Its
  // labels are read now, not from the payload: a re-run after the accept label was added must see it.
  const pr = inputs.mode === 'report' && ctx.workflowRun ? await trustedPullRequest(deps, ctx.repo, ctx.workflowRun) : await withCurrentLabels(deps, ctx);
  if (inputs.mode === 'report' && !pr) deps.log(`no open pull request has head ${ctx.headSha.slice(0, 12)}; publishing the check run and summary only`);
  if (pr) report.pullRequest = { number: pr.number, headSha: pr.headSha };

  // A reviewer's label turns a failure into a neutral check, and the comment says who accepted it.
  if (report.verdict === 'fail' && pr?.labels.includes(inputs['accept-label'])) {
    report.accepted = { label: inputs['accept-label'], by: await acceptedBy(deps.client, ctx, pr.number, inputs['accept-label'], deps.warn) };
  }

  // 5. Publish.
  const headSha = pr?.headSha ?? ctx.headSha;
  const published = await publish(
    report,
    {
      repo: ctx.repo,
      headSha,
      pullRequest: pr?.number ?? null,
      configFile,
      roots,
      inputLines: config.source.lines.inputs,
      serverUrl: ctx.serverUrl,
      reproduce: reproduceCommand(configFile, report.sides.base.sha),
    },
    inputs.comment,
    check ?? newCheck(config, ctx, deps),
    { client: deps.client, token: deps.token, summaryFile: deps.summaryFile, fileExists: repoFileExists(ctx.workspace), warn: deps.warn, log: deps.log },
  );

  // 6. The report files and outputs.
  const reportPath = join(deps.outDir, 'report.json');
  // In pieces (report/json.ts): a matrix of 100,000 cells never becomes one string of hundreds of megabytes.
  await writeFile(reportPath, reportJsonBatches(report));
  const reportFiles = [reportPath];
  if (inputs['html-report']) {
    const htmlPath = join(deps.outDir, 'report.html');
    const repo = { serverUrl: ctx.serverUrl, owner: ctx.repo.owner, repo: ctx.repo.repo, sha: headSha, roots };
    await writeFile(htmlPath, renderHtml(report, { sourceUrl: (file, line) => sourceLink(repo, file, line) }));
    reportFiles.push(htmlPath);
  }
  await uploadReport(deps, `${inputs['artifact-name']}-report`, reportFiles);
  return {
    verdict: report.verdict,
    regressions: report.summary.regression,
    accepted: String(report.accepted !== undefined),
    'report-path': reportPath,
    'comment-id': published.commentId === null ? '' : String(published.commentId),
    'check-run-id': published.checkRunId === null ? '' : String(published.checkRunId),
    failed: published.conclusion === 'failure',
  };
}

/** Runs `body`; afterwards the warnings left out are counted and the worktree folders it made go (when empty). */
async function measureThenTidy<T>(worktreeDir: string, warnings: CappedWarnings, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    warnings.flush();
    removeEmptyWorktreeDir(worktreeDir);
  }
}

/** Where the base side's worktrees go: inside the repository (see measure.ts), removed when the job ends. */
export function worktreeDirOf(workspace: string, workingDirectory: string): string {
  return join(resolve(workspace, workingDirectory), '.frametail', 'worktrees');
}

function runUrl(ctx: EventContext): string {
  return `${ctx.serverUrl}/${ctx.repo.owner}/${ctx.repo.repo}/actions/runs/${ctx.runId}`;
}

/** The check run's output when the job broke before a verdict: the message, escaped. */
export function failureOutput(error: unknown): { title: string; summary: string; text: string } {
  const message = error instanceof Error ? error.message : String(error);
  return {
    title: 'Frametail could not finish',
    summary: `Frametail stopped before a verdict:\n\n${escapeMarkdownText(truncate(message, 2000))}\n\nSee the job log for details.`,
    text: '',
  };
}

/**
 * Uploads report.json (and report.html) as an artifact reviewers can download from the run page. The
 * comment and check are already published, so a failed upload is a warning, never a failed job.
 */
async function uploadReport(deps: PipelineDeps, name: string, files: string[]): Promise<void> {
  try {
    await deps.uploader.upload(name, files, deps.outDir);
    deps.log(`report uploaded as artifact "${name}": ${files.map((f) => f.slice(deps.outDir.length + 1)).join(', ')}`);
  } catch (error) {
    deps.warn(`Could not upload the report artifact "${name}" (${(error as Error).message}); the report is still at ${files[0]}.`);
  }
}

/**
 * The command that reproduces the comparison locally, run in a checkout of the PR head: the CLI of this
 * very version from npm (the same statistics), `--yes` so npx does not stop to ask. The base SHA can come
 * from an artifact (untrusted), so it is used only when it is a plain hex SHA; the config path is quoted
 * for the shell unless it is plainly safe.
 */
export function reproduceCommand(configFile: string, baseSha: string | null): string {
  const base = baseSha && /^[0-9a-f]{7,64}$/.test(baseSha) ? ` --base ${baseSha}` : '';
  const config = /^[A-Za-z0-9._/-]+$/.test(configFile) ? configFile : `'${configFile.replace(/'/g, `'\\''`)}'`;
  return `npx --yes frametail@${FRAMETAIL_VERSION} bench --config ${config}${base}`;
}

/**
 * The PR of a `workflow_run`. The report is already measured here, so a malformed pulls reply does not
 * throw it away: it is a warning and the check run and summary are still published (without the PR an
 * accept label cannot apply, so the gate fails closed rather than open).
 */
async function trustedPullRequest(deps: PipelineDeps, repo: Repo, run: WorkflowRunRef): Promise<ResolvedPullRequest | null> {
  try {
    return await resolvePullRequest(deps.client, repo, run);
  } catch (error) {
    if (!(error instanceof GitHubReplyError)) throw error;
    deps.warn(`Frametail could not find the pull request: ${error.message}. Publishing the check run and the job summary only.`);
    return null;
  }
}

/**
 * The event's PR with the labels it has now. When they cannot be read (a refusal, a malformed reply),
 * the payload's labels stand, with a warning.
 */
async function withCurrentLabels(deps: PipelineDeps, ctx: EventContext): Promise<ResolvedPullRequest | null> {
  const pr = ctx.pullRequest;
  if (!pr) return null;
  try {
    return { number: pr.number, headSha: pr.headSha, labels: await currentLabels(deps.client, ctx.repo, pr.number) };
  } catch (error) {
    deps.warn(`Could not read the labels of #${pr.number} (${(error as Error).message.split('\n')[0]}); using the labels of the event.`);
    return { number: pr.number, headSha: pr.headSha, labels: pr.labels };
  }
}

async function acceptedBy(client: GitHubClient, ctx: EventContext, pr: number, label: string, warn: (m: string) => void): Promise<string | null> {
  try {
    return await labelAppliedBy(client, ctx.repo, pr, label);
  } catch (error) {
    warn(`Could not read who applied "${label}" (${(error as Error).message}); the regression is accepted anyway.`);
    return null;
  }
}

/** Whether a repository-relative path is a regular file inside the workspace (annotations need real paths). */
export function repoFileExists(workspace: string): (path: string) => boolean {
  const root = resolve(workspace);
  return (path) => {
    const full = resolve(root, path);
    if (full !== root && !full.startsWith(root + sep)) return false;
    try {
      return existsSync(full) && statSync(full).isFile();
    } catch {
      return false;
    }
  };
}

async function appendNote(file: string | undefined, text: string): Promise<void> {
  if (file) await writeFile(file, text, { flag: 'a' });
}

export type { Report };
