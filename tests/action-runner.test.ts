/**
 * The bundled action as a real runner drives it (issue 12): what the measured code can see of the
 * action's credentials, the check run's life from `in_progress` to completed, cancellation by SIGTERM
 * mid-matrix, source links from hostile span paths, ids that are JavaScript property names, and GitHub
 * refusing an annotation batch or the comment. Every request goes to the fake GitHub API, which
 * validates it against GitHub's OpenAPI description.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildActionBundle, runAction, startAction } from './fake-github/action-harness.js';
import { copyWorkspace, FIXTURES, gitWorkspace, pullRequestPayload, workflowRunPayload } from './fake-github/scenario.js';
import type { FakeGitHub } from './fake-github/server.js';
import { useFakeGitHub } from './fake-github/use-fake-github.js';
import { writeZip } from './fake-github/zip-writer.js';
import { isRunning } from './helpers/processes.js';
import { scratchDir } from './helpers/scratch.js';

const HEAD = 'c'.repeat(40);
let bundle: string;
let github: FakeGitHub;

beforeAll(() => {
  bundle = buildActionBundle();
}, 300_000);

useFakeGitHub((g) => (github = g));

/** A pipeline that records, per call, its stage, side, environment and pids, then sleeps SLEEP_MS. */
const DUMP_PIPELINE = `
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
const [stage] = process.argv.slice(2);
// A worker in the run's process group, as real pipelines fork them: cancelling must take it down too.
const worker = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
appendFileSync(process.env.DUMP_FILE, JSON.stringify({ stage, side: process.env.FRAMETAIL_SIDE, env: process.env, pids: [process.pid, worker.pid] }) + '\\n');
await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLEEP_MS ?? 20)));
worker.kill();
`;

function dumpConfig(dumpFile: string, options: { looks: number; sleepMs: number }): string {
  return `experiment:
  name: Env dump
  description: Records what the measured code sees.
configuration:
  model: m
dimension:
  name: Shot
  variants:
    - id: closeup
      label: Closeup
    - id: wide
      label: Wide
inputs:
  - id: pirouette
    prompt: A pirouette.
run:
  setup: [node, src/dump.mjs, setup]
  command: [node, src/dump.mjs, run, "{input.id}", "{variant.id}"]
  env:
    DUMP_FILE: ${JSON.stringify(dumpFile)}
    SLEEP_MS: "${options.sleepMs}"
  timeout: 20s
  warmup: 0
  concurrency: 1
  latency: wall
tracing:
  granularity: coarse
gate:
  looks: [${options.looks}]
`;
}

interface Dump {
  stage: string;
  side: string;
  env: Record<string, string>;
  pids: number[];
}
const readDumps = (file: string): Dump[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Dump) : []);

/** The secrets a runner gives the action's process, which the PR's code must never see. */
const RUNNER_SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-secret',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-secret',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/oidc',
  ACTIONS_CACHE_URL: 'http://127.0.0.1:9/cache/',
  GITHUB_TOKEN: 'ghs_workflow',
  // The user's own secret for the pipeline, passed through the step's env: it stays.
  MY_MODEL_API_KEY: 'user-secret',
};

