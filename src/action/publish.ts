/**
 * Steps 4–6 of the pipeline: write the job summary (always, first, so it survives any later refusal),
 * then the check run and the sticky comment. Two failures degrade to a warning instead of failing the
 * step, so the measured report is never lost and the other channel is still tried:
 * - a refusal for lack of permission (fork PR, read-only token): the warning names the fix;
 * - a reply that does not have the shape we read (GitHubReplyError: a proxy's page, a missing id): the
 *   warning names the endpoint and the field, and that output (check-run-id, comment-id) stays empty
 *   rather than "undefined".
 * Neither changes the verdict: when the gate failed, the step still fails (run.ts). Other API errors
 * (after retries) fail the step.
 */
import { appendFile } from 'node:fs/promises';
import { buildAnnotations } from '../github/annotations.js';
import { conclusionFor, publishCheckRun, type Conclusion } from '../github/check-run.js';
import type { GitHubClient } from '../github/client.js';
import { commentMarker, findStickyComment, shouldComment, upsertComment, type CommentPolicy } from '../github/comment.js';
import { tokenActor } from '../github/identity.js';
import { GitHubReplyError } from '../github/parse-reply.js';
import { isPermissionError, permissionWarning, type Permission } from '../github/permissions.js';
import { renderCheckOutput, renderComment, renderSummary, SUMMARY_LIMIT_BYTES } from '../report/markdown/comment.js';
import type { Report } from '../report/model.js';
import type { Repo } from './event.js';

export interface PublishTarget {
  repo: Repo;
  /** The commit the check run goes on (PR head). */
  headSha: string;
  /** The PR to comment on; null for pushes and merge groups. */
  pullRequest: number | null;
  /** Repository-relative config path (annotations, marker). */
  configFile: string;
  /** Absolute checkout path (span code paths under it are made repository-relative). */
  workspace: string;
  /** 1-based line of each input in the config file. */
  inputLines: Record<string, number>;
  serverUrl: string;
  runUrl: string;
  reproduce: string;
}

export interface PublishDeps {
  client: GitHubClient;
  token: string;
  summaryFile: string | undefined;
  fileExists: (repoPath: string) => boolean;
  warn: (message: string) => void;
  log: (message: string) => void;
}

export interface Published {
  conclusion: Conclusion;
  commentId: number | null;
  checkRunId: number | null;
}

/** Publishes `report` everywhere the token allows; never throws for a missing permission or a malformed reply. */
export async function publish(report: Report, target: PublishTarget, policy: CommentPolicy, deps: PublishDeps): Promise<Published> {
  const accepted = report.accepted !== undefined;
  const conclusion = conclusionFor(report.verdict, accepted);
  const marker = commentMarker(target.configFile);
  const sourceUrl = (file: string, line?: number) => `${target.serverUrl}/${target.repo.owner}/${target.repo.repo}/blob/${target.headSha}/${encodeURI(file)}${line ? `#L${line}` : ''}`;
  const options = { marker, reproduce: target.reproduce, sourceUrl };

  await writeSummary(deps.summaryFile, renderSummary(report, { ...options, maxChars: SUMMARY_LIMIT_BYTES - 1024 }));

  // The app that created the check run is the token's identity for installation tokens (see identity.ts).
  let appSlug: string | null = null;
  const checkRunId = await degrading(deps, 'create the check run', 'checks: write', async () => {
    const annotations = buildAnnotations(report, { configFile: target.configFile, inputLines: target.inputLines, fileExists: deps.fileExists, accepted, workspace: target.workspace });
    const check = await publishCheckRun(deps.client, target.repo, {
      name: `Frametail: ${report.experiment.name}`.slice(0, 100),
      headSha: target.headSha,
      conclusion,
      output: renderCheckOutput(report, options),
      annotations,
      detailsUrl: target.runUrl,
    });
    deps.log(`check run ${check.id}: ${conclusion}, ${annotations.length} annotations in ${check.requests} requests`);
    appSlug = check.appSlug;
    return check.id;
  });

  const pr = target.pullRequest;
  const commentId =
    pr === null || policy === 'never'
      ? null
      : await degrading(deps, 'write the pull request comment', 'pull-requests: write', async () => {
          const actor = await tokenActor(deps.client, deps.token, appSlug ? `${appSlug}[bot]` : undefined);
          const existing = await findStickyComment(deps.client, target.repo, pr, marker, actor);
          if (!shouldComment(policy, existing !== null, report)) return null;
          const comment = await upsertComment(deps.client, target.repo, pr, renderComment(report, options), existing);
          deps.log(`${comment.created ? 'created' : 'updated'} comment ${comment.url}`);
          return comment.id;
        });
  return { conclusion, commentId, checkRunId };
}

/** Runs one publishing step; a refusal or a malformed reply becomes a warning and null (see the file comment). */
async function degrading<T>(deps: PublishDeps, what: string, permission: Permission, body: () => Promise<T | null>): Promise<T | null> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof GitHubReplyError) {
      deps.warn(`Frametail could not ${what}: ${error.message}. The verdict is unchanged and the job summary has the full report.`);
      return null;
    }
    if (!isPermissionError(error)) throw error;
    deps.warn(permissionWarning(what, permission, error));
    return null;
  }
}

/** Appends to the step summary file (GitHub caps it at 1 MiB; the renderer keeps below that). */
async function writeSummary(file: string | undefined, markdown: string): Promise<void> {
  if (!file) return;
  await appendFile(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}
