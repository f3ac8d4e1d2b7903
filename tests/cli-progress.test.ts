import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunLine } from '../src/results/format.js';
import { cliProgress } from '../src/cli/progress.js';
import { FRAMETAIL_VERSION } from '../src/runner/header.js';

const run = (round: number, status: RunLine['status']): RunLine => ({ type: 'run', id: `head-p-w-r${round}`, side: 'head', input: 'p', variant: 'w', round, status, latencyMs: status === 'completed' ? 812.44 : null, exitCode: status === 'failed' ? 3 : status === 'timeout' ? null : 0, granularity: 'coarse', phase: 'measure' });

function capture(isTTY: boolean) {
  let text = '';
  return { stream: { isTTY, columns: 200, write: (s: string) => (text += s) }, text: () => text };
}

describe('cliProgress', () => {
  it('prints one plain line per run in CI, even on a terminal', () => {
    const out = capture(true);
    const progress = cliProgress(out.stream, { CI: 'true' });
    progress.begin('rounds 1–2', 2, 0);
    progress.runDone(run(1, 'completed'), 1, 2);
    progress.runDone(run(2, 'failed'), 2, 2);
    progress.end();
    expect(out.text()).toBe('rounds 1–2: 2 runs\n[1/2] head p × w r1: 812.4 ms\n[2/2] head p × w r2: failed (exit 3)\n');
  });

  it('redraws one bar in place on a terminal, counting failures', () => {
    const out = capture(true);
    const progress = cliProgress(out.stream, {});
    progress.begin('rounds 1–2', 2, 1);
    progress.runDone(run(2, 'timeout'), 2, 2);
    progress.end();
    const frames = out.text().split('\r\x1b[2K').filter(Boolean);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/rounds 1–2 \[█{12}░{12}\] 1\/2 · 1 already recorded/);
    expect(frames[1]).toMatch(/\[█{24}\] 2\/2 · 1 failed · head p × w r2: timeout\n$/);
  });
});

it('the version in results headers is the package version', () => {
  expect(FRAMETAIL_VERSION).toBe((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version);
});
