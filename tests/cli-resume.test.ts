import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseResults } from '../src/results/read.js';
import { runCli, spawnCli } from './helpers/cli.js';
import { testConfigYaml } from './helpers/config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frametail-resume-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const runLines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"type":"run"')).length : 0);

it('continues a killed run without losing or duplicating any run', async () => {
  // 2 inputs × 2 variants, 1 warm-up + 3 rounds: 16 planned runs on the head side.
  await writeFile(join(dir, 'frametail.yml'), testConfigYaml({ inputs: ['pirouette', 'arm'], command: ['node', join(import.meta.dirname, 'helpers/fake-pipeline.mjs'), '--sleep', '30'], run: { warmup: 1 }, gate: { looks: [3] } }));
  const file = join(dir, 'out', 'results.jsonl');
  const child = spawnCli(['run', '--config', 'frametail.yml', '--out', 'out'], { cwd: dir });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (runLines(file) >= 5) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve();
      }
    }, 5);
    child.on('exit', () => {
      clearInterval(timer);
      reject(new Error('the run finished before it could be killed'));
    });
  });
  await exited;
  const killed = parseResults(readFileSync(file, 'utf8'), file);
  expect(killed.footer).toBeUndefined();
  expect(killed.runs.length).toBeGreaterThanOrEqual(5);
  expect(killed.runs.length).toBeLessThan(16);

  const resumed = await runCli(['run', '--config', 'frametail.yml', '--out', 'out', '--resume'], { cwd: dir });
  expect(resumed.code).toBe(0);
  expect(resumed.stderr).toMatch(/already recorded/);
  const final = parseResults(readFileSync(file, 'utf8'), file);
  expect(final.warnings).toEqual([]);
  const ids = final.runs.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toHaveLength(16);
  for (const input of ['pirouette', 'arm'])
    for (const variant of ['closeup', 'wide']) {
      expect(ids).toContain(`head-${input}-${variant}-w1`);
      for (const round of [1, 2, 3]) expect(ids).toContain(`head-${input}-${variant}-r${round}`);
    }
  expect(final.footer).toMatchObject({ complete: true, runs: 16 });
  expect(ids.slice(0, killed.runs.length)).toEqual(killed.runs.map((r) => r.id));
});
