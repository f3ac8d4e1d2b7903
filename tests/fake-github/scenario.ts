/**
 * Builders for the end-to-end scenarios: a workspace copied from fixtures/github/workspace, a results
 * artifact zipped from fixtures/github/results, event payloads shaped like GitHub's, and a temporary git
 * repository whose head commit makes one cell slower (for mode `all`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeZip } from './zip-writer.js';
import { scratchDir } from '../helpers/scratch.js';

export const FIXTURES = resolve(import.meta.dirname, '../../fixtures/github');

/** A fresh copy of the e2e workspace (config files and the stand-in pipeline). */
export function copyWorkspace(): string {
  const dir = scratchDir('frametail-ws-');
  cpSync(join(FIXTURES, 'workspace'), dir, { recursive: true });
  return dir;
}

/** The zip of a results artifact holding fixtures/github/results/<kind>/{base,head}.results.jsonl. */
export function resultsZip(kind: 'regression' | 'pass' | 'many'): Buffer {
  return writeZip(['base', 'head'].map((side) => ({ name: `${side}.results.jsonl`, data: readFileSync(join(FIXTURES, 'results', kind, `${side}.results.jsonl`)) })));
}

export function workflowRunPayload(run: { id: number; headSha: string; headOwner: string; headBranch: string }) {
  return {
    action: 'completed',
    workflow_run: {
      id: run.id,
      name: 'Frametail measure',
      event: 'pull_request',
      status: 'completed',
      conclusion: 'success',
      head_sha: run.headSha,
      head_branch: run.headBranch,
      head_repository: { full_name: `${run.headOwner}/studio`, owner: { login: run.headOwner } },
      // GitHub leaves this empty for pull requests from forks.
      pull_requests: [],
    },
    repository: { full_name: 'acme/studio', owner: { login: 'acme' }, name: 'studio' },
  };
}

export function pullRequestPayload(pr: { number: number; headSha: string; baseSha: string; fork: boolean; labels?: string[] }) {
  return {
    action: 'synchronize',
    number: pr.number,
    pull_request: {
      number: pr.number,
      head: { sha: pr.headSha, ref: 'feature', repo: { full_name: pr.fork ? 'forker/studio' : 'acme/studio' } },
      base: { sha: pr.baseSha, ref: 'main', repo: { full_name: 'acme/studio' } },
      labels: (pr.labels ?? []).map((name) => ({ name })),
    },
    repository: { full_name: 'acme/studio' },
  };
}

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();

/**
 * A git repository with the workspace (plus `files`, paths relative to it) committed on `main` (base)
 * and a head commit where `pirouette/wide` sleeps `headDelayMs` instead of 30 ms; the head is checked out.
 */
export function gitWorkspace(headDelayMs: number, files: Record<string, string> = {}): { dir: string; baseSha: string; headSha: string } {
  const dir = copyWorkspace();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  const baseSha = git(dir, 'rev-parse', 'HEAD');
  const file = join(dir, 'src/pipeline.mjs');
  writeFileSync(file, readFileSync(file, 'utf8').replace("'pirouette/wide': 30", `'pirouette/wide': ${headDelayMs}`));
  git(dir, 'commit', '-q', '--allow-empty', '-am', 'head: slower wide shot');
  return { dir, baseSha, headSha: git(dir, 'rev-parse', 'HEAD') };
}
