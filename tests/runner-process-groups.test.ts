/**
 * A run's whole process group is gone when the run ends, whatever its members do with SIGTERM, and
 * Frametail's own death (even SIGKILL) takes its runs with it. Real processes throughout.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSetup } from '../src/runner/preflight.js';
import { runProcess } from '../src/runner/process.js';
import { testConfig } from './helpers/config.js';
import { isRunning } from './helpers/processes.js';

const STUBBORN = fileURLToPath(new URL('./helpers/stubborn.mjs', import.meta.url));
const RUN_ONE = fileURLToPath(new URL('./helpers/run-one.ts', import.meta.url));
const TSX = new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

let dir: string;
const leftovers: number[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frametail-groups-'));
});
afterAll(async () => {
  for (const pid of leftovers) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function pidsIn(file: string, ms = 10_000): Promise<[number, number]> {
  const until = Date.now() + ms;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text) {
      const [leader, member] = text.split(' ').map(Number) as [number, number];
      leftovers.push(leader, member);
      return [leader, member];
    }
    if (Date.now() > until) throw new Error(`no pid file ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether `pid` is gone within `ms` (the kernel may need a moment to reap). */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (isRunning(pid)) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe('a run takes its whole process group with it', () => {
  for (const [mode, status] of [['exit0', 'completed'], ['exit1', 'failed']] as const) {
    it(`${status}: a member that ignores SIGTERM with closed stdio is killed`, async () => {
      const pidFile = join(dir, `${mode}.pids`);
      const outcome = await runProcess({ command: { argv: [process.execPath, STUBBORN, pidFile, mode] }, cwd: dir, env: process.env, timeoutMs: 20_000 });
      expect(outcome.status).toBe(status);
      const [, member] = await pidsIn(pidFile);
      expect(await goneWithin(member, 2000)).toBe(true);
    });
  }

  it('timeout: the leader dies from SIGTERM, the member ignoring it is SIGKILLed too', async () => {
    const pidFile = join(dir, 'timeout.pids');
    const outcome = await runProcess({ command: { argv: [process.execPath, STUBBORN, pidFile, 'hang'] }, cwd: dir, env: process.env, timeoutMs: 1500, killGraceMs: 5000 });
    expect(outcome.status).toBe('timeout');
    const [leader, member] = await pidsIn(pidFile);
    expect(isRunning(leader)).toBe(false);
    expect(await goneWithin(member, 2000)).toBe(true);
  });

  it('setup commands: a stubborn member of run.setup does not outlive the setup', async () => {
    const pidFile = join(dir, 'setup.pids');
    const config = testConfig({ run: { setup: [process.execPath, STUBBORN, pidFile, 'exit0'] } });
    await runSetup(config, 'head', dir);
    const [, member] = await pidsIn(pidFile);
    expect(await goneWithin(member, 2000)).toBe(true);
  });

  it('a setup that times out takes its stubborn member with it', async () => {
    const pidFile = join(dir, 'setup-timeout.pids');
    const config = testConfig({ run: { setup: [process.execPath, STUBBORN, pidFile, 'hang'], 'setup-timeout': 1500 } });
    await expect(runSetup(config, 'head', dir)).rejects.toThrow(/timed out/);
    const [, member] = await pidsIn(pidFile);
    expect(await goneWithin(member, 3000)).toBe(true);
  });

  it('a timeout beyond 24.8 days (Node clamps timers) does not fire at once', async () => {
    const outcome = await runProcess({ command: { argv: [process.execPath, '-e', 'setTimeout(() => {}, 300)'] }, cwd: dir, env: process.env, timeoutMs: 600 * 3600_000 });
    expect(outcome.status).toBe('completed');
    expect(outcome.wallMs).toBeGreaterThanOrEqual(250);
  });
});

describe("Frametail's own death takes its runs with it", () => {
  it('kill -9 of the frametail process: the watchdog kills the run group', async () => {
    const pidFile = join(dir, 'killed.pids');
    const frametail = spawn(process.execPath, ['--import', TSX, RUN_ONE, pidFile], { cwd: dir, stdio: 'ignore' });
    leftovers.push(frametail.pid!);
    const [leader, member] = await pidsIn(pidFile, 20_000);
    expect(isRunning(leader)).toBe(true);
    frametail.kill('SIGKILL');
    expect(await goneWithin(leader, 3000)).toBe(true);
    expect(await goneWithin(member, 3000)).toBe(true);
  });
});
