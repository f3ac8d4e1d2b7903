import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventContext } from './event.js';
import { scratchDir } from '../../tests/helpers/scratch.js';

function contextFor(eventName: string, payload: unknown, extra: Record<string, string> = {}) {
  const file = join(scratchDir('ft-event-'), 'event.json');
  writeFileSync(file, JSON.stringify(payload));
  return readEventContext({ GITHUB_REPOSITORY: 'acme/studio', GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: file, GITHUB_SHA: 'merge'.padEnd(40, '0'), ...extra });
}

describe('readEventContext', () => {
  it('puts the check on the PR head, not the merge commit GITHUB_SHA names', () => {
    const ctx = contextFor('pull_request', {
      pull_request: { number: 3, head: { sha: 'h'.repeat(40), repo: { full_name: 'forker/studio' } }, base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: 'acme/studio' } }, labels: [{ name: 'x' }] },
    });
    expect(ctx.headSha).toBe('h'.repeat(40));
    expect(ctx.baseSha).toBe('b'.repeat(40));
    expect(ctx.pullRequest).toEqual({ number: 3, headSha: 'h'.repeat(40), baseSha: 'b'.repeat(40), baseRef: 'main', labels: ['x'], fromFork: true });
  });

  it('takes the base of a push from `before`, except for a new branch', () => {
    expect(contextFor('push', { before: 'a'.repeat(40), after: 'c'.repeat(40) })).toMatchObject({ baseSha: 'a'.repeat(40), headSha: 'c'.repeat(40) });
    expect(contextFor('push', { before: '0'.repeat(40), after: 'c'.repeat(40) }).baseSha).toBeNull();
  });

  it('reads merge_group and workflow_run', () => {
    expect(contextFor('merge_group', { merge_group: { head_sha: 'q'.repeat(40), base_sha: 'b'.repeat(40) } })).toMatchObject({ headSha: 'q'.repeat(40), baseSha: 'b'.repeat(40) });
    const run = contextFor('workflow_run', { workflow_run: { id: 9, head_sha: 'h'.repeat(40), head_branch: 'feat', event: 'pull_request', head_repository: { owner: { login: 'forker' } }, pull_requests: [] } });
    expect(run.workflowRun).toEqual({ id: 9, headSha: 'h'.repeat(40), headBranch: 'feat', headOwner: 'forker', event: 'pull_request', pullRequests: [] });
    expect(run.headSha).toBe('h'.repeat(40));
  });

  it('points at GitHub Enterprise through GITHUB_API_URL', () => {
    expect(contextFor('push', {}, { GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }).apiUrl).toBe('https://ghe.example.com/api/v3');
  });

  it('says which payload field is wrong', () => {
    expect(() => contextFor('pull_request', { pull_request: { number: 'three' } })).toThrow(/^pull_request event payload: pull_request\.number: /);
    expect(() => readEventContext({ GITHUB_EVENT_NAME: 'push', GITHUB_SHA: 'x' })).toThrow(/GITHUB_REPOSITORY is not set/);
  });
});
