/**
 * End-to-end: the bundled action (ncc build of src/action/main.ts, run with node as GitHub runs it)
 * against the fake GitHub API, which validates every request against GitHub's OpenAPI description.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildActionBundle, runAction } from './fake-github/action-harness.js';
import { copyWorkspace, gitWorkspace, pullRequestPayload, resultsZip, workflowRunPayload } from './fake-github/scenario.js';
import type { FakeGitHub } from './fake-github/server.js';
import { useFakeGitHub } from './fake-github/use-fake-github.js';

const HEAD = 'c'.repeat(40);
const MARKER = '<!-- frametail:comment .github/frametail.yml -->';
let bundle: string;
let github: FakeGitHub;

beforeAll(() => {
  bundle = buildActionBundle();
}, 300_000);

useFakeGitHub((g) => (github = g), { ghs_readonly: { login: 'github-actions[bot]', type: 'Bot', write: false, installation: true } });

/** A fork PR #7 whose measuring run 555 uploaded `kind` results. */
function forkPullRequestRun(kind: 'regression' | 'pass' | 'many', labels: string[] = []) {
  github.pulls.push({ number: 7, headSha: HEAD, headOwner: 'forker', headBranch: 'feature', labels, state: 'open' });
  github.artifacts.push({ id: github.id(), runId: 555, name: 'frametail-results', zip: resultsZip(kind) });
  return workflowRunPayload({ id: 555, headSha: HEAD, headOwner: 'forker', headBranch: 'feature' });
}

const reportInputs = (extra: Record<string, string> = {}) => ({ 'github-token': 'ghs_workflow', mode: 'report', ...extra });

