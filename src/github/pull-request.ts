/**
 * Which pull request a `workflow_run` reports on, from the trusted head SHA GitHub put in the event
 * (never from artifact contents a fork could forge), and whether the accept label is on it and who put it there.
 */
import { z } from 'zod';
import type { GitHubClient } from './client.js';
import { parseReply, replyPages } from './parse-reply.js';
import type { Repo } from './repo.js';

/** What GitHub says about the triggering run's head: the only PR evidence trusted in mode report. */
export interface RunHead {
  headSha: string;
  headBranch: string | null;
  headOwner: string | null;
}

export interface ResolvedPullRequest {
  number: number;
  headSha: string;
  labels: string[];
}

/** The fields of a pull request we read; a label's `name` is optional in GitHub's description of some endpoints. */
const pullsReply = z.array(
  z.object({
    number: z.number().int(),
    state: z.string().optional(),
    head: z.object({ sha: z.string() }),
    labels: z.array(z.object({ name: z.string().optional() })),
  }),
);
/** Issue events: only `labeled` events carry a label; `actor` is nullable (deleted accounts). */
const eventsPage = z.array(
  z.object({
    event: z.string(),
    actor: z.object({ login: z.string() }).nullable().optional(),
    label: z.object({ name: z.string() }).nullable().optional(),
  }),
);

/**
 * The open PR whose head is `run.headSha`: the commit's associated PRs first, then (fork PRs are often
 * missing there) the open PRs from `owner:branch`. Only a PR whose head SHA equals the run's is accepted.
 */
export async function resolvePullRequest(client: GitHubClient, repo: Repo, run: RunHead): Promise<ResolvedPullRequest | null> {
  const match = (prs: z.output<typeof pullsReply>) => {
    const pr = prs.find((p) => p.head.sha === run.headSha && p.state !== 'closed');
    return pr ? { number: pr.number, headSha: pr.head.sha, labels: pr.labels.map((l) => l.name ?? '').filter(Boolean) } : null;
  };
  const associated = await client.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: run.headSha, per_page: 100 });
  const found = match(parseReply(pullsReply, associated.data, 'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls'));
  if (found || !run.headOwner || !run.headBranch) return found;
  const byBranch = await client.rest.pulls.list({ ...repo, state: 'open', head: `${run.headOwner}:${run.headBranch}`, per_page: 100 });
  return match(parseReply(pullsReply, byBranch.data, 'GET /repos/{owner}/{repo}/pulls'));
}

/** Who last applied `label` to the PR (from its issue events), or null when it cannot be told. */
export async function labelAppliedBy(client: GitHubClient, repo: Repo, issueNumber: number, label: string): Promise<string | null> {
  let by: string | null = null;
  const pages = replyPages((page) => client.rest.issues.listEvents({ ...repo, issue_number: issueNumber, per_page: 100, page }), eventsPage, 'GET /repos/{owner}/{repo}/issues/{issue_number}/events');
  for await (const events of pages) {
    for (const event of events) {
      if (event.event === 'labeled' && event.label?.name === label) by = event.actor?.login ?? null;
    }
  }
  return by;
}

const labelsPage = z.array(z.object({ name: z.string() }));

/**
 * The labels on the PR now, read from the API: the event payload holds the labels of the moment the
 * event fired, so a job re-run after a reviewer added the accept label would not see it there.
 */
export async function currentLabels(client: GitHubClient, repo: Repo, issueNumber: number): Promise<string[]> {
  const labels: string[] = [];
  const pages = replyPages((page) => client.rest.issues.listLabelsOnIssue({ ...repo, issue_number: issueNumber, per_page: 100, page }), labelsPage, 'GET /repos/{owner}/{repo}/issues/{issue_number}/labels', 10);
  for await (const page of pages) labels.push(...page.map((l) => l.name));
  return labels;
}
