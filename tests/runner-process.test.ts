import { fileURLToPath } from 'node:url';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunLine } from '../src/results/format.js';
import { parseResults } from '../src/results/read.js';
import { runProcess } from '../src/runner/process.js';
import { runSide } from '../src/runner/run-side.js';
import { FAKE_PIPELINE, testConfig } from './helpers/config.js';
import { isRunning } from './helpers/processes.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frametail-runner-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});


async function waitFor<T>(read: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('runProcess', () => {
  it('kills the whole process group on timeout: no grandchild survives', async () => {
    const pidFile = join(dir, 'pids');
    const outcome = await runProcess({ command: { argv: [process.execPath, FAKE_PIPELINE, '--grandchild', pidFile] }, cwd: dir, env: process.env, timeoutMs: 700, killGraceMs: 300 });
    const [child, grandchild] = (await readFile(pidFile, 'utf8')).split(' ').map(Number);
    expect(outcome.status).toBe('timeout');
    expect(outcome.stderrTail).toMatch(/timed out after 700 ms/);
    // The group was signalled; give the kernel a moment to reap.
    await waitFor(async () => (!isRunning(child!) && !isRunning(grandchild!) ? true : undefined));
    expect(isRunning(grandchild!)).toBe(false);
  });

  it('records a non-zero exit with its code and the end of stderr', async () => {
    const outcome = await runProcess({ command: { argv: [process.execPath, FAKE_PIPELINE, '--fail-variant', 'wide'] }, cwd: dir, env: { ...process.env, FRAMETAIL_VARIANT: 'wide' }, timeoutMs: 10_000 });
    expect(outcome.status).toBe('failed');
    expect(outcome.exitCode).toBe(3);
    expect(outcome.stderrTail).toMatch(/render failed for wide$/);
    expect(Buffer.byteLength(outcome.stderrTail)).toBeLessThanOrEqual(2048);
  });

  it('reports a program that cannot be started as a failed run instead of throwing', async () => {
    const outcome = await runProcess({ command: { argv: ['frametail-no-such-program'] }, cwd: dir, env: process.env, timeoutMs: 1000 });
    expect(outcome).toMatchObject({ status: 'failed', exitCode: null });
    expect(outcome.stderrTail).toMatch(/cannot start frametail-no-such-program/);
  });
});

describe('runSide', () => {
  it('gives every run the environment of DESIGN §3 and records its trace file spans', async () => {
    const dumps = join(dir, 'dumps');
    const config = testConfig({ command: ['node', FAKE_PIPELINE, '--trace-file', '--env-dump', `${dumps}-{variant.id}.json`, '--prompt', '{input.prompt}'], run: { env: { OTEL_RESOURCE_ATTRIBUTES: 'team=video' } } });
    const { defaultTraceBackend } = await import('../src/runner/trace-backend.js');
    const result = await runSide({ config, checkoutDir: dir, side: 'head', outDir: join(dir, 'env'), rounds: 1, traceBackend: await defaultTraceBackend() });
    const dump = JSON.parse(await readFile(`${dumps}-wide.json`, 'utf8')) as { env: Record<string, string>; argv: string[] };
    expect(dump.argv).toContain('A dancer: pirouette');
    expect(dump.env).toMatchObject({
      FRAMETAIL_EXPERIMENT: config.experiment.id,
      FRAMETAIL_INPUT: 'pirouette',
      FRAMETAIL_VARIANT: 'wide',
      FRAMETAIL_SIDE: 'head',
      FRAMETAIL_ROUND: '1',
      FRAMETAIL_GRANULARITY: 'coarse',
      FRAMETAIL_CONFIG: JSON.stringify({ model: 'fake-1', 'aspect-ratio': '16:9' }),
      FRAMETAIL_RUN_ID: 'head-pirouette-wide-r1',
      OTEL_RESOURCE_ATTRIBUTES: 'team=video,frametail.run.id=head-pirouette-wide-r1',
    });
    expect(dump.env.TRACEPARENT).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(dump.env.FRAMETAIL_TRACE_DIR).toBeTruthy();
    const results = parseResults(await readFile(result.file, 'utf8'), result.file);
    expect(results.warnings).toEqual([]);
    expect(results.footer).toMatchObject({ complete: true, runs: 2 });
    // The reader keeps a slim run (no trace id or wall time): check what the runner wrote.
    const written = (await readFile(result.file, 'utf8')).split('\n').filter((l) => l.includes('"type":"run"')).map((l) => JSON.parse(l) as RunLine);
    const run = written.find((r) => r.variant === 'wide')!;
    expect(run.traceId).toBe(dump.env.TRACEPARENT!.split('-')[1]);
    // latency: root span (~5 ms of work), not the wall time that includes Node's start-up
    expect(run.latencyMs!).toBeLessThan(run.wallMs!);
    expect(run).toMatchObject({ latencySource: 'root', latencyReason: 'root span "generate"' });
    expect(run.traceErrors).toBeUndefined();
    expect(results.spans.filter((s) => s.run === run.id).map((s) => s.name).sort()).toEqual(['generate', 'render']);
  });

  it('records where each run\'s latency came from: schedule files merged, or wall time because the trace could not be read', async () => {
    // Variant "wide" writes torch.profiler's two schedule files; "closeup" a gzip file cut short.
    const schedule = fileURLToPath(new URL('../fixtures/traces/torch/schedule/', import.meta.url));
    const script = `const fs = require('fs'), p = require('path'), d = process.env.FRAMETAIL_TRACE_DIR;
      if (process.argv[1] === 'wide') for (const f of ['step-1.json', 'step-2.json']) fs.copyFileSync(p.join(${JSON.stringify(schedule)}, f), p.join(d, f));
      else fs.writeFileSync(p.join(d, 'trace.json.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]));`;
    const config = testConfig({ command: ['node', '-e', script, '{variant.id}'], gate: { looks: [2] } });
    const { defaultTraceBackend } = await import('../src/runner/trace-backend.js');
    const result = await runSide({ config, checkoutDir: dir, side: 'head', outDir: join(dir, 'sources'), rounds: 1, traceBackend: await defaultTraceBackend() });
    const text = await readFile(result.file, 'utf8');
    const results = parseResults(text, result.file);
    const wide = results.runs.find((r) => r.variant === 'wide')!;
    const closeup = results.runs.find((r) => r.variant === 'closeup')!;
    // The reader keeps no wall time (run-line.ts): take the written one.
    const written = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; variant?: string; wallMs?: number });
    const closeupWallMs = written.find((l) => l.type === 'run' && l.variant === 'closeup')!.wallMs;
    expect(wide).toMatchObject({ status: 'completed', latencySource: 'root' });
    expect(wide.latencyReason).toMatch(/^root span "trace"; 2 trace files merged into one trace \(1 of them count time from their own start/);
    expect(wide.latencyMs!).toBeLessThan(5);
    expect(closeup).toMatchObject({ status: 'completed', latencySource: 'wall', latencyMs: closeupWallMs });
    expect(closeup.latencyReason).toMatch(/^no spans arrived; trace file trace\.json\.gz: gzip data is broken/);
    expect(closeup.traceErrors).toEqual([expect.stringMatching(/^trace\.json\.gz: gzip data is broken/)]);
  });

  it('records a failing cell and carries on with the rest of the matrix', async () => {
    const config = testConfig({ command: ['node', FAKE_PIPELINE, '--fail-variant', 'closeup'], gate: { looks: [2] } });
    const result = await runSide({ config, checkoutDir: dir, side: 'base', outDir: join(dir, 'fail') });
    const results = parseResults(await readFile(result.file, 'utf8'), result.file);
    expect(results.runs.map((r) => `${r.variant}:${r.status}`)).toEqual(['closeup:failed', 'wide:completed', 'closeup:failed', 'wide:completed']);
    const failed = results.runs[0]!;
    expect(failed).toMatchObject({ exitCode: 3, latencyMs: null });
    expect(failed.error).toMatch(/render failed for closeup/);
    expect(results.footer?.complete).toBe(true);
  });
});