describe('measured commands', () => {
  it('never see the action inputs, runtime, OIDC or cache credentials; run.env and the user’s env reach setup and runs', async () => {
    const dumpFile = join(scratchDir('ft-dump-'), 'dump.jsonl');
    const repo = gitWorkspace(30, { 'src/dump.mjs': DUMP_PIPELINE, '.github/frametail.yml': dumpConfig(dumpFile, { looks: 3, sleepMs: 20 }) });
    const payload = pullRequestPayload({ number: 40, headSha: repo.headSha, baseSha: repo.baseSha, fork: false });
    const run = await runAction({ bundle, apiUrl: github.url, workspace: repo.dir, eventName: 'pull_request', payload, sha: 'e'.repeat(40), inputs: { 'github-token': 'ghs_workflow' }, env: { ...RUNNER_SECRETS, FRAMETAIL_CHECK_PROGRESS_MS: '200' } });

    expect(run.errors, run.stdout + run.stderr).toEqual([]);
    const dumps = readDumps(dumpFile);
    // Setup once per side, then 3 rounds × 2 cells × 2 sides.
    expect(dumps.filter((d) => d.stage === 'setup').map((d) => d.side).sort()).toEqual(['base', 'head']);
    expect(dumps.filter((d) => d.stage === 'run')).toHaveLength(12);
    for (const dump of dumps) {
      const names = Object.keys(dump.env);
      expect(names.filter((n) => /^INPUT_|^ACTIONS_(RUNTIME|ID_TOKEN|CACHE|RESULTS)|^GITHUB_(TOKEN|OUTPUT|ENV|PATH|STATE|STEP_SUMMARY)$/i.test(n)), dump.stage).toEqual([]);
      expect(JSON.stringify(dump.env)).not.toMatch(/ghs_workflow|runtime-secret|oidc-secret/);
      expect(dump.env.MY_MODEL_API_KEY).toBe('user-secret');
      expect(dump.env.DUMP_FILE).toBe(dumpFile);
    }

    // The check run: in progress before the first run, progress no more than once per 200 ms, completed last.
    const [check] = github.checkRuns;
    expect(check!.history[0]!.status).toBe('in_progress');
    expect(check!.history.at(-1)).toMatchObject({ status: 'completed', conclusion: check!.conclusion });
    const progress = check!.history.filter((h) => h.status === 'in_progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(190);
    expect(progress.slice(1).every((h) => /^Measuring: /.test(h.title ?? ''))).toBe(true);
    // No worktree folder is left in the repository.
    expect(existsSync(join(repo.dir, '.frametail'))).toBe(false);
    expect(run.outputs.accepted).toBe('false');
  });
});

describe('cancellation', () => {
  it('on SIGTERM mid-matrix kills the runs, removes the worktree and scratch folders, completes the check as cancelled and exits promptly', async () => {
    const dumpFile = join(scratchDir('ft-dump-'), 'dump.jsonl');
    const repo = gitWorkspace(30, { 'src/dump.mjs': DUMP_PIPELINE, '.github/frametail.yml': dumpConfig(dumpFile, { looks: 40, sleepMs: 300 }) });
    const payload = pullRequestPayload({ number: 41, headSha: repo.headSha, baseSha: repo.baseSha, fork: false });
    const started = startAction({ bundle, apiUrl: github.url, workspace: repo.dir, eventName: 'pull_request', payload, sha: 'e'.repeat(40), inputs: { 'github-token': 'ghs_workflow' }, env: { FRAMETAIL_CHECK_PROGRESS_MS: '200' } });

    // Mid-matrix: the check is running, the base worktree exists and a few runs are done.
    await waitFor(() => readDumps(dumpFile).filter((d) => d.stage === 'run').length >= 4, 60_000);
    expect(github.checkRuns.map((c) => c.status)).toEqual(['in_progress']);
    const worktrees = join(repo.dir, '.frametail', 'worktrees');
    expect(readdirSync(worktrees)).toHaveLength(1);
    const signalled = Date.now();
    started.child.kill('SIGTERM');
    const run = await started.result;
    const exitMs = Date.now() - signalled;

    expect(run.code, run.stdout + run.stderr).toBe(143);
    expect(exitMs).toBeLessThan(5_000);
    expect(github.checkRuns.map((c) => [c.status, c.conclusion])).toEqual([['completed', 'cancelled']]);
    expect(run.warnings.join('\n')).toContain('cancelled (SIGTERM)');
    expect(run.summary).toContain('cancelled');
    // Every run and the workers they forked are gone.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const alive = readDumps(dumpFile).flatMap((d) => d.pids).filter((pid) => isRunning(pid));
    expect(alive).toEqual([]);
    // The worktree is removed and unregistered; the scratch folder under RUNNER_TEMP is gone.
    expect(existsSync(join(repo.dir, '.frametail'))).toBe(false);
    expect(execFileSync('git', ['-C', repo.dir, 'worktree', 'list'], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(started.temp, 'frametail'))).toBe(false);
  }, 120_000);
});

/** The regression fixture's results with every span's code path replaced by `file`, as a zip. */
function resultsWithCodePath(file: string, input = 'pirouette'): Buffer {
  return writeZip(
    ['base', 'head'].map((side) => {
      const text = readFileSync(join(FIXTURES, 'results/regression', `${side}.results.jsonl`), 'utf8')
        .replaceAll('"code.file.path":"src/pipeline.mjs"', `"code.file.path":${JSON.stringify(file)}`)
        .replaceAll('"input":"pirouette"', `"input":${JSON.stringify(input)}`);
      return { name: `${side}.results.jsonl`, data: text };
    }),
  );
}

function forkRun(zip: Buffer) {
  github.pulls.push({ number: 7, headSha: HEAD, headOwner: 'forker', headBranch: 'feature', labels: [], state: 'open' });
  github.artifacts.push({ id: github.id(), runId: 555, name: 'frametail-results', zip });
  return workflowRunPayload({ id: 555, headSha: HEAD, headOwner: 'forker', headBranch: 'feature' });
}

const reportInputs = { 'github-token': 'ghs_workflow', mode: 'report' };

describe('source links', () => {
  it('turn an absolute path in the checkout into a repository link, and keep no runner path in any report', async () => {
    const workspace = copyWorkspace();
    const run = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload: forkRun(resultsWithCodePath(join(workspace, 'src/pipeline.mjs'))), sha: HEAD, inputs: reportInputs });

    expect(run.code, run.stdout + run.stderr).toBe(1);
    const comment = github.comments.find((c) => c.issue === 7)!.body;
    const check = github.checkRuns[0]!;
    expect(comment).toContain(`](https://github.example/acme/studio/blob/${HEAD}/src/pipeline.mjs#L11)`);
    expect(check.annotations).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'src/pipeline.mjs', start_line: 11 })]));
    const reportJson = readFileSync(run.outputs['report-path']!, 'utf8');
    const reportHtml = readFileSync(join(dirname(run.outputs['report-path']!), 'report.html'), 'utf8');
    for (const text of [comment, run.summary, `${check.output.summary}${check.output.text}`, reportJson, reportHtml]) {
      expect(text).not.toContain(workspace);
      expect(text).not.toContain(dirname(run.outputs['report-path']!));
    }
    expect(reportJson).toContain('"file": "src/pipeline.mjs"');
    expect(reportHtml).toContain(`href="https://github.example/acme/studio/blob/${HEAD}/src/pipeline.mjs#L11"`);
  });

  it('give a path that climbs out of the repository no link and no annotation', async () => {
    const workspace = copyWorkspace();
    const hostile = '../../../../attacker/evil/blob/main/README.md';
    const run = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload: forkRun(resultsWithCodePath(hostile)), sha: HEAD, inputs: reportInputs });

    expect(run.code, run.stdout + run.stderr).toBe(1);
    const comment = github.comments.find((c) => c.issue === 7)!.body;
    const check = github.checkRuns[0]!;
    for (const text of [comment, run.summary, `${check.output.summary}${check.output.text}`]) {
      expect(text).not.toMatch(/\]\([^)]*attacker/);
      expect(text).not.toMatch(/https?:\/\/[^\s)]*attacker/);
    }
    expect(check.annotations.map((a) => (a as { path: string }).path)).toEqual(['.github/frametail.yml']);
  });
});

