/**
 * Which pull request a `workflow_run` reports on, from the trusted head SHA GitHub put in the event
 * (never from artifact contents a fork could forge), and whether the accept label is on it and who put it there.
 */
import type { GitHubClient } from './client.js';
import type { Repo, WorkflowRunRef } from '../action/event.js';

export interface ResolvedPullRequest {
  number: number;
  headSha: string;
  labels: string[];
}

/**
 * The open PR whose head is `run.headSha`: the commit's associated PRs first, then (fork PRs are often
 * missing there) the open PRs from `owner:branch`. Only a PR whose head SHA equals the run's is accepted.
 */
export async function resolvePullRequest(client: GitHubClient, repo: Repo, run: WorkflowRunRef): Promise<ResolvedPullRequest | null> {
  const match = (prs: { number: number; head: { sha: string }; labels: { name?: string }[]; state?: string }[]) => {
    const pr = prs.find((p) => p.head.sha === run.headSha && p.state !== 'closed');
    return pr ? { number: pr.number, headSha: pr.head.sha, labels: pr.labels.map((l) => l.name ?? '').filter(Boolean) } : null;
  };
  const associated = await client.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: run.headSha, per_page: 100 });
  const found = match(associated.data);
  if (found || !run.headOwner || !run.headBranch) return found;
  const byBranch = await client.rest.pulls.list({ ...repo, state: 'open', head: `${run.headOwner}:${run.headBranch}`, per_page: 100 });
  return match(byBranch.data);
}

/** Who last applied `label` to the PR (from its issue events), or null when it cannot be told. */
export async function labelAppliedBy(client: GitHubClient, repo: Repo, issueNumber: number, label: string): Promise<string | null> {
  let by: string | null = null;
  for await (const page of client.paginate.iterator(client.rest.issues.listEvents, { ...repo, issue_number: issueNumber, per_page: 100 })) {
    for (const event of page.data) {
      if (event.event === 'labeled' && 'label' in event && event.label?.name === label) by = event.actor?.login ?? null;
    }
  }
  return by;
}
