/**
 * A small git repository for bench tests, shaped like a pull request:
 *   main:    A (pipeline v1) ── C (pipeline v3)
 *   feature:  └─ B (pipeline v2)   ← checked out
 * so `--base main` must measure A (the merge-base), not C. Each run appends "<side> <version>" to
 * `runLog`, which shows which code ran on which side and in what order.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testConfigYaml, type TestConfigOptions } from './config.js';

export interface TestRepo {
  dir: string;
  runLog: string;
  mergeBase: string;
  mainTip: string;
  head: string;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim();
}

const pipeline = (version: string) =>
  `import { appendFileSync } from 'node:fs';\nawait new Promise((r) => setTimeout(r, 3));\nappendFileSync(process.env.RUN_LOG, process.env.FRAMETAIL_SIDE + ' ${version}\\n');\n`;

/** `headFailsOn`: a variant whose runs fail (exit 1) in the head commit only. */
export function createTestRepo(dir: string, config: TestConfigOptions = {}, headFailsOn?: string): TestRepo {
  mkdirSync(dir, { recursive: true });
  const runLog = join(dir, '..', `${dir.split('/').pop()}-runs.log`);
  git(dir, 'init', '--quiet', '--initial-branch=main');
  writeFileSync(join(dir, 'frametail.yml'), testConfigYaml({ command: ['node', 'pipeline.mjs'], ...config, run: { env: { RUN_LOG: runLog }, ...config.run } }));
  writeFileSync(join(dir, 'pipeline.mjs'), pipeline('v1'));
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'A');
  const mergeBase = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '--quiet', '-b', 'feature');
  writeFileSync(join(dir, 'pipeline.mjs'), pipeline('v2') + (headFailsOn ? `if (process.env.FRAMETAIL_VARIANT === '${headFailsOn}') process.exit(1);\n` : ''));
  git(dir, 'commit', '--quiet', '-am', 'B');
  const head = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '--quiet', 'main');
  writeFileSync(join(dir, 'pipeline.mjs'), pipeline('v3'));
  git(dir, 'commit', '--quiet', '-am', 'C');
  const mainTip = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '--quiet', 'feature');
  return { dir, runLog, mergeBase, mainTip, head };
}
