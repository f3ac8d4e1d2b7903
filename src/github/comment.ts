/**
 * The one sticky PR comment. It is found by the hidden marker AND by author (the token's own identity),
 * never by marker alone: anyone can paste the marker into a comment, and that comment must not be
 * overwritten. All pages of comments are read; the comment is updated in place, never duplicated.
 */
import { z } from 'zod';
import type { GitHubClient } from './client.js';
import { parseReply, replyPages } from './parse-reply.js';
import type { Repo } from './repo.js';

export type CommentPolicy = 'always' | 'on-change' | 'on-regression' | 'never';

export interface ExistingComment {
  id: number;
  body: string;
}

/** The hidden marker of the comment for one config file: a one-line HTML comment nobody sees. */
export function commentMarker(configFile: string): string {
  // Only path characters, and no "--", which an HTML comment may not contain.
  const safe = configFile.replace(/[^A-Za-z0-9._/-]/g, '_').replace(/-{2,}/g, '-');
  return `<!-- frametail:comment ${safe} -->`;
}

/**
 * Whether a comment should be written. An existing comment is always kept current (a stale verdict
 * is worse than none); a new one is created per policy: `on-change` when any cell changed or could not
 * be decided, `on-regression` when the PR verdict is `fail`.
 */
export function shouldComment(policy: CommentPolicy, existing: boolean, report: { verdict: string; summary: { regression: number; improvement: number; inconclusive: number } }): boolean {
  if (policy === 'never') return false;
  if (existing || policy === 'always') return true;
  if (policy === 'on-regression') return report.verdict === 'fail' || report.summary.regression > 0;
  return report.summary.regression + report.summary.improvement + report.summary.inconclusive > 0 || report.verdict !== 'pass';
}

/** The fields of a comment reply we read; GitHub documents `user` as nullable (deleted accounts) and `body` as optional. */
const commentReply = z.object({ id: z.number().int(), html_url: z.string() });
const commentsPage = z.array(z.object({ id: z.number().int(), body: z.string().optional(), user: z.object({ login: z.string() }).nullable() }));

/** The first comment on the PR that holds `marker` and was written by `actor`, reading every page. */
export async function findStickyComment(client: GitHubClient, repo: Repo, issueNumber: number, marker: string, actor: string): Promise<ExistingComment | null> {
  const pages = replyPages((page) => client.rest.issues.listComments({ ...repo, issue_number: issueNumber, per_page: 100, page }), commentsPage, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments');
  for await (const comments of pages) {
    for (const comment of comments) {
      if (comment.user?.login === actor && comment.body?.includes(marker)) return { id: comment.id, body: comment.body };
    }
  }
  return null;
}

/** Creates the comment, or updates `existing` in place; returns the comment id and URL. */
export async function upsertComment(client: GitHubClient, repo: Repo, issueNumber: number, body: string, existing: ExistingComment | null): Promise<{ id: number; url: string; created: boolean }> {
  if (existing) {
    const { data } = await client.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
    const updated = parseReply(commentReply, data, 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}');
    return { id: updated.id, url: updated.html_url, created: false };
  }
  const { data } = await client.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
  const created = parseReply(commentReply, data, 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments');
  return { id: created.id, url: created.html_url, created: true };
}