describe('untrusted ids and refused requests', () => {
  it('publishes a cell whose input id is "constructor": no annotation GitHub would reject', async () => {
    const workspace = copyWorkspace();
    const run = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload: forkRun(resultsWithCodePath('src/pipeline.mjs', 'constructor')), sha: HEAD, inputs: reportInputs });

    expect(run.outputs, run.stdout + run.stderr).toMatchObject({ verdict: 'fail', regressions: '1' });
    // Nothing but the report upload (no artifact service here) is refused.
    expect(run.warnings.filter((w) => !/artifact/i.test(w))).toEqual([]);
    const check = github.checkRuns[0]!;
    expect(check.status).toBe('completed');
    expect(check.annotations).toEqual([expect.objectContaining({ path: 'src/pipeline.mjs', start_line: 11 })]);
    expect(github.comments.find((c) => c.issue === 7)!.body).toContain('constructor');
  });

  it('a refused annotation batch and a refused comment are warnings: the check run is completed and the verdict kept', async () => {
    const workspace = copyWorkspace();
    // The completing update goes through; the annotations after it and the comment are refused.
    github.faults.push({ method: 'PATCH', path: /\/check-runs\/\d+$/, status: 422, times: 1, skip: 1, message: 'Validation Failed' });
    github.faults.push({ method: 'POST', path: /\/issues\/7\/comments$/, status: 422, times: 1, message: 'Validation Failed' });
    const run = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload: forkRun(resultsWithCodePath('src/pipeline.mjs')), sha: HEAD, inputs: reportInputs });

    expect(run.code).toBe(1);
    expect(run.outputs, run.stdout + run.stderr).toMatchObject({ verdict: 'fail', regressions: '1', 'comment-id': '' });
    expect(run.outputs['check-run-id']).toBe(String(github.checkRuns[0]!.id));
    expect(github.checkRuns.map((c) => [c.status, c.conclusion])).toEqual([['completed', 'failure']]);
    expect(run.warnings.join('\n')).toMatch(/GitHub refused annotations 1–2 of 2 \(422\)/);
    expect(run.warnings.join('\n')).toMatch(/could not write the pull request comment: GitHub answered 422/);
    expect(run.errors).toEqual([expect.stringMatching(/^Frametail: the gate failed with 1 regressed cell/)]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
