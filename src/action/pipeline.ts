/**
 * The action's pipeline, one numbered step per stage (DESIGN §2):
 * 1. load the config  2. measure or collect (per mode)  3. find the pull request (trusted)
 * 4. apply the accept label  5. publish summary, check run and comment  6. write report.json and outputs.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { GitHubClient } from '../github/client.js';
import { GitHubReplyError } from '../github/parse-reply.js';
import { labelAppliedBy, resolvePullRequest, type ResolvedPullRequest } from '../github/pull-request.js';
import type { ResultsUploader } from '../github/upload.js';
import { renderHtml } from '../report/html/render.js';
import type { Report } from '../report/model.js';
import type { EventContext, Repo, WorkflowRunRef } from './event.js';
import type { Inputs } from './inputs.js';
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
}

export interface ActionOutputs {
  verdict: string;
  regressions: number;
  'report-path': string;
  'comment-id': string;
  'check-run-id': string;
  /** The step fails when the check fails (a label-accepted regression does not). */
  failed: boolean;
}

export async function runPipeline(inputs: Inputs, ctx: EventContext, deps: PipelineDeps): Promise<ActionOutputs> {
  const repoDir = resolve(ctx.workspace, inputs['working-directory']);
  await mkdir(deps.outDir, { recursive: true });

  // 1. The config comes from this checkout: in mode report that is the default branch, which is trusted.
  const configPath = resolve(repoDir, inputs.config);
  const config = await loadConfig(configPath);
  const configFile = relative(ctx.workspace, configPath).split(sep).join('/');

  // 2. Measure or collect.
  const measured = await measure(inputs, config, ctx, { client: deps.client, uploader: deps.uploader, log: deps.log, warn: deps.warn, outDir: deps.outDir, repoDir });
  if (!measured.report) {
    await appendNote(deps.summaryFile, `Frametail measured ${inputs.shard ? `shard ${inputs.shard.index}/${inputs.shard.count}` : 'the matrix'} and uploaded \`${measured.uploaded}\`; the report job publishes the result.\n`);
    return { verdict: '', regressions: 0, 'report-path': '', 'comment-id': '', 'check-run-id': '', failed: false };
  }
  const report = measured.report;

  // 3. The PR: from the event, or for workflow_run from the trusted head SHA through the API.
  const pr = inputs.mode === 'report' && ctx.workflowRun ? await trustedPullRequest(deps, ctx.repo, ctx.workflowRun) : ctx.pullRequest;
  if (inputs.mode === 'report' && !pr) deps.log(`no open pull request has head ${ctx.headSha.slice(0, 12)}; publishing the check run and summary only`);

  // 4. A reviewer's label turns a failure into a neutral check, and the comment says who accepted it.
  if (report.verdict === 'fail' && pr?.labels.includes(inputs['accept-label'])) {
    report.accepted = { label: inputs['accept-label'], by: await acceptedBy(deps.client, ctx, pr.number, inputs['accept-label'], deps.warn) };
  }

  // 5. Publish.
  const published = await publish(
    report,
    {
      repo: ctx.repo,
      headSha: pr?.headSha ?? ctx.headSha,
      pullRequest: pr?.number ?? null,
      configFile,
      workspace: ctx.workspace,
      inputLines: config.source.lines.inputs,
      serverUrl: ctx.serverUrl,
      runUrl: `${ctx.serverUrl}/${ctx.repo.owner}/${ctx.repo.repo}/actions/runs/${ctx.runId}`,
      reproduce: reproduceCommand(configFile, report.sides.base.sha),
    },
    inputs.comment,
    { client: deps.client, token: deps.token, summaryFile: deps.summaryFile, fileExists: repoFileExists(ctx.workspace), warn: deps.warn, log: deps.log },
  );

  // 6. The report files and outputs.
  const reportPath = join(deps.outDir, 'report.json');
  await writeFile(reportPath, JSON.stringify(report, null, 2) + '\n');
  const reportFiles = [reportPath];
  if (inputs['html-report']) {
    const htmlPath = join(deps.outDir, 'report.html');
    await writeFile(htmlPath, renderHtml(report));
    reportFiles.push(htmlPath);
  }
  await uploadReport(deps, `${inputs['artifact-name']}-report`, reportFiles);
  return {
    verdict: report.verdict,
    regressions: report.summary.regression,
    'report-path': reportPath,
    'comment-id': published.commentId === null ? '' : String(published.commentId),
    'check-run-id': published.checkRunId === null ? '' : String(published.checkRunId),
    failed: published.conclusion === 'failure',
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
 * The command that reproduces the comparison locally. The base SHA can come from an artifact (untrusted),
 * so it is used only when it is a plain hex SHA.
 */
export function reproduceCommand(configFile: string, baseSha: string | null): string {
  const base = baseSha && /^[0-9a-f]{7,64}$/.test(baseSha) ? ` --base ${baseSha}` : '';
  return `npx frametail bench --config ${configFile}${base}`;
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
