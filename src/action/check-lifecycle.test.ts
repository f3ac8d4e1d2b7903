import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GitHubClient } from '../github/client.js';
import { CheckLifecycle, progressOutput } from './check-lifecycle.js';

/** A client whose checks.create/update record their parameters; `fail` makes the next call of a kind throw. */
function fakeClient() {
  const calls: { kind: 'create' | 'update'; at: number; params: Record<string, unknown> }[] = [];
  const fail: { create?: unknown; update?: unknown } = {};
  const call = (kind: 'create' | 'update') => async (params: Record<string, unknown>) => {
    calls.push({ kind, at: Date.now(), params });
    const error = fail[kind];
    if (error) {
      delete fail[kind];
      throw error;
    }
    return { data: { id: 42, html_url: null, app: { slug: 'github-actions' } } };
  };
  const client = { rest: { checks: { create: call('create'), update: call('update') } } } as unknown as GitHubClient;
  return { client, calls, fail };
}

const output = (n: number) => progressOutput('exp', `${n} runs`);

describe('CheckLifecycle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('creates the run in progress, then sends at most one progress update per interval, the newest', async () => {
    const { client, calls } = fakeClient();
    const warnings: string[] = [];
    const check = new CheckLifecycle({ client, repo: { owner: 'a', repo: 'b' }, name: 'F', headSha: 'h', detailsUrl: 'u', progressIntervalMs: 15_000, warn: (m) => warnings.push(m) });
    await check.start(output(0));
    expect(calls.map((c) => [c.kind, c.params.status])).toEqual([['create', 'in_progress']]);
    // 100 runs finish within 40 s: updates at 15 s and 30 s only, each with the newest progress.
    for (let i = 1; i <= 100; i++) {
      check.progress(output(i));
      await vi.advanceTimersByTimeAsync(400);
    }
    const updates = calls.filter((c) => c.kind === 'update');
    expect(updates).toHaveLength(2);
    expect(updates[1]!.at - updates[0]!.at).toBeGreaterThanOrEqual(15_000);
    expect((updates[0]!.params.output as { title: string }).title).toBe('Measuring: 38 runs');
    await check.complete('success', { title: 'done', summary: 's', text: '' });
    expect(calls.at(-1)!.params).toMatchObject({ status: 'completed', conclusion: 'success' });
    // Completed once: no progress and no second completion afterwards.
    check.progress(output(101));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await check.complete('failure', { title: 'x', summary: 'x', text: '' })).toBe(false);
    expect(calls.filter((c) => c.params.status === 'completed')).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('turns itself off after a permission refusal, with one warning naming checks: write', async () => {
    const { client, calls, fail } = fakeClient();
    fail.create = Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
    const warnings: string[] = [];
    const check = new CheckLifecycle({ client, repo: { owner: 'a', repo: 'b' }, name: 'F', headSha: 'h', detailsUrl: 'u', progressIntervalMs: 0, warn: (m) => warnings.push(m) });
    await check.start(output(0));
    check.progress(output(1));
    expect(await check.complete('failure', output(2))).toBe(false);
    expect(calls).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('checks: write');
  });

  it('creates the run at completion when the start failed for a passing reason (a 502 after retries)', async () => {
    const { client, calls, fail } = fakeClient();
    fail.create = Object.assign(new Error('Bad Gateway'), { status: 502 });
    const warnings: string[] = [];
    const check = new CheckLifecycle({ client, repo: { owner: 'a', repo: 'b' }, name: 'F', headSha: 'h', detailsUrl: 'u', progressIntervalMs: 0, warn: (m) => warnings.push(m) });
    await check.start(output(0));
    expect(await check.complete('failure', output(2))).toBe(true);
    expect(calls.map((c) => [c.kind, c.params.status ?? null])).toEqual([
      ['create', 'in_progress'],
      ['create', 'in_progress'],
      ['update', 'completed'],
    ]);
    expect(check.id).toBe(42);
    expect(warnings).toEqual([expect.stringContaining('could not create the check run: 502 Bad Gateway')]);
  });
});
