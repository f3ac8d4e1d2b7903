/**
 * The action's runner: inputs → validated Inputs, environment → EventContext, a client and an
 * uploader, then the pipeline; outputs are set and every error is mapped to `setFailed` here, in one place.
 */
import * as core from '@actions/core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { InputError } from '../errors.js';
import { createClient } from '../github/client.js';
import { GitHubReplyError } from '../github/parse-reply.js';
import { actionsArtifactUploader, type ResultsUploader } from '../github/upload.js';
import { onInterrupt, type Interruption } from './cancel.js';
import { readEventContext } from './event.js';
import { parseInputs, readRawInputs } from './inputs.js';
import { runPipeline, worktreeDirOf } from './pipeline.js';

export interface RunOverrides {
  /** Replaces the @actions/artifact uploader (tests). */
  uploader?: ResultsUploader;
  env?: Record<string, string | undefined>;
}

/** Runs the action; never throws (failures go through core.setFailed). */
export async function run(overrides: RunOverrides = {}): Promise<void> {
  const env = overrides.env ?? process.env;
  // What measured commands start from, taken before this process changes TMPDIR below.
  const baseEnv = { ...env };
  const outDir = join(env.RUNNER_TEMP ?? tmpdir(), 'frametail');
  // Scratch folders (trace files, receiver spools) go below outDir, so cancelling removes them all.
  process.env.TMPDIR = join(outDir, 'tmp');
  const interruption: Interruption = { check: null, outDir, worktreeDir: null, summaryFile: env.GITHUB_STEP_SUMMARY };
  const stopListening = onInterrupt(interruption);
  try {
    const inputs = parseInputs(readRawInputs((name) => core.getInput(name)));
    const ctx = readEventContext(env);
    interruption.worktreeDir = worktreeDirOf(ctx.workspace, inputs['working-directory']);
    mkdirSync(process.env.TMPDIR, { recursive: true });
    const token = inputs['github-token'];
    core.setSecret(token);
    const retryBase = Number(env.FRAMETAIL_RETRY_BASE_MS);
    const progressMs = Number(env.FRAMETAIL_CHECK_PROGRESS_MS);
    const client = createClient(token, {
      baseUrl: ctx.apiUrl,
      warn: (m) => core.warning(m),
      ...(Number.isFinite(retryBase) && retryBase >= 0 && env.FRAMETAIL_RETRY_BASE_MS ? { retryAfterBaseMs: retryBase } : {}),
    });
    const outputs = await runPipeline(inputs, ctx, {
      client,
      token,
      uploader: overrides.uploader ?? actionsArtifactUploader(),
      summaryFile: env.GITHUB_STEP_SUMMARY,
      outDir,
      log: (m) => core.info(m),
      warn: (m) => core.warning(m),
      baseEnv,
      ...(env.FRAMETAIL_CHECK_PROGRESS_MS && Number.isFinite(progressMs) && progressMs >= 0 ? { progressIntervalMs: progressMs } : {}),
      onCheck: (check) => (interruption.check = check),
    });
    core.setOutput('verdict', outputs.verdict);
    core.setOutput('regressions', String(outputs.regressions));
    core.setOutput('accepted', outputs.accepted);
    core.setOutput('report-path', outputs['report-path']);
    core.setOutput('comment-id', outputs['comment-id']);
    core.setOutput('check-run-id', outputs['check-run-id']);
    if (outputs.failed) core.setFailed(`Frametail: the gate failed with ${outputs.regressions} regressed cell(s); see the check run and the job summary. To accept it deliberately, add the label "${inputs['accept-label']}".`);
    else if (outputs.accepted === 'true') core.notice(`Frametail: the gate failed (verdict ${outputs.verdict}) and the label "${inputs['accept-label']}" accepts it; the step passes.`);
  } catch (error) {
    core.setFailed(failureMessage(error));
  } finally {
    stopListening();
  }
}

/** What the user reads when the action fails: InputError and GitHubReplyError as written, anything else with its kind. */
export function failureMessage(error: unknown): string {
  if (error instanceof InputError || error instanceof GitHubReplyError) return error.message;
  if (error instanceof Error) {
    const status = (error as { status?: number }).status;
    return status ? `GitHub API error ${status}: ${error.message}` : `${error.name}: ${error.message}`;
  }
  return String(error);
}