describe('mode report on workflow_run (fork-safe pair)', () => {
  it('resolves the fork PR from the trusted head SHA, fails the check on the head commit and comments once', async () => {
    const workspace = copyWorkspace();
    const payload = forkPullRequestRun('regression');
    const run = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload, sha: 'd'.repeat(40), inputs: reportInputs() });

    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', regressions: '1' });
    expect(github.checkRuns).toHaveLength(1);
    const check = github.checkRuns[0]!;
    expect(check.head_sha).toBe(HEAD);
    expect(check.conclusion).toBe('failure');
    expect(run.outputs['check-run-id']).toBe(String(check.id));
    // One annotation on the config line of the regressed input, one on the source line its slower span names.
    expect(check.annotations).toEqual([
      expect.objectContaining({ path: '.github/frametail.yml', start_line: 15, annotation_level: 'failure' }),
      expect.objectContaining({ path: 'src/pipeline.mjs', start_line: 11, annotation_level: 'failure' }),
    ]);
    const comments = github.comments.filter((c) => c.issue === 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(MARKER);
    expect(run.outputs['comment-id']).toBe(String(comments[0]!.id));
    expect(run.summary).toContain('pirouette');
    expect(run.outputs['report-path']).toMatch(/report\.json$/);
  });

  it('updates its own comment on page 2 and leaves a marker comment by someone else alone', async () => {
    const workspace = copyWorkspace();
    const payload = forkPullRequestRun('pass');
    github.comments.push({ id: github.id(), issue: 7, user: 'mallory', body: `${MARKER}\nlooks like frametail` });
    for (let i = 0; i < 120; i++) github.comments.push({ id: github.id(), issue: 7, user: 'reviewer', body: `comment ${i}` });
    const ours = { id: github.id(), issue: 7, user: 'github-actions[bot]', body: `${MARKER}\nold report` };
    github.comments.push(ours);

    const first = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload, sha: HEAD, inputs: reportInputs() });
    const second = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload, sha: HEAD, inputs: reportInputs() });

    expect(first.code, first.stdout).toBe(0);
    expect(second.outputs['comment-id']).toBe(String(ours.id));
    expect(github.comments).toHaveLength(122);
    expect(github.comments[0]!.body).toBe(`${MARKER}\nlooks like frametail`);
    expect(ours.body).not.toContain('old report');
    expect(github.calls('issues/create-comment')).toHaveLength(0);
    expect(github.calls('issues/update-comment')).toHaveLength(2);
    // The bot's comment sits on page 2 of 100-per-page listings.
    expect(github.calls('issues/list-comments').map((r) => r.query.page ?? '1')).toEqual(['1', '2', '1', '2']);
    expect(github.checkRuns.map((c) => c.conclusion)).toEqual(['success', 'success']);
  });

  it('with a personal access token finds its comment through GET /user', async () => {
    const workspace = copyWorkspace();
    const payload = forkPullRequestRun('pass');
    github.tokens.set('ghp_personal', { login: 'release-bot', type: 'User', write: true, installation: false });
    github.comments.push({ id: github.id(), issue: 7, user: 'github-actions[bot]', body: `${MARKER}\nwritten by the workflow token` });
    const mine = { id: github.id(), issue: 7, user: 'release-bot', body: `${MARKER}\nold` };
    github.comments.push(mine);
    const run = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload, sha: HEAD, inputs: reportInputs({ 'github-token': 'ghp_personal' }) });

    expect(run.outputs['comment-id'], run.stdout).toBe(String(mine.id));
    expect(github.calls('users/get-authenticated')).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('written by the workflow token');
  });

  it('with a GitHub App installation token finds its comment through the app that created the check run', async () => {
    const workspace = copyWorkspace();
    const payload = forkPullRequestRun('pass');
    github.tokens.set('ghs_app_installation', { login: 'frametail-app[bot]', type: 'Bot', write: true, installation: true });
    github.comments.push({ id: github.id(), issue: 7, user: 'github-actions[bot]', body: `${MARKER}\nwritten by the workflow token` });
    const mine = { id: github.id(), issue: 7, user: 'frametail-app[bot]', body: `${MARKER}\nstale report` };
    github.comments.push(mine);
    const run = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload, sha: HEAD, inputs: reportInputs({ 'github-token': 'ghs_app_installation' }) });

    expect(run.outputs['comment-id'], run.stdout).toBe(String(mine.id));
    expect(mine.body).not.toContain('stale report');
    expect(github.calls('issues/create-comment')).toHaveLength(0);
    expect(github.comments.find((c) => c.user === 'github-actions[bot]')!.body).toContain('written by the workflow token');
  });

  it('sends no more than 50 annotations per request, and retries a 500, a 429 and a secondary rate limit', async () => {
    const workspace = copyWorkspace();
    const payload = forkPullRequestRun('many');
    github.faults.push({ method: 'POST', path: /\/check-runs$/, status: 500, times: 1 });
    github.faults.push({ method: 'GET', path: /\/actions\/runs\/555\/artifacts$/, status: 429, times: 1, message: 'Too many requests' });
    github.faults.push({ method: 'GET', path: /\/issues\/7\/comments$/, status: 403, times: 1, message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', headers: { 'retry-after': '1' } });
    const run = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload, sha: HEAD, inputs: reportInputs({ config: '.github/frametail-many.yml' }) });

    expect(run.outputs.regressions, run.stdout).toBe('60');
    const creates = github.calls('checks/create');
    expect(creates.map((r) => r.status)).toEqual([500, 201]);
    // Created in progress and completed without annotations; then they follow, 50 per request.
    const sent = [...creates.slice(1), ...github.calls('checks/update')].map((r) => ((r.body as { output: { annotations?: unknown[] } }).output.annotations ?? []).length);
    expect(sent).toEqual([0, 0, 50, 11]);
    expect(github.checkRuns[0]!.annotations).toHaveLength(61);
    expect(github.calls('actions/list-workflow-run-artifacts').map((r) => r.status)).toEqual([429, 200]);
    expect(github.calls('issues/list-comments').map((r) => r.status)).toEqual([403, 200]);
    expect(run.warnings.join('\n')).toContain('secondary rate limit');
    expect(github.comments.filter((c) => c.issue === 7)).toHaveLength(1);
  });

  it('survives a comment reply without an id: a warning naming the endpoint, an empty comment-id, the gate still failing', async () => {
    const workspace = copyWorkspace();
    const payload = forkPullRequestRun('regression');
    github.malformed.set('issues/create-comment', { rewrite: (reply) => ({ ...(reply as object), id: undefined }) });
    const run = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload, sha: 'd'.repeat(40), inputs: reportInputs() });

    expect(run.warnings.join('\n'), run.stdout).toContain('GitHub API reply of POST /repos/{owner}/{repo}/issues/{issue_number}/comments: id: expected number, got undefined');
    expect(run.outputs['comment-id']).toBe('');
    expect(run.outputs['check-run-id']).toBe(String(github.checkRuns[0]!.id));
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(/^Frametail: the gate failed with 1 regressed cell/)]);
    expect(run.summary).toContain('pirouette');
  });

  it('turns a failure into a neutral check when the accept label is on the PR, naming who applied it', async () => {
    const workspace = copyWorkspace();
    const payload = forkPullRequestRun('regression', ['frametail:accept-regression']);
    github.labelEvents.push({ issue: 7, label: 'frametail:accept-regression', actor: 'lead-reviewer' });
    const run = await runAction({ bundle, apiUrl: github.url, workspace, eventName: 'workflow_run', payload, sha: HEAD, inputs: reportInputs() });

    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.verdict).toBe('fail');
    expect(github.checkRuns[0]!.conclusion).toBe('neutral');
    expect(github.checkRuns[0]!.annotations).toEqual(expect.arrayContaining([expect.objectContaining({ annotation_level: 'warning' })]));
    const body = github.comments.find((c) => c.issue === 7)!.body;
    expect(body).toContain('frametail:accept-regression');
    expect(body).toContain('lead-reviewer');
  });
});

