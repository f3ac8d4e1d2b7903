/** Results are never overwritten or mixed: through the real CLI, in a real git repository. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { createTestRepo, git } from './helpers/git-repo.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frametail-integrity-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('results integrity', () => {
  it('run without --resume onto an existing results file is refused before anything runs; the file is untouched', async () => {
    const repo = createTestRepo(join(dir, 'run'));
    const first = await runCli(['run', '--config', 'frametail.yml', '--out', 'out'], { cwd: repo.dir });
    expect(first.code).toBe(0);
    const file = join(repo.dir, 'out', 'results.jsonl');
    const before = readFileSync(file, 'utf8');
    const runsBefore = readFileSync(repo.runLog, 'utf8');
    const second = await runCli(['run', '--config', 'frametail.yml', '--out', 'out'], { cwd: repo.dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^frametail: .*out\/results\.jsonl: a results file is already there; pass --resume to continue it/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readFileSync(repo.runLog, 'utf8')).toBe(runsBefore);
  });

  it('bench --resume after a new head commit is refused instead of appending the new commit under the old header', async () => {
    const repo = createTestRepo(join(dir, 'bench'));
    const first = await runCli(['bench', '--config', 'frametail.yml', '--base', 'main', '--out', 'out'], { cwd: repo.dir });
    expect([0, 1]).toContain(first.code);
    await writeFile(join(repo.dir, 'NOTES.md'), 'a new commit\n');
    git(repo.dir, 'add', '.');
    git(repo.dir, 'commit', '--quiet', '-m', 'D');
    const before = readFileSync(join(repo.dir, 'out/head/results.jsonl'), 'utf8');
    const resumed = await runCli(['bench', '--config', 'frametail.yml', '--base', 'main', '--out', 'out', '--resume'], { cwd: repo.dir });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(/head\/results\.jsonl:1: sha: cannot resume: the file was measured at commit [0-9a-f]{12}, the head side is now at [0-9a-f]{12}/);
    expect(resumed.stderr).not.toMatch(/internal error/);
    expect(readFileSync(join(repo.dir, 'out/head/results.jsonl'), 'utf8')).toBe(before);
  });
});
