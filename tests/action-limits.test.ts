/**
 * GitHub's size limits, checked on what the action actually sends: a report far too large for a comment
 * (60 cells, 40 spans each, long prompts) is published through the fake API, whose OpenAPI schema
 * enforces the check-run limits, and the comment and summary are measured here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { overflowReport } from '../fixtures/reports/build.js';
import { publish } from '../src/action/publish.js';
import { createClient } from '../src/github/client.js';
import { FakeGitHub } from './fake-github/server.js';
import { scratchDir } from './helpers/scratch.js';

let github: FakeGitHub;

beforeEach(async () => {
  github = new FakeGitHub();
  github.tokens.set('ghs_workflow', { login: 'github-actions[bot]', type: 'Bot', write: true, installation: true });
  await github.start();
});

afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
});

it('fits an oversized report into the comment, check run and summary limits instead of failing', async () => {
  const report = overflowReport();
  const summaryFile = join(scratchDir('ft-limits-'), 'summary.md');
  writeFileSync(summaryFile, '');
  const client = createClient('ghs_workflow', { baseUrl: github.url, retryAfterBaseMs: 1, warn: () => {} });
  const published = await publish(
    report,
    {
      repo: { owner: 'acme', repo: 'studio' },
      headSha: 'c'.repeat(40),
      pullRequest: 9,
      configFile: '.github/frametail.yml',
      workspace: '/nonexistent',
      inputLines: {},
      serverUrl: 'https://github.example',
      runUrl: 'https://github.example/acme/studio/actions/runs/1',
      reproduce: 'npx frametail bench',
    },
    'always',
    { client, token: 'ghs_workflow', summaryFile, fileExists: () => true, warn: () => {}, log: () => {} },
  );

  expect(published.conclusion).toBe('failure');
  const comment = github.comments.find((c) => c.issue === 9)!;
  expect(comment.body.length).toBeLessThanOrEqual(65_536);
  expect(comment.body.length).toBeGreaterThan(10_000);
  expect(comment.body.startsWith('<!-- frametail:comment .github/frametail.yml -->')).toBe(true);
  const check = github.checkRuns[0]!;
  expect(check.output.summary!.length).toBeLessThanOrEqual(65_535);
  expect(check.output.text!.length).toBeLessThanOrEqual(65_535);
  expect(Buffer.byteLength(readFileSync(summaryFile, 'utf8'))).toBeLessThanOrEqual(1024 * 1024);
  // Every batch respected the 50-annotation limit (the schema would have rejected more).
  expect(check.annotations.length).toBeGreaterThan(50);
  expect(github.calls('checks/update').length).toBe(Math.ceil(check.annotations.length / 50) - 1);
});
