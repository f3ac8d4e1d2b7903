/**
 * Mode report reads artifacts a fork controls. End to end through the bundled action and the fake
 * GitHub: a small zip of junk lines that expands to tens of MB, a 4,000-deep span chain and a cell whose
 * input id is a JavaScript property name still publish a verdict, with the action's heap capped at
 * 384 MB (the junk artifact once took 4.3 GB and published nothing). A head file with no run fails the
 * check with the reason, as the CLI exits 2 for it (it once turned green as "unchanged").
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildActionBundle, runAction } from './fake-github/action-harness.js';
import { copyWorkspace, FIXTURES, workflowRunPayload } from './fake-github/scenario.js';
import type { FakeGitHub } from './fake-github/server.js';
import { useFakeGitHub } from './fake-github/use-fake-github.js';
import { writeZip } from './fake-github/zip-writer.js';

const HEAD = 'c'.repeat(40);
const JUNK_LINES = 4_000_000;
const DEPTH = 4000;
let bundle: string;
let github: FakeGitHub;

beforeAll(() => {
  bundle = buildActionBundle();
}, 300_000);

useFakeGitHub((g) => (github = g));

const fixture = (side: string) => readFileSync(join(FIXTURES, 'results', 'regression', `${side}.results.jsonl`), 'utf8');

/** A 4,000-deep chain of spans under the root span of the head file's first run. */
function deepChain(head: string): string {
  const lines = head.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const root = lines.find((l) => l.type === 'span' && l.parentSpanId === null)!;
  const chain: string[] = [];
  let parent = root.spanId as string;
  for (let i = 0; i < DEPTH; i++) {
    const spanId = (0x3000000000000000n + BigInt(i)).toString(16);
    chain.push(JSON.stringify({ type: 'span', run: root.run, traceId: root.traceId, spanId, parentSpanId: parent, name: 'step', startNs: String(BigInt(root.startNs as string) + BigInt(i)), endNs: String(BigInt(root.startNs as string) + 100_000_000n - BigInt(i)), status: 'ok', attributes: {} }));
    parent = spanId;
  }
  return chain.join('\n') + '\n';
}

async function reportOn(files: { base: string; head: string }) {
  const zip = writeZip([
    { name: 'base.results.jsonl', data: Buffer.from(files.base) },
    { name: 'head.results.jsonl', data: Buffer.from(files.head) },
  ]);
  github.pulls.push({ number: 7, headSha: HEAD, headOwner: 'forker', headBranch: 'feature', labels: [], state: 'open' });
  github.artifacts.push({ id: github.id(), runId: 555, name: 'frametail-results', zip });
  const payload = workflowRunPayload({ id: 555, headSha: HEAD, headOwner: 'forker', headBranch: 'feature' });
  const run = await runAction({
    bundle, apiUrl: github.url, workspace: copyWorkspace(), eventName: 'workflow_run', payload, sha: 'd'.repeat(40),
    inputs: { 'github-token': 'ghs_workflow', mode: 'report' },
    env: { NODE_OPTIONS: '--max-old-space-size=384' },
  });
  return { run, zipBytes: zip.length };
}

describe('mode report treats artifacts as hostile', () => {
  it('a small zip of millions of junk lines: bounded warnings, a small report.json, the verdict published', async () => {
    const head = fixture('head') + 'not a results line\n'.repeat(JUNK_LINES);
    const { run, zipBytes } = await reportOn({ base: fixture('base'), head });
    expect(zipBytes).toBeLessThan(400_000);
    expect(run.code, run.stderr.slice(-2000)).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    expect(github.checkRuns.map((c) => [c.head_sha, c.conclusion])).toEqual([[HEAD, 'failure']]);
    const comment = github.comments.find((c) => c.issue === 7)!.body;
    expect(comment).toContain('pirouette');
    const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8')) as { warnings: string[] };
    expect(report.warnings.length).toBeLessThanOrEqual(101);
    expect(report.warnings.at(-1)).toMatch(/^… and \d+ more warnings not shown$/);
    expect(statSync(run.outputs['report-path']!).size).toBeLessThan(200_000);
    // Nor a million lines on the log.
    expect(run.stdout.split('\n').length + run.stderr.split('\n').length).toBeLessThan(2000);
  }, 300_000);

  it('a head file with a header and no run: a failed check saying so, no green "unchanged", no comment', async () => {
    const header = fixture('head').split('\n')[0]!;
    expect(JSON.parse(header)).toMatchObject({ type: 'header', side: 'head' });
    const { run } = await reportOn({ base: fixture('base'), head: `${header}\n` });
    expect(run.code, run.stderr.slice(-2000)).toBe(1);
    const reason = 'frametail-results/head.results.jsonl: the head file holds a header but no run line: nothing to compare';
    expect(run.errors.join('\n')).toContain(reason);
    expect(run.outputs.verdict ?? '').not.toBe('pass');
    expect(github.checkRuns.map((c) => [c.head_sha, c.status, c.conclusion])).toEqual([[HEAD, 'completed', 'failure']]);
    expect(github.checkRuns[0]!.output.title).toBe('Frametail could not finish');
    expect(github.checkRuns[0]!.output.summary).toContain(reason);
    expect(github.comments.filter((c) => c.issue === 7)).toHaveLength(0);
  }, 180_000);

  it('a 4,000-deep span chain and a "constructor" input: no stack overflow, the verdict and annotations published', async () => {
    const rename = (text: string) => text.replaceAll('"input":"pirouette"', '"input":"constructor"');
    const head = rename(fixture('head')) + deepChain(fixture('head'));
    const { run } = await reportOn({ base: rename(fixture('base')), head });
    expect(run.stderr).not.toMatch(/Maximum call stack|internal error/);
    expect(run.code, run.stderr.slice(-2000)).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    const check = github.checkRuns[0]!;
    expect(check.conclusion).toBe('failure');
    // Every annotation GitHub accepted has its line numbers (a "constructor" id once made them undefined: 422).
    for (const annotation of check.annotations as { start_line: unknown }[]) expect(annotation.start_line).toEqual(expect.any(Number));
    expect(github.comments.filter((c) => c.issue === 7)).toHaveLength(1);
  }, 300_000);
});
