/**
 * A hostile pipeline cannot flood the job log: every run writes 64 junk trace files (4,096 unreadable
 * files over the 64 runs of base and head), and the action prints at most 100 of the warnings they cause
 * plus one line counting the rest, then still publishes its verdict. End to end through the bundled
 * action and the fake GitHub.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildActionBundle, runAction } from './fake-github/action-harness.js';
import { gitWorkspace, pullRequestPayload } from './fake-github/scenario.js';
import type { FakeGitHub } from './fake-github/server.js';
import { useFakeGitHub } from './fake-github/use-fake-github.js';

let bundle: string;
let github: FakeGitHub;

beforeAll(() => {
  bundle = buildActionBundle();
}, 180_000);

useFakeGitHub((g) => (github = g));

/** The e2e pipeline, plus 64 files of junk in the run's trace directory. */
const HOSTILE_PIPELINE = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const DELAYS = { 'pirouette/closeup': 30, 'pirouette/wide': 30, 'arm-extension/closeup': 30, 'arm-extension/wide': 30 };
const [input, variant] = process.argv.slice(2);
for (let i = 0; i < 64; i++) writeFileSync(join(process.env.FRAMETAIL_TRACE_DIR, 'junk-' + i + '.json'), 'this is not a trace ' + i);
await new Promise((resolve) => setTimeout(resolve, DELAYS[input + '/' + variant] ?? 30));
`;

describe('per-run warnings in the action', () => {
  it('thousands of trace warnings: at most 100 printed, one line counting the rest, the verdict still published', async () => {
    const repo = gitWorkspace(30, { 'src/pipeline.mjs': HOSTILE_PIPELINE });
    const payload = pullRequestPayload({ number: 21, headSha: repo.headSha, baseSha: repo.baseSha, fork: false });
    const run = await runAction({ bundle, apiUrl: github.url, workspace: repo.dir, eventName: 'pull_request', payload, sha: 'e'.repeat(40), inputs: { 'github-token': 'ghs_workflow' } });

    const traceWarnings = run.warnings.filter((w) => /junk-\d+\.json/.test(w));
    expect(traceWarnings.length).toBeGreaterThan(50);
    expect(traceWarnings.length).toBeLessThanOrEqual(100);
    const summary = run.warnings.filter((w) => /more warnings? not shown/.test(w));
    expect(summary).toHaveLength(1);
    const omitted = Number(/… and (\d+) more warnings not shown/.exec(summary[0]!)![1]);
    // 64 runs × 64 junk files, less the ones printed.
    expect(omitted + traceWarnings.length).toBeGreaterThanOrEqual(64 * 64);
    expect(run.warnings.length).toBeLessThan(120);
    expect(run.stdout.split('\n').length).toBeLessThan(2_000);
    // Nothing measured is lost: the check run and the comment are published.
    expect(['pass', 'inconclusive', 'fail']).toContain(run.outputs.verdict);
    expect(github.checkRuns.map((c) => c.status)).toEqual(['completed']);
    expect(github.comments.filter((c) => c.issue === 21)).toHaveLength(1);
  }, 300_000);
});
