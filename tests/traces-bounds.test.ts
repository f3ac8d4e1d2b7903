/**
 * Trace inputs are bounded (issue 13): regular files only, a size cap, no recursion or argument spreads
 * whose size an input controls, deep and wide traces in linear cost.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultTraceBackend } from '../src/runner/trace-backend.js';
import { startTraceCollector } from '../src/runner/traces.js';
import { analyzeRun, MAX_PATH_DEPTH } from '../src/traces/analyze.js';
import { renderTraces } from '../src/traces/command.js';
import { MAX_TRACE_FILE_BYTES, parseTraceFile } from '../src/traces/files.js';
import { readTraceFile } from '../src/traces/read-file.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'frametail-trace-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const torch = (name: string) => new URL(`../fixtures/traces/torch/${name}`, import.meta.url);

describe('reading trace files', () => {
  it('refuses a FIFO, a device and a symbolic link at once instead of hanging or reading forever', async () => {
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    await expect(readTraceFile(fifo, { followSymlinks: false })).rejects.toThrow('not a regular file (a FIFO); not read');
    await expect(readTraceFile('/dev/zero', { followSymlinks: true })).rejects.toThrow('not a regular file (a character device); not read');
    const link = join(dir, 'zero.json');
    symlinkSync('/dev/zero', link);
    await expect(readTraceFile(link, { followSymlinks: false })).rejects.toThrow('a symbolic link; not followed');
  });

  it('refuses a file over the size cap without reading it', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, MAX_TRACE_FILE_BYTES + 1); // sparse: no disk used
    await expect(readTraceFile(big, { followSymlinks: false })).rejects.toThrow(/more than the 256 MiB limit; not read/);
  });

  it('a run\'s trace directory: schedule files merged, every unreadable entry named, nothing hangs', async () => {
    const traceDir = join(dir, 'run-1');
    execFileSync('mkdir', [traceDir]);
    copyFileSync(torch('schedule/step-1.json'), join(traceDir, 'step-1.json'));
    copyFileSync(torch('schedule/step-2.json'), join(traceDir, 'step-2.json'));
    execFileSync('mkfifo', [join(traceDir, 'pipe')]);
    symlinkSync('/dev/zero', join(traceDir, 'zero.json'));
    writeFileSync(join(traceDir, 'broken.json'), '{"traceEvents": [');
    const collector = await startTraceCollector(await defaultTraceBackend(), 1 << 20);
    collector.begin('run-1', { traceId: 'a'.repeat(32), parentSpanId: 'b'.repeat(16) }, 'fine');
    const result = await collector.end('run-1', traceDir);
    await collector.close();
    expect(result.traceErrors).toEqual([
      'pipe: not a regular file (a FIFO); not read',
      'zero.json: a symbolic link; not followed',
      'broken.json:1: invalid JSON: Expected \',\' or \']\' after array element in JSON at position 17 (line 1 column 18)',
    ].map((e) => expect.stringContaining(e.split(':')[0]!)));
    expect(result.traceErrors[2]).toMatch(/^broken\.json:1: invalid JSON/);
    expect(result.traceNote).toMatch(/^2 trace files merged into one trace/);
    expect(analyzeRun(result.spans).metrics.find((m) => m.path === 'trace/ProfilerStep#0/step')?.count).toBe(2);
  });

  it('frametail traces /dev/zero is refused with exit 2 and a clear message', async () => {
    const result = await runCli(['traces', '/dev/zero'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\/dev\/zero: not a regular file \(a character device\); not read/);
  });
});

/** A Chrome trace: one root with `n` children, each of its own name when `distinct`. */
function wideTrace(n: number, distinct: boolean): string {
  const events = [{ name: 'root', ph: 'X', ts: 0, dur: n * 2 + 10, pid: 1, tid: 1 }];
  for (let i = 0; i < n; i++) events.push({ name: distinct ? `op-${i}` : 'op', ph: 'X', ts: 1 + i * 2, dur: 1, pid: 1, tid: 1 });
  return JSON.stringify(events);
}

/** A chain `depth` deep: each span inside the one before it. */
export function chainTrace(depth: number): string {
  const events = [];
  for (let i = 0; i < depth; i++) events.push({ name: `level-${i % 7}`, ph: 'X', ts: i, dur: 2 * (depth - i), pid: 1, tid: 1 });
  return JSON.stringify(events);
}

describe('big and deep traces', () => {
  it('200,000 spans with distinct names: parsed, analyzed and printed as a table (no stack overflow)', () => {
    const { spans } = parseTraceFile(wideTrace(200_000, true), 'wide.json');
    expect(spans).toHaveLength(200_001);
    const text = renderTraces([{ file: 'wide.json', spans, warnings: [] }], { json: false });
    expect(text).toContain('root/op-199999');
    expect(analyzeRun(spans, { tree: false }).rootDurationMs).toBeCloseTo(400.01, 6);
  });

  it('an OTLP JSON file of 200,000 spans in one request is read whole', () => {
    const spans = Array.from({ length: 200_000 }, (_, i) => ({
      traceId: '5b8efff798038103d269b633813fc60c', spanId: (i + 1).toString(16).padStart(16, '0'),
      ...(i > 0 ? { parentSpanId: '0000000000000001' } : {}), name: 's', startTimeUnixNano: '1000', endTimeUnixNano: '2000',
    }));
    const parsed = parseTraceFile(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }), 'big.json');
    expect(parsed.spans).toHaveLength(200_000);
  });

  it('a 100,000-deep chain: paths folded below the depth limit, output small, one warning', () => {
    const { spans } = parseTraceFile(chainTrace(100_000), 'deep.json');
    const analysis = analyzeRun(spans);
    expect(analysis.metrics.length).toBeLessThanOrEqual(MAX_PATH_DEPTH + 2);
    const folded = analysis.metrics[analysis.metrics.length - 1]!;
    expect(folded.path.endsWith('/…')).toBe(true);
    expect(folded.count).toBe(100_000 - MAX_PATH_DEPTH - 1);
    // Self times still add up to the root's duration.
    expect(analysis.metrics.reduce((t, m) => t + m.selfMs, 0)).toBeCloseTo(analysis.rootDurationMs!, 6);
    expect(analysis.warnings.map((w) => w.kind)).toEqual(['deep']);
    expect(renderTraces([{ file: 'deep.json', spans, warnings: [] }], { json: true }).length).toBeLessThan(1_000_000);
  });

  it('a time of 26 digits is a clear warning, not a silently dropped span', () => {
    const chrome = parseTraceFile('[{"name":"a","ph":"X","ts":17900000000000000000000000,"dur":1,"pid":1,"tid":1}]', 'ns.json');
    expect(chrome.spans).toEqual([]);
    expect(chrome.warnings).toEqual([{ kind: 'time', message: 'ns.json: traceEvents[0] ts 1.79e+25 is not a time in µs (past the year 5000); skipped' }]);
    const otlp = parseTraceFile(
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000001","name":"a","startTimeUnixNano":17900000000000000000000000,"endTimeUnixNano":"1"}]}]}]}',
      'ns.json',
    );
    expect(otlp.spans).toEqual([]);
    expect(otlp.warnings.map((w) => w.message)).toEqual(['ns.json: span "a" skipped: invalid startTimeUnixNano']);
  });
});
