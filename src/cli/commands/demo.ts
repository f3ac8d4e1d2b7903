/**
 * `frametail demo` (`npm run demo`): the bundled example end to end. It builds a two-commit repository
 * (base: the example pipeline, head: its regressed variant), benches it with a few rounds, and prints
 * the experiment page. It exits 0 even though the demo shows a regression: the point is to see the
 * gate fail, not to fail the command that shows it.
 */
import { fileURLToPath } from 'node:url';
import { rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { parseVerbArgs } from '../args.js';
import { buildDemoRepo, DEMO_ATTRIBUTION_ROUNDS, DEMO_BASE_BRANCH } from '../demo-repo.js';
import type { CliIo } from '../io.js';
import { emitReport } from '../report-output.js';
import { benchWithGate } from './bench.js';
import { compareSides } from '../../compare/sides.js';
import { roundsNeeded, roundsNeededText } from '../../compare/rounds-needed.js';
import { readResults } from '../../results/read.js';

/** The project root: two folders up from this module, both in src/cli/commands/… and in dist/cli/index.js. */
function projectRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith(join('src', 'cli', 'commands')) ? resolve(here, '../../..') : resolve(here, '../..');
}

export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  parseVerbArgs('demo', args, {}, 'frametail demo');
  const root = projectRoot();
  const demoDir = join(root, 'frametail-demo');
  const shown = (path: string) => relative(io.cwd, path) || '.';
  io.stderr.write(`building the demo repository in ${shown(join(demoDir, 'repo'))} (base: example pipeline, head: regressed cache stage)\n`);
  const repo = await buildDemoRepo(root, join(demoDir, 'repo'), join(demoDir, 'videos'));
  // The demo always starts over: results of an earlier demo would otherwise be refused (no --resume).
  for (const side of ['base', 'head']) await rm(join(demoDir, side), { recursive: true, force: true });
  const config = await loadConfig(shown(repo.configFile));
  const result = await benchWithGate(config, { repoDir: repo.dir, baseRef: DEMO_BASE_BRANCH, outDir: demoDir, worktreeDir: join(demoDir, 'worktrees'), attributionRounds: DEMO_ATTRIBUTION_ROUNDS }, io);
  if (!result.report) return 0;
  io.stderr.write('\n');
  await emitReport(result.report, 'text', undefined, io, '');
  await emitReport(result.report, 'json', demoDir, io, '');
  await emitReport(result.report, 'html', demoDir, io, '');
  // The point of own time: how many rounds each test needed to see the slower cache lookup.
  const [base, head] = await Promise.all([readResults(result.baseFile), readResults(result.headFile)]);
  io.stderr.write(`\n${roundsNeededText(roundsNeeded(base, head, (b, h) => compareSides(b, h, { config })))}\n`);
  io.stderr.write(`\nresults in ${shown(demoDir)}/: base/results.jsonl, head/results.jsonl, report.json, report.html\n`);
  return 0;
}
