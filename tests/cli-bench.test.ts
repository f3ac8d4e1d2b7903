import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResults } from '../src/results/read.js';
import { runCli, spawnCli } from './helpers/cli.js';
import { FAKE_PIPELINE } from './helpers/config.js';
import { createTestRepo, git } from './helpers/git-repo.js';
import { isRunning } from './helpers/processes.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frametail-bench-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const worktrees = (repo: string) => git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length;

describe('bench', () => {
  it('measures the merge-base of a base branch against this checkout, interleaved ABBA, and removes its worktree', async () => {
    const repo = createTestRepo(join(dir, 'pr'));
    const result = await runCli(['bench', '--config', 'frametail.yml', '--base', 'main', '--out', 'out'], { cwd: repo.dir });
    expect(result.stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(result.code);
    expect(result.stderr).toMatch(/base: main → [0-9a-f]{12} \(merge-base with HEAD\)/);
    const base = parseResults(readFileSync(join(repo.dir, 'out/base/results.jsonl'), 'utf8'), 'base');
    const head = parseResults(readFileSync(join(repo.dir, 'out/head/results.jsonl'), 'utf8'), 'head');
    expect(base.header).toMatchObject({ side: 'base', ref: 'main', sha: repo.mergeBase });
    expect(head.header).toMatchObject({ side: 'head', ref: 'feature', sha: repo.head });
    expect(base.footer?.complete && head.footer?.complete).toBe(true);
    // 1 input × 2 variants × 2 rounds per side; base ran A's code (v1), never main's tip (v3).
    const log = readFileSync(repo.runLog, 'utf8').trim().split('\n');
    expect(log).toEqual(['base v1', 'head v2', 'base v1', 'head v2', 'head v2', 'base v1', 'head v2', 'base v1']);
    expect(worktrees(repo.dir)).toBe(1);
    // The base worktree lived in .frametail/worktrees (so bare imports resolve); nothing of it is left.
    expect(existsSync(join(repo.dir, '.frametail'))).toBe(false);
    expect(existsSync(join(repo.dir, 'out/report.json'))).toBe(true);
    expect(result.stdout).toMatch(/Runner test/);
  });

  it('re-runs failing cells at fine granularity on both sides when granularity is adaptive', async () => {
    const repo = createTestRepo(join(dir, 'adaptive'), { tracing: { granularity: 'adaptive' } }, 'wide');
    const result = await runCli(['bench', '--config', 'frametail.yml', '--base', 'main', '--out', 'out'], { cwd: repo.dir });
    expect(result.stderr).toMatch(/attribution: 1 cell\(s\) re-run at fine granularity, 3 rounds per side/);
    for (const side of ['base', 'head']) {
      const runs = parseResults(readFileSync(join(repo.dir, `out/${side}/results.jsonl`), 'utf8'), side).runs;
      const fine = runs.filter((r) => r.phase === 'attribution');
      expect(fine.map((r) => `${r.variant}:${r.granularity}:${r.round}`)).toEqual(['wide:fine:1', 'wide:fine:2', 'wide:fine:3']);
      expect(runs.filter((r) => r.phase === 'measure').every((r) => r.granularity === 'coarse')).toBe(true);
    }
  });

  it('removes the worktree also when setup fails, and says which side failed', async () => {
    const repo = createTestRepo(join(dir, 'setup'), { run: { setup: ['node', '-e', 'process.exit(process.env.FRAMETAIL_SIDE === "base" ? 4 : 0)'] } });
    const result = await runCli(['bench', '--config', 'frametail.yml', '--base', 'main', '--out', 'out'], { cwd: repo.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/run\.setup: setup failed on the base side .*exited with 4/);
    expect(worktrees(repo.dir)).toBe(1);
    expect(existsSync(join(repo.dir, 'out/base/results.jsonl'))).toBe(false);
  });

  it('an interrupted bench stops its run in flight and removes the worktree', async () => {
    const pidFile = join(dir, 'interrupted.pids');
    const repo = createTestRepo(join(dir, 'interrupted'), { command: ['node', FAKE_PIPELINE, '--grandchild', pidFile] });
    const child = spawnCli(['bench', '--config', 'frametail.yml', '--base', 'main', '--out', 'out'], { cwd: repo.dir });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let output = '';
    await new Promise<void>((resolve) => child.stderr!.on('data', (chunk: Buffer) => ((output += chunk.toString()), /rounds 1–2: 8 runs/.test(output) && resolve())));
    while (!existsSync(pidFile)) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pids = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    expect(worktrees(repo.dir)).toBe(2);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(worktrees(repo.dir)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pids.filter(isRunning)).toEqual([]);
    expect(readFileSync(join(repo.dir, 'out/base/results.jsonl'), 'utf8')).not.toMatch(/"type":"footer"/);
  });

  it('an unknown ref exits 2 before anything runs', async () => {
    const repo = createTestRepo(join(dir, 'unknown'));
    const result = await runCli(['bench', '--config', 'frametail.yml', '--base', 'no-such-branch', '--out', 'out'], { cwd: repo.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^frametail: unknown ref "no-such-branch"/);
    expect(existsSync(repo.runLog)).toBe(false);
    expect(existsSync(join(repo.dir, 'out'))).toBe(false);
  });

  it('a shallow clone without the base commit says what to fetch', async () => {
    const repo = createTestRepo(join(dir, 'origin'));
    const clone = join(dir, 'shallow');
    execFileSync('git', ['clone', '--quiet', '--depth', '1', '--branch', 'feature', `file://${repo.dir}`, clone]);
    await writeFile(join(clone, 'frametail.yml'), readFileSync(join(repo.dir, 'frametail.yml')));
    const result = await runCli(['bench', '--config', 'frametail.yml', '--base', repo.mergeBase, '--out', 'out'], { cwd: clone });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`base commit ${repo.mergeBase} is not in this clone.*git fetch --deepen.*fetch-depth: 0`));
  });
});
