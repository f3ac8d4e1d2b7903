/**
 * GitHub's size limits, checked on what the action actually sends: a report far too large for a comment
 * (60 cells, 40 spans each, long prompts) is published through the fake API, whose OpenAPI schema
 * enforces the check-run limits, and the comment and summary are measured here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { failReport, overflowReport } from '../fixtures/reports/build.js';
import { CheckLifecycle } from '../src/action/check-lifecycle.js';
import { publish } from '../src/action/publish.js';
import { createClient } from '../src/github/client.js';
import type { FakeGitHub } from './fake-github/server.js';
import { useFakeGitHub } from './fake-github/use-fake-github.js';
import { scratchDir } from './helpers/scratch.js';

let github: FakeGitHub;

useFakeGitHub((g) => (github = g));

it('fits an oversized report into the comment, check run and summary limits instead of failing', async () => {
  const report = overflowReport();
  const summaryFile = join(scratchDir('ft-limits-'), 'summary.md');
  writeFileSync(summaryFile, '');
  const client = createClient('ghs_workflow', { baseUrl: github.url, retryAfterBaseMs: 1, warn: () => {} });
  const repo = { owner: 'acme', repo: 'studio' };
  const check = new CheckLifecycle({ client, repo, name: 'Frametail: overflow', headSha: 'c'.repeat(40), detailsUrl: 'https://github.example/acme/studio/actions/runs/1', progressIntervalMs: 0, warn: () => {} });
  const published = await publish(
    report,
    {
      repo,
      headSha: 'c'.repeat(40),
      pullRequest: 9,
      configFile: '.github/frametail.yml',
      roots: '/nonexistent',
      inputLines: {},
      serverUrl: 'https://github.example',
      reproduce: 'npx frametail bench',
    },
    'always',
    check,
    { client, token: 'ghs_workflow', summaryFile, fileExists: () => true, warn: () => {}, log: () => {} },
  );

  expect(published.conclusion).toBe('failure');
  const comment = github.comments.find((c) => c.issue === 9)!;
  expect(comment.body.length).toBeLessThanOrEqual(65_536);
  expect(comment.body.length).toBeGreaterThan(10_000);
  expect(comment.body.startsWith('<!-- frametail:comment .github/frametail.yml -->')).toBe(true);
  const run = github.checkRuns[0]!;
  expect(run.output.summary!.length).toBeLessThanOrEqual(65_535);
  expect(run.output.text!.length).toBeLessThanOrEqual(65_535);
  expect(Buffer.byteLength(readFileSync(summaryFile, 'utf8'))).toBeLessThanOrEqual(1024 * 1024);
  // Every batch respected the 50-annotation limit (the schema would have rejected more).
  expect(run.annotations.length).toBeGreaterThan(50);
  // One update completes the run (created in progress for the missing start), then one per 50 annotations.
  expect(github.calls('checks/update').length).toBe(1 + Math.ceil(run.annotations.length / 50));
  expect(run.status).toBe('completed');
});

it('keeps the headline and the results table in every channel whatever the size of the description and labels', async () => {
  const report = failReport();
  report.experiment.description = 'A very long description. '.repeat(2_800);
  report.experiment.dimension.variants = report.experiment.dimension.variants.map((v) => ({ ...v, label: `${v.label} ${'x'.repeat(5_000)}` }));
  report.experiment.inputs = report.experiment.inputs.map((i) => ({ ...i, prompt: 'p'.repeat(20_000) }));
  expect(report.experiment.description.length).toBeGreaterThanOrEqual(70_000);
  const summaryFile = join(scratchDir('ft-limits-'), 'summary.md');
  writeFileSync(summaryFile, '');
  const client = createClient('ghs_workflow', { baseUrl: github.url, retryAfterBaseMs: 1, warn: () => {} });
  const repo = { owner: 'acme', repo: 'studio' };
  const check = new CheckLifecycle({ client, repo, name: 'Frametail: long', headSha: 'c'.repeat(40), detailsUrl: 'https://github.example/acme/studio/actions/runs/1', progressIntervalMs: 0, warn: () => {} });
  await check.start({ title: 'Measuring', summary: 'starting', text: '' });
  await publish(
    report,
    { repo, headSha: 'c'.repeat(40), pullRequest: 9, configFile: '.github/frametail.yml', roots: '/nonexistent', inputLines: {}, serverUrl: 'https://github.example', reproduce: 'npx frametail bench' },
    'always',
    check,
    { client, token: 'ghs_workflow', summaryFile, fileExists: () => true, warn: () => {}, log: () => {} },
  );

  const table = /^\| Input \| .+ \|$/m;
  const comment = github.comments.find((c) => c.issue === 9)!.body;
  const run = github.checkRuns[0]!;
  const summary = readFileSync(summaryFile, 'utf8');
  for (const text of [comment, run.output.summary!, summary]) {
    expect(text).toMatch(/^### 🔴 1 latency regression: pirouette/m);
    expect(text).toMatch(table);
    expect(text).toContain('A very long description.');
    expect(text).not.toContain('A very long description. '.repeat(200));
  }
  expect(run.output.summary!.length).toBeGreaterThan(1_000);
  expect(run.status).toBe('completed');
});
