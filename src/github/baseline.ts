/**
 * `baseline: artifact`: instead of measuring the base again, reuse the head results of the latest
 * run on the merge-base commit that uploaded them (the push workflow on the default branch).
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { ResultsFile } from '../results/read.js';
import { downloadArtifact, listResultsArtifacts } from './artifacts.js';
import type { GitHubClient } from './client.js';
import { parseReply } from './parse-reply.js';
import { fanInResults } from './results-artifact.js';
import type { Repo } from './repo.js';

const compareReply = z.object({ merge_base_commit: z.object({ sha: z.string().min(1) }) });
const workflowRunsReply = z.object({ workflow_runs: z.array(z.object({ id: z.number().int(), created_at: z.string() })) });

/** The merge-base of `baseSha` and `headSha`, as GitHub computes it for the PR's diff. */
export async function mergeBase(client: GitHubClient, repo: Repo, baseSha: string, headSha: string): Promise<string> {
  const { data } = await client.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${baseSha}...${headSha}`, per_page: 1 });
  return parseReply(compareReply, data, 'GET /repos/{owner}/{repo}/compare/{basehead}').merge_base_commit.sha;
}

/**
 * The head results of the newest run on `sha` that uploaded `artifactName`, re-labelled as the base
 * side, or null when no run did. The run's conclusion does not matter: a push whose own gate failed
 * (a regression on the default branch) still measured that commit, and is the baseline of its PRs.
 */
export async function baselineFromArtifact(client: GitHubClient, repo: Repo, sha: string, artifactName: string): Promise<{ results: ResultsFile; runId: number } | null> {
  const { data } = await client.rest.actions.listWorkflowRunsForRepo({ ...repo, head_sha: sha, per_page: 20 });
  const { workflow_runs } = parseReply(workflowRunsReply, data, 'GET /repos/{owner}/{repo}/actions/runs');
  const runs = [...workflow_runs].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  for (const run of runs) {
    const artifacts = await listResultsArtifacts(client, repo, run.id, artifactName);
    if (artifacts.length === 0) continue;
    const downloaded = [];
    for (const artifact of artifacts) downloaded.push({ name: artifact.name, entries: await downloadArtifact(client, repo, artifact) });
    const { head } = fanInResults(downloaded);
    if (head) return { results: asBase(head), runId: run.id };
  }
  return null;
}

/** The error when a pull request finds no baseline: what to run so that there is one. */
export function noBaselineError(sha: string, artifactName: string): InputError {
  return new InputError(
    `baseline: artifact: no run on the merge-base ${sha.slice(0, 12)} uploaded "${artifactName}". ` +
      'Run the action with baseline: artifact on push to the default branch (its first run measures and uploads the baseline), or use baseline: rerun.',
  );
}

function asBase(file: ResultsFile): ResultsFile {
  return {
    ...file,
    header: file.header ? { ...file.header, side: 'base' } : undefined,
    runs: file.runs.map((r) => ({ ...r, side: 'base' })),
  };
}
