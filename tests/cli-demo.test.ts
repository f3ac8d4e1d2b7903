import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_LOOKS, buildDemoRepo } from '../src/cli/demo-repo.js';
import { parseConfig } from '../src/config/parse.js';
import { PROJECT_ROOT } from './helpers/cli.js';
import { git } from './helpers/git-repo.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frametail-demo-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('builds a PR-shaped repository: the example on main, the regressed files on a branch', async () => {
  const repo = await buildDemoRepo(PROJECT_ROOT, join(dir, 'repo'), join(dir, 'videos'));
  expect(git(repo.dir, 'rev-parse', 'main')).toBe(repo.baseSha);
  expect(git(repo.dir, 'rev-parse', 'HEAD')).toBe(repo.headSha);
  expect(git(repo.dir, 'merge-base', 'main', 'HEAD')).toBe(repo.baseSha);
  const changed = git(repo.dir, 'diff', '--name-only', repo.baseSha, repo.headSha).split('\n');
  expect(changed.length).toBeGreaterThan(0);
  expect(changed.every((file) => file.startsWith('examples/video-pipeline/'))).toBe(true);
  const config = parseConfig(await readFile(repo.configFile, 'utf8'), repo.configFile);
  expect(config.gate.looks).toEqual(DEMO_LOOKS);
  expect(config.run.env.FRAMETAIL_OUTPUT_DIR).toBe(join(dir, 'videos'));
  expect(config.inputs.length * config.dimension.variants.length).toBe(6);
});