describe('mode all (base and head measured in the same job)', () => {
  it('gates a same-repository PR: failure check on the PR head, one comment, outputs and summary', async () => {
    const repo = gitWorkspace(400);
    const payload = pullRequestPayload({ number: 12, headSha: repo.headSha, baseSha: repo.baseSha, fork: false });
    // The bundle reads the head results in a worker thread running itself (results/read-pair.ts), here whatever their size.
    const env = { FRAMETAIL_READ_WORKER: 'always' };
    const run = await runAction({ bundle, apiUrl: github.url, workspace: repo.dir, eventName: 'pull_request', payload, sha: 'e'.repeat(40), inputs: { 'github-token': 'ghs_workflow' }, env });

    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail' });
    expect(Number(run.outputs.regressions)).toBeGreaterThanOrEqual(1);
    expect(github.checkRuns.map((c) => [c.head_sha, c.conclusion])).toEqual([[repo.headSha, 'failure']]);
    expect(github.checkRuns[0]!.annotations).toEqual(expect.arrayContaining([expect.objectContaining({ path: '.github/frametail.yml', start_line: 15 })]));
    expect(github.comments.filter((c) => c.issue === 12)).toHaveLength(1);
    expect(run.summary).toContain('pirouette');
  });

  it('on a fork PR with a read-only token warns with the fix and still writes the summary', async () => {
    const repo = gitWorkspace(30);
    const payload = pullRequestPayload({ number: 13, headSha: repo.headSha, baseSha: repo.baseSha, fork: true });
    const run = await runAction({ bundle, apiUrl: github.url, workspace: repo.dir, eventName: 'pull_request', payload, sha: 'e'.repeat(40), inputs: { 'github-token': 'ghs_readonly' } });

    expect(run.warnings.join('\n')).toContain('checks: write');
    expect(run.warnings.join('\n')).toContain('pull-requests: write');
    expect(run.warnings.join('\n')).toContain('workflow_run');
    expect(run.errors.filter((e) => !e.startsWith('Frametail: the gate failed'))).toEqual([]);
    expect(['pass', 'inconclusive', 'fail']).toContain(run.outputs.verdict);
    expect(run.outputs['check-run-id']).toBe('');
    expect(run.outputs['comment-id']).toBe('');
    expect(run.summary).toContain('E2E sleep pipeline');
    expect(github.checkRuns).toHaveLength(0);
    expect(github.comments).toHaveLength(0);
    expect(github.requests.filter((r) => r.method !== 'GET').every((r) => r.status === 403)).toBe(true);
  });

  it('on push and merge_group puts the check on the pushed / queued commit and writes no comment', async () => {
    const repo = gitWorkspace(400);
    const push = { before: repo.baseSha, after: repo.headSha, ref: 'refs/heads/main', repository: { full_name: 'acme/studio' } };
    const pushed = await runAction({ bundle, apiUrl: github.url, workspace: repo.dir, eventName: 'push', payload: push, sha: repo.headSha, inputs: { 'github-token': 'ghs_workflow' } });
    const group = { action: 'checks_requested', merge_group: { head_sha: repo.headSha, head_ref: 'refs/heads/gh-readonly-queue/main/pr-12', base_sha: repo.baseSha, base_ref: 'refs/heads/main' } };
    const queued = await runAction({ bundle, apiUrl: github.url, workspace: repo.dir, eventName: 'merge_group', payload: group, sha: repo.headSha, inputs: { 'github-token': 'ghs_workflow' } });

    expect([pushed.outputs.verdict, queued.outputs.verdict], pushed.stdout + queued.stdout).toEqual(['fail', 'fail']);
    expect([pushed.code, queued.code]).toEqual([1, 1]);
    expect(github.checkRuns.map((c) => [c.head_sha, c.conclusion])).toEqual([
      [repo.headSha, 'failure'],
      [repo.headSha, 'failure'],
    ]);
    expect(github.requests.filter((r) => r.operationId?.startsWith('issues/'))).toEqual([]);
  });
});
