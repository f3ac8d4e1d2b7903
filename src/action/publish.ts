/**
 * Steps 4–6 of the pipeline: write the job summary (always, first, so it survives any later refusal),
 * then complete the check run and write the sticky comment. Every GitHub failure here degrades to a
 * warning instead of failing the step, so the measured report is never lost and the other channel is
 * still tried:
 * - a refusal for lack of permission (fork PR, read-only token): the warning names the fix;
 * - a reply that does not have the shape we read (GitHubReplyError): the warning names the endpoint
 *   and the field, and that output (check-run-id, comment-id) stays empty rather than "undefined";
 * - any other refusal (a 422, a 5xx after retries): the warning quotes GitHub's answer.
 * None changes the verdict: when the gate failed, the step still fails (run.ts).
 */
import { appendFile } from 'node:fs/promises';
import { buildAnnotations } from '../github/annotations.js';
import { addAnnotations, conclusionFor, type Conclusion } from '../github/check-run.js';
import type { GitHubClient } from '../github/client.js';
import { commentMarker, findStickyComment, shouldComment, upsertComment, type CommentPolicy } from '../github/comment.js';
import { tokenActor } from '../github/identity.js';
import { GitHubReplyError } from '../github/parse-reply.js';
import { isPermissionError, permissionWarning, type Permission } from '../github/permissions.js';
import { renderCheckOutput, renderComment, renderSummary, SUMMARY_LIMIT_BYTES } from '../report/markdown/comment.js';
import type { Report } from '../report/model.js';
import type { Repo } from '../github/repo.js';
import { sourceLink, type RepoRoots, type SourceRepo } from '../report/source-path.js';
import type { CheckLifecycle } from './check-lifecycle.js';

export interface PublishTarget {
  repo: Repo;
  /** The commit the check run and links are on (the PR head). */
  headSha: string;
  /** The PR to comment on; null for pushes and merge groups. */
  pullRequest: number | null;
  /** Repository-relative config path (annotations, marker). */
  configFile: string;
  /** Checkouts on the runner: span code paths under them are made repository-relative. */
  roots: RepoRoots;
  /** 1-based line of each input in the config file. */
  inputLines: Record<string, number>;
  serverUrl: string;
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

/** Publishes `report` everywhere the token allows and completes `check`; never throws for a GitHub failure. */
export async function publish(report: Report, target: PublishTarget, policy: CommentPolicy, check: CheckLifecycle, deps: PublishDeps): Promise<Published> {
  const accepted = report.accepted !== undefined;
  const conclusion = conclusionFor(report.verdict, accepted);
  const marker = commentMarker(target.configFile);
  const repo: SourceRepo = { serverUrl: target.serverUrl, owner: target.repo.owner, repo: target.repo.repo, sha: target.headSha, roots: target.roots };
  const options = { marker, reproduce: target.reproduce, sourceUrl: (file: string, line?: number) => sourceLink(repo, file, line) };
  await writeSummary(deps.summaryFile, renderSummary(report, { ...options, maxChars: SUMMARY_LIMIT_BYTES - 1024 }));

  const output = renderCheckOutput(report, options);
  if (await check.complete(conclusion, output)) {
    const annotations = buildAnnotations(report, { configFile: target.configFile, inputLines: target.inputLines, fileExists: deps.fileExists, accepted, roots: target.roots });
    const requests = await addAnnotations(deps.client, target.repo, check.id!, output, annotations, deps.warn);
    deps.log(`check run ${check.id}: ${conclusion}, ${annotations.length} annotations in ${requests} requests`);
  }

  const pr = target.pullRequest;
  const commentId =
    pr === null || policy === 'never'
      ? null
      : await degrading(deps, 'write the pull request comment', 'pull-requests: write', async () => {
          // The app that created the check run is the token's identity for installation tokens (see identity.ts).
          const actor = await tokenActor(deps.client, deps.token, check.appSlug ? `${check.appSlug}[bot]` : undefined);
          const existing = await findStickyComment(deps.client, target.repo, pr, marker, actor);
          if (!shouldComment(policy, existing !== null, report)) return null;
          const comment = await upsertComment(deps.client, target.repo, pr, renderComment(report, options), existing);
          deps.log(`${comment.created ? 'created' : 'updated'} comment ${comment.url}`);
          return comment.id;
        });
  return { conclusion, commentId, checkRunId: check.id };
}

/** Runs one publishing step; any failure becomes a warning and null (see the file comment). */
async function degrading<T>(deps: PublishDeps, what: string, permission: Permission, body: () => Promise<T | null>): Promise<T | null> {
  try {
    return await body();
  } catch (error) {
    if (isPermissionError(error)) {
      deps.warn(permissionWarning(what, permission, error));
    } else {
      const reason = error instanceof GitHubReplyError ? error.message : `GitHub answered ${(error as { status?: number }).status ?? 'with an error'}: ${String((error as Error).message ?? error).split('\n')[0]}`;
      deps.warn(`Frametail could not ${what}: ${reason}. The verdict is unchanged and the job summary has the full report.`);
    }
    return null;
  }
}

/** Appends to the step summary file (GitHub caps it at 1 MiB; the renderer keeps below that). */
async function writeSummary(file: string | undefined, markdown: string): Promise<void> {
  if (!file) return;
  await appendFile(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}
