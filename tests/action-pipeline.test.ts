/**
 * Mode `run` with shards, the shard fan-in, and `baseline: artifact`, driven through the action's pipeline (src/action/pipeline.ts) with
 * a fake uploader: the real upload goes to the Actions results service (ACTIONS_RESULTS_URL), which the
 * fake GitHub API does not imitate. What the uploader received is zipped into the fake API as the
 * measuring run's artifacts, and mode `report` then publishes one report over both shards.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResultsUploader } from '../src/github/upload.js';
import { runPipelineAgainst } from './fake-github/pipeline-harness.js';
import { FIXTURES, gitWorkspace, pullRequestPayload, workflowRunPayload } from './fake-github/scenario.js';
import { FakeGitHub } from './fake-github/server.js';
import { writeZip } from './fake-github/zip-writer.js';

let github: FakeGitHub;

beforeEach(async () => {
  github = new FakeGitHub();
  github.tokens.set('ghs_readonly', { login: 'github-actions[bot]', type: 'Bot', write: false, installation: true });
  github.tokens.set('ghs_workflow', { login: 'github-actions[bot]', type: 'Bot', write: true, installation: true });
  await github.start();
});

afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
});

const pipeline = (inputs: Record<string, string>, eventName: string, payload: unknown, workspace: string, sha: string, uploader: ResultsUploader) =>
  runPipelineAgainst(github, { inputs, eventName, payload, workspace, sha, uploader });

it('measures one shard per job without touching the API, and the report job fans the shards in', async () => {
  const repo = gitWorkspace(30);
  const uploads: { name: string; files: Record<string, string> }[] = [];
  const uploader: ResultsUploader = {
    async upload(name, files) {
      uploads.push({ name, files: Object.fromEntries(files.map((f) => [basename(f), readFileSync(f, 'utf8')])) });
      return { id: uploads.length };
    },
  };
  const pr = pullRequestPayload({ number: 21, headSha: repo.headSha, baseSha: repo.baseSha, fork: true });
  for (const shard of ['1/2', '2/2']) {
    const run = await pipeline({ 'github-token': 'ghs_readonly', mode: 'run', shard }, 'pull_request', pr, repo.dir, 'f'.repeat(40), uploader);
    expect(run.outputs.verdict).toBe('');
    expect(run.summary).toContain(`shard ${shard}`);
  }
  // The measuring jobs are unprivileged: they make no API request at all.
  expect(github.requests).toEqual([]);
  expect(uploads.map((u) => u.name)).toEqual(['frametail-results-shard-1-of-2', 'frametail-results-shard-2-of-2']);
  const cellsOf = (text: string) => new Set(text.split('\n').filter((l) => l.includes('"type":"run"')).map((l) => { const r = JSON.parse(l) as { input: string; variant: string }; return `${r.input}/${r.variant}`; }));
  const shard1 = cellsOf(uploads[0]!.files['head.results.jsonl']!);
  const shard2 = cellsOf(uploads[1]!.files['head.results.jsonl']!);
  expect(shard1.size + shard2.size).toBe(4);
  expect([...shard1].filter((c) => shard2.has(c))).toEqual([]);

  for (const upload of uploads) {
    github.artifacts.push({ id: github.id(), runId: 555, name: upload.name, zip: writeZip(Object.entries(upload.files).map(([name, data]) => ({ name, data }))) });
  }
  github.pulls.push({ number: 21, headSha: repo.headSha, headOwner: 'forker', headBranch: 'feature', labels: [], state: 'open' });
  const report = await pipeline({ 'github-token': 'ghs_workflow', mode: 'report' }, 'workflow_run', workflowRunPayload({ id: 555, headSha: repo.headSha, headOwner: 'forker', headBranch: 'feature' }), repo.dir, 'd'.repeat(40), uploader);
  const written = JSON.parse(readFileSync(report.outputs['report-path'], 'utf8')) as { summary: { cells: number } };
  expect(written.summary.cells).toBe(4);
  expect(github.checkRuns.map((c) => c.head_sha)).toEqual([repo.headSha]);
  expect(github.comments.filter((c) => c.issue === 21)).toHaveLength(1);
  expect(report.warnings).toEqual([]);
  // The publishing job uploads the report (JSON and the self-contained HTML page) for reviewers.
  const reportArtifact = uploads.find((u) => u.name === 'frametail-results-report');
  expect(Object.keys(reportArtifact?.files ?? {}).sort()).toEqual(['report.html', 'report.json']);
  expect(reportArtifact!.files['report.html']).toContain('data-testid="forest-plot"');
});

it('baseline: artifact compares the head with the merge-base run\'s results and warns when the machines differ', async () => {
  const repo = gitWorkspace(30);
  const noUpload: ResultsUploader = { upload: () => Promise.reject(new Error('a PR run uploads nothing')) };
  // The default branch's push run on the merge-base left its head results (measured on another machine).
  github.mergeBase.set(`${repo.baseSha}...${repo.headSha}`, repo.baseSha);
  github.workflowRuns.push({ id: 777, headSha: repo.baseSha, createdAt: '2026-11-23T10:00:00Z' });
  const baseline = readFileSync(join(FIXTURES, 'results/pass/head.results.jsonl'));
  github.artifacts.push({ id: github.id(), runId: 777, name: 'frametail-results', zip: writeZip([{ name: 'head.results.jsonl', data: baseline }]) });
  const pr = pullRequestPayload({ number: 30, headSha: repo.headSha, baseSha: repo.baseSha, fork: false });

  const run = await pipeline({ 'github-token': 'ghs_workflow', baseline: 'artifact', comment: 'never' }, 'pull_request', pr, repo.dir, 'f'.repeat(40), noUpload);

  const report = JSON.parse(readFileSync(run.outputs['report-path'], 'utf8')) as { warnings: string[]; summary: { cells: number }; sides: { base: { runs: number } } };
  expect(report.summary.cells).toBe(4);
  expect(report.sides.base.runs).toBe(32);
  expect(report.warnings.join('\n')).toMatch(/baseline was measured on a different environment \(.*node.* differ\)/);
  expect(github.calls('repos/compare-commits-with-basehead')).toHaveLength(1);
  // Whatever the conclusion of the run that uploaded the baseline: no status filter.
  expect(github.calls('actions/list-workflow-runs-for-repo')[0]!.query).toEqual({ head_sha: repo.baseSha, per_page: '20' });
  expect(github.checkRuns.map((c) => c.head_sha)).toEqual([repo.headSha]);
});

it('baseline: artifact names the fix when the merge-base has no results', async () => {
  const repo = gitWorkspace(30);
  github.mergeBase.set(`${repo.baseSha}...${repo.headSha}`, repo.baseSha);
  const pr = pullRequestPayload({ number: 31, headSha: repo.headSha, baseSha: repo.baseSha, fork: false });
  const noUpload: ResultsUploader = { upload: () => Promise.reject(new Error('unused')) };
  await expect(pipeline({ 'github-token': 'ghs_workflow', baseline: 'artifact' }, 'pull_request', pr, repo.dir, 'f'.repeat(40), noUpload)).rejects.toThrow(/no run on the merge-base .* uploaded "frametail-results".*baseline: rerun/);
});

const recording = () => {
  const uploads: { name: string; files: Record<string, string> }[] = [];
  const uploader: ResultsUploader = {
    async upload(name, files) {
      uploads.push({ name, files: Object.fromEntries(files.map((f) => [basename(f), readFileSync(f, 'utf8')])) });
      return { id: uploads.length };
    },
  };
  return { uploads, uploader };
};

describe('baseline: artifact bootstraps', () => {
  it('the first push, whose previous commit never ran the action, measures and uploads without failing', async () => {
    const repo = gitWorkspace(30);
    github.mergeBase.set(`${repo.baseSha}...${repo.headSha}`, repo.baseSha);
    const { uploads, uploader } = recording();
    const push = { before: repo.baseSha, after: repo.headSha, ref: 'refs/heads/main', repository: { full_name: 'acme/studio' } };

    const run = await pipeline({ 'github-token': 'ghs_workflow', baseline: 'artifact' }, 'push', push, repo.dir, repo.headSha, uploader);

    expect(run.outputs).toMatchObject({ verdict: '', failed: false });
    expect(uploads.map((u) => u.name)).toEqual(['frametail-results']);
    expect(Object.keys(uploads[0]!.files)).toEqual(['head.results.jsonl']);
    expect(run.summary).toContain(`No run on ${repo.baseSha.slice(0, 12)} uploaded "frametail-results" yet`);
    // The check run that started in progress is completed, not left running.
    expect(github.checkRuns.map((c) => [c.head_sha, c.status, c.conclusion])).toEqual([[repo.headSha, 'completed', 'neutral']]);
  });

  it('a later pull request finds that baseline, even though the push run that uploaded it failed its gate', async () => {
    const repo = gitWorkspace(30);
    github.mergeBase.set(`${repo.baseSha}...${repo.headSha}`, repo.baseSha);
    github.workflowRuns.push({ id: 778, headSha: repo.baseSha, createdAt: '2026-11-23T10:00:00Z', conclusion: 'failure' });
    const baseline = readFileSync(join(FIXTURES, 'results/pass/head.results.jsonl'));
    github.artifacts.push({ id: github.id(), runId: 778, name: 'frametail-results', zip: writeZip([{ name: 'head.results.jsonl', data: baseline }]) });
    const pr = pullRequestPayload({ number: 32, headSha: repo.headSha, baseSha: repo.baseSha, fork: false });
    const { uploader } = recording();

    const run = await pipeline({ 'github-token': 'ghs_workflow', baseline: 'artifact', comment: 'never' }, 'pull_request', pr, repo.dir, 'f'.repeat(40), uploader);

    const report = JSON.parse(readFileSync(run.outputs['report-path'], 'utf8')) as { summary: { cells: number } };
    expect(report.summary.cells).toBe(4);
    expect(github.calls('actions/list-artifacts-for-repo')).toEqual([]);
    expect(github.calls('actions/list-workflow-run-artifacts').map((r) => r.path)).toEqual(['/repos/acme/studio/actions/runs/778/artifacts']);
  });
});

describe('the accept label, read when the job runs', () => {
  it('sees a label added after the event (a re-run), says it was accepted, and keeps the verdict truthful', async () => {
    const repo = gitWorkspace(400);
    // The payload is the one of the original event: no label. The reviewer added it afterwards.
    const pr = pullRequestPayload({ number: 33, headSha: repo.headSha, baseSha: repo.baseSha, fork: false, labels: [] });
    github.pulls.push({ number: 33, headSha: repo.headSha, headOwner: 'acme', headBranch: 'feature', labels: ['frametail:accept-regression'], state: 'open' });
    github.labelEvents.push({ issue: 33, label: 'frametail:accept-regression', actor: 'lead-reviewer' });
    const { uploader } = recording();

    const run = await pipeline({ 'github-token': 'ghs_workflow' }, 'pull_request', pr, repo.dir, 'e'.repeat(40), uploader);

    expect(run.outputs).toMatchObject({ verdict: 'fail', accepted: 'true', failed: false });
    expect(github.calls('issues/list-labels-on-issue')).toHaveLength(1);
    expect(github.checkRuns.map((c) => c.conclusion)).toEqual(['neutral']);
    const comment = github.comments.find((c) => c.issue === 33)!.body;
    expect(comment).toContain('lead-reviewer');
    // The footer names the PR head, and the merge commit measured when that is another commit.
    expect(comment).toMatch(new RegExp(`head #33 @ ${repo.headSha.slice(0, 7)}`));
  });

  it('without the label the gate fails and accepted is false', async () => {
    const repo = gitWorkspace(400);
    const pr = pullRequestPayload({ number: 34, headSha: repo.headSha, baseSha: repo.baseSha, fork: false, labels: ['frametail:accept-regression'] });
    // The label was on the PR when the event fired and has been removed since.
    github.pulls.push({ number: 34, headSha: repo.headSha, headOwner: 'acme', headBranch: 'feature', labels: [], state: 'open' });
    const { uploader } = recording();

    const run = await pipeline({ 'github-token': 'ghs_workflow' }, 'pull_request', pr, repo.dir, 'e'.repeat(40), uploader);

    expect(run.outputs).toMatchObject({ verdict: 'fail', accepted: 'false', failed: true });
    expect(github.checkRuns.map((c) => c.conclusion)).toEqual(['failure']);
  });
});
