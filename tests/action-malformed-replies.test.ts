/**
 * Malformed GitHub API replies (a proxy's HTML page, a null id, a missing field), served by the fake API
 * for one endpoint at a time, driven through the action's pipeline in mode `report`. Publishing degrades
 * to a warning naming the endpoint and the field, the job summary and report.json are still written, the
 * outputs hold no "undefined", and a failed gate still fails the step. A malformed reply the report is
 * built from fails the step with that same message.
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failureMessage } from '../src/action/run.js';
import type { ResultsUploader } from '../src/github/upload.js';
import { runPipelineAgainst } from './fake-github/pipeline-harness.js';
import { copyWorkspace, resultsZip, workflowRunPayload } from './fake-github/scenario.js';
import { FakeGitHub } from './fake-github/server.js';

const HEAD = 'c'.repeat(40);
const PROXY_PAGE = '<!DOCTYPE html><html><body>Please sign in to the corporate proxy</body></html>';
const uploader: ResultsUploader = { upload: () => Promise.resolve({ id: 1 }) };
let github: FakeGitHub;

beforeEach(async () => {
  github = new FakeGitHub();
  github.tokens.set('ghs_workflow', { login: 'github-actions[bot]', type: 'Bot', write: true, installation: true });
  await github.start();
  // Fork PR #7, whose measuring run 555 uploaded results with one regressed cell.
  github.pulls.push({ number: 7, headSha: HEAD, headOwner: 'forker', headBranch: 'feature', labels: [], state: 'open' });
  github.artifacts.push({ id: github.id(), runId: 555, name: 'frametail-results', zip: resultsZip('regression') });
});

afterEach(async () => {
  await github.stop();
  // The requests themselves stay valid against GitHub's description; only the replies are broken.
  expect(github.violations).toEqual([]);
});

const report = (token = 'ghs_workflow') =>
  runPipelineAgainst(github, {
    inputs: { 'github-token': token, mode: 'report' },
    eventName: 'workflow_run',
    payload: workflowRunPayload({ id: 555, headSha: HEAD, headOwner: 'forker', headBranch: 'feature' }),
    workspace: copyWorkspace(),
    sha: 'd'.repeat(40),
    uploader,
  });

it('a check run reply with a null id: warns naming endpoint and field, still comments, and the gate still fails', async () => {
  github.malformed.set('checks/create', { rewrite: (reply) => ({ ...(reply as object), id: null }) });
  const run = await report();

  expect(run.warnings).toEqual([
    'Frametail could not create the check run: GitHub API reply of POST /repos/{owner}/{repo}/check-runs: id: expected number, got null. The verdict is unchanged and the job summary has the full report.',
  ]);
  expect(run.outputs['check-run-id']).toBe('');
  expect(run.outputs['comment-id']).toBe(String(github.comments.find((c) => c.issue === 7)!.id));
  expect(run.outputs).toMatchObject({ verdict: 'fail', regressions: 1, failed: true });
  expect(run.summary).toContain('pirouette');
  expect(existsSync(run.outputs['report-path'])).toBe(true);
});

it('an HTML page instead of the comments list: warns, writes no comment, and still publishes the check run', async () => {
  github.malformed.set('issues/list-comments', { rewrite: () => PROXY_PAGE });
  const run = await report();

  expect(run.warnings).toHaveLength(1);
  expect(run.warnings[0]).toMatch(/^Frametail could not write the pull request comment: GitHub API reply of GET \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments: \(reply\): expected array, got an HTML page "<!DOCTYPE html>/);
  expect(github.calls('issues/create-comment')).toEqual([]);
  expect(run.outputs['comment-id']).toBe('');
  expect(github.checkRuns.map((c) => [c.head_sha, c.conclusion])).toEqual([[HEAD, 'failure']]);
  expect(run.outputs['check-run-id']).toBe(String(github.checkRuns[0]!.id));
  expect(run.outputs.failed).toBe(true);
  expect(run.summary).toContain('pirouette');
});

it('GET /user without a login: no guess at whose comment to edit, a warning, and no comment', async () => {
  github.tokens.set('ghp_personal', { login: 'release-bot', type: 'User', write: true, installation: false });
  github.comments.push({ id: github.id(), issue: 7, user: 'github-actions[bot]', body: '<!-- frametail:comment .github/frametail.yml -->\nthe bot’s' });
  github.malformed.set('users/get-authenticated', { rewrite: () => ({}) });
  const run = await report('ghp_personal');

  expect(run.warnings).toEqual([expect.stringContaining('could not write the pull request comment: GitHub API reply of GET /user: login: expected string, got undefined')]);
  expect(github.calls('issues/update-comment')).toEqual([]);
  expect(github.calls('issues/create-comment')).toEqual([]);
  expect(run.outputs['comment-id']).toBe('');
  expect(github.checkRuns).toHaveLength(1);
});

it('a pulls reply without a head SHA: warns, and publishes the check run on the trusted head and the summary', async () => {
  github.malformed.set('pulls/list', { rewrite: (reply) => (reply as { head: object }[]).map((pr) => ({ ...pr, head: {} })) });
  const run = await report();

  expect(run.warnings).toEqual([
    'Frametail could not find the pull request: GitHub API reply of GET /repos/{owner}/{repo}/pulls: [0].head.sha: expected string, got undefined. Publishing the check run and the job summary only.',
  ]);
  expect(github.checkRuns.map((c) => c.head_sha)).toEqual([HEAD]);
  expect(github.comments).toEqual([]);
  expect(run.outputs).toMatchObject({ verdict: 'fail', 'comment-id': '', failed: true });
  expect(run.summary).toContain('pirouette');
});

it('an artifacts list without its artifacts fails the step with a message naming endpoint and field', async () => {
  github.malformed.set('actions/list-workflow-run-artifacts', { rewrite: (reply) => ({ total_count: (reply as { total_count: number }).total_count }) });
  const error = await report().then(
    () => null,
    (e: unknown) => e,
  );

  expect(failureMessage(error)).toBe('GitHub API reply of GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts: artifacts: expected array, got undefined');
  // The check run created at the start is not left running: it fails, saying why.
  expect(github.checkRuns.map((c) => [c.head_sha, c.status, c.conclusion])).toEqual([[HEAD, 'completed', 'failure']]);
  expect(github.checkRuns[0]!.output.summary).toContain('artifacts: expected array, got undefined');
});

it('an HTML page instead of the artifact zip fails the step saying so, not with a zip error', async () => {
  github.malformed.set('actions/download-artifact', { rewrite: () => PROXY_PAGE });
  const error = await report().then(
    () => null,
    (e: unknown) => e,
  );

  expect(failureMessage(error)).toMatch(/^GitHub API reply of GET \/repos\/\{owner\}\/\{repo\}\/actions\/artifacts\/\{artifact_id\}\/\{archive_format\}: \(reply\): expected the zip archive as binary data \(got an HTML page "<!DOCTYPE html>/);
});
