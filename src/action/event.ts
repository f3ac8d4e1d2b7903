/**
 * What the triggering event says, read from the GitHub environment and the event payload file and
 * parsed with zod at the boundary: the repository, the commit the check run belongs on, the base to
 * compare against, the pull request (if any) and, for `workflow_run`, the triggering run.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { Repo } from '../github/repo.js';

export type { Repo };

export interface PullRequestRef {
  number: number;
  headSha: string;
  baseSha: string;
  baseRef: string;
  labels: string[];
  /** Head branch lives in another repository: its token is read-only and secrets are absent. */
  fromFork: boolean;
}

export interface WorkflowRunRef {
  id: number;
  /** Trusted: GitHub sets it; the artifact contents never decide which PR is reported on. */
  headSha: string;
  headBranch: string | null;
  headOwner: string | null;
  event: string;
  /** PRs GitHub attached to the run (empty for fork PRs). */
  pullRequests: number[];
}

export interface EventContext {
  eventName: string;
  repo: Repo;
  serverUrl: string;
  apiUrl: string;
  runId: string;
  workspace: string;
  /** The commit the check run is created on: the PR head, never the merge commit. */
  headSha: string;
  /** Commit to compare against in mode `all` (PR base, push `before`, merge group base); null when unknown. */
  baseSha: string | null;
  pullRequest: PullRequestRef | null;
  workflowRun: WorkflowRunRef | null;
}

const label = z.object({ name: z.string() });
const pullRequestPayload = z.object({
  pull_request: z.object({
    number: z.number().int(),
    head: z.object({ sha: z.string(), repo: z.object({ full_name: z.string() }).nullable().optional() }),
    base: z.object({ sha: z.string(), ref: z.string(), repo: z.object({ full_name: z.string() }) }),
    labels: z.array(label).default([]),
  }),
});
const pushPayload = z.object({ before: z.string().optional(), after: z.string().optional() });
const mergeGroupPayload = z.object({ merge_group: z.object({ head_sha: z.string(), base_sha: z.string() }) });
const workflowRunPayload = z.object({
  workflow_run: z.object({
    id: z.number().int(),
    head_sha: z.string(),
    head_branch: z.string().nullable().optional(),
    event: z.string(),
    head_repository: z.object({ owner: z.object({ login: z.string() }) }).nullable().optional(),
    pull_requests: z.array(z.object({ number: z.number().int() })).default([]),
  }),
});

const ZERO_SHA = /^0+$/;

/** Reads the event context from `env` (process.env in the action). */
export function readEventContext(env: Record<string, string | undefined>): EventContext {
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new InputError(`${name} is not set: is this running inside GitHub Actions?`);
    return value;
  };
  const [owner, repo] = need('GITHUB_REPOSITORY').split('/') as [string, string | undefined];
  if (!repo) throw new InputError(`GITHUB_REPOSITORY "${env.GITHUB_REPOSITORY}" is not owner/name`);
  const eventName = need('GITHUB_EVENT_NAME');
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const context: EventContext = {
    eventName,
    repo: { owner, repo },
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    runId: env.GITHUB_RUN_ID ?? '0',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    headSha: need('GITHUB_SHA'),
    baseSha: null,
    pullRequest: null,
    workflowRun: null,
  };
  return { ...context, ...fromPayload(eventName, payload) };
}

function fromPayload(eventName: string, payload: unknown): Partial<EventContext> {
  switch (eventName) {
    case 'pull_request':
    case 'pull_request_target': {
      const pr = parsePayload(pullRequestPayload, payload, eventName).pull_request;
      return {
        headSha: pr.head.sha,
        baseSha: pr.base.sha,
        pullRequest: {
          number: pr.number,
          headSha: pr.head.sha,
          baseSha: pr.base.sha,
          baseRef: pr.base.ref,
          labels: pr.labels.map((l) => l.name),
          fromFork: pr.head.repo?.full_name !== pr.base.repo.full_name,
        },
      };
    }
    case 'push': {
      const push = parsePayload(pushPayload, payload, eventName);
      return { baseSha: push.before && !ZERO_SHA.test(push.before) ? push.before : null, ...(push.after ? { headSha: push.after } : {}) };
    }
    case 'merge_group': {
      const group = parsePayload(mergeGroupPayload, payload, eventName).merge_group;
      return { headSha: group.head_sha, baseSha: group.base_sha };
    }
    case 'workflow_run': {
      const run = parsePayload(workflowRunPayload, payload, eventName).workflow_run;
      return {
        headSha: run.head_sha,
        workflowRun: {
          id: run.id,
          headSha: run.head_sha,
          headBranch: run.head_branch ?? null,
          headOwner: run.head_repository?.owner.login ?? null,
          event: run.event,
          pullRequests: run.pull_requests.map((p) => p.number),
        },
      };
    }
    default:
      return {};
  }
}

function readPayload(path: string | undefined): unknown {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new InputError(`${path}: cannot read the event payload (${(error as Error).message})`);
  }
}

function parsePayload<T>(schema: z.ZodType<T>, payload: unknown, eventName: string): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new InputError(`${eventName} event payload: ${issue.path.join('.')}: ${issue.message}`);
}
