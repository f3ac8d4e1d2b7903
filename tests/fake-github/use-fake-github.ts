/**
 * One fake GitHub per test: started before each test with the workflow's installation token (plus any
 * `extraTokens`), stopped after it, and the test fails on any request GitHub would reject or not route.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { FakeGitHub } from './server.js';

type FakeUser = FakeGitHub['tokens'] extends Map<string, infer U> ? U : never;

/** Registers the hooks; `assign` receives each test's server (e.g. `(g) => (github = g)`). */
export function useFakeGitHub(assign: (github: FakeGitHub) => void, extraTokens: Record<string, FakeUser> = {}): void {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = new FakeGitHub();
    github.tokens.set('ghs_workflow', { login: 'github-actions[bot]', type: 'Bot', write: true, installation: true });
    for (const [token, user] of Object.entries(extraTokens)) github.tokens.set(token, user);
    assign(github);
    await github.start();
  });
  afterEach(async () => {
    await github.stop();
    // An unknown route or a request GitHub would reject fails the test.
    expect(github.violations).toEqual([]);
  });
}
