/**
 * The demo's git repository: the bundled example pipeline as the base commit, its regressed variant
 * (examples/video-pipeline-regressed, same relative paths) as the head commit. It lives under the
 * project so the example's bare imports resolve through the project's node_modules.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { InputError } from '../errors.js';

const exec = promisify(execFile);

/** The base commit is on `main`; the head commit on this branch, checked out, as in a pull request. */
export const DEMO_BASE_BRANCH = 'main';
export const DEMO_HEAD_BRANCH = 'slower-cache';

export interface DemoRepo {
  dir: string;
  configFile: string;
  baseSha: string;
  headSha: string;
}

/**
 * Settings that keep the demo near a minute: one look of 7 rounds (7 + 7 runs reach a Mann–Whitney p of
 * 1/3432, far below the default α shared by six cells; 5 + 5 runs stop at 1/252), no warm-up, 2 attribution
 * rounds.
 */
export const DEMO_LOOKS = [7];
export const DEMO_ATTRIBUTION_ROUNDS = 2;

/**
 * Builds the repository in `dir` (replacing any earlier one) from the project at `projectRoot`. The
 * config is the project's .github/frametail.yml with the demo's looks, and videos written below
 * `videosDir` instead of the system's temporary directory.
 */
export async function buildDemoRepo(projectRoot: string, dir: string, videosDir: string): Promise<DemoRepo> {
  for (const needed of ['.github/frametail.yml', 'examples/video-pipeline/pipeline.mjs', 'examples/video-pipeline-regressed']) {
    if (!existsSync(join(projectRoot, needed))) throw new InputError(`the demo needs ${needed} from a checkout of frametail, and ${projectRoot} has none`);
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, '.github'), { recursive: true });
  const git = async (...args: string[]) => (await exec('git', ['-C', dir, '-c', 'user.name=Frametail demo', '-c', 'user.email=demo@frametail.invalid', '-c', 'commit.gpgsign=false', ...args])).stdout.trim();
  const config = parseDocument(await readFile(join(projectRoot, '.github', 'frametail.yml'), 'utf8'));
  config.setIn(['gate', 'looks'], DEMO_LOOKS);
  config.setIn(['run', 'env'], { FRAMETAIL_OUTPUT_DIR: videosDir });
  config.setIn(['run', 'warmup'], 0);
  const configFile = join(dir, '.github', 'frametail.yml');
  await writeFile(configFile, config.toString().replace(/^# yaml-language-server:.*\n/, ''));
  await cp(join(projectRoot, 'examples', 'video-pipeline'), join(dir, 'examples', 'video-pipeline'), { recursive: true });
  await git('init', '--quiet', `--initial-branch=${DEMO_BASE_BRANCH}`);
  await git('add', '.');
  await git('commit', '--quiet', '-m', 'Example pipeline (base)');
  const baseSha = await git('rev-parse', 'HEAD');
  await git('checkout', '--quiet', '-b', DEMO_HEAD_BRANCH);
  await cp(join(projectRoot, 'examples', 'video-pipeline-regressed'), join(dir, 'examples', 'video-pipeline'), { recursive: true });
  await git('commit', '--quiet', '-am', 'Regressed pipeline (head)');
  const headSha = await git('rev-parse', 'HEAD');
  return { dir, configFile, baseSha, headSha };
}
