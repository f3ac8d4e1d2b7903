/** `frametail run`: measure this checkout as one side → DIR/results.jsonl. */
import { resolve } from 'node:path';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { repositoryRoot, resolveHead } from '../../runner/git.js';
import { runSide } from '../../runner/run-side.js';
import { defaultTraceBackend } from '../../runner/trace-backend.js';
import { parseShard, parseVerbArgs, positiveInt } from '../args.js';
import type { CliIo } from '../io.js';
import { cliProgress } from '../progress.js';
import { stderrWarnings } from '../warn.js';

const USAGE = 'frametail run [--config F] [--side base|head] [--out DIR] [--resume] [--rounds N] [--shard I/N]';

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseVerbArgs('run', args, {
    config: { type: 'string', default: DEFAULT_CONFIG_PATH },
    side: { type: 'string', default: 'head' },
    out: { type: 'string' },
    resume: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    shard: { type: 'string' },
  }, USAGE);
  const side = values.side;
  if (side !== 'base' && side !== 'head') throw new InputError(`--side: expected base or head, got "${side}"`);
  const rounds = positiveInt('rounds', values.rounds);
  const shard = parseShard(values.shard);
  const config = await loadConfig(values.config);
  const outDir = resolve(io.cwd, values.out ?? `frametail-results/${side}`);
  // The checkout is the repository's top folder (run.cwd is relative to it, as in bench); a plain
  // directory can be measured too, and its header then has no commit.
  const root = await repositoryRoot(io.cwd).catch(() => undefined);
  const where = root === undefined ? undefined : await resolveHead(root).catch(() => undefined);
  const warnings = stderrWarnings(io);
  const result = await runSide({
    config,
    checkoutDir: root ?? io.cwd,
    side,
    outDir,
    resume: values.resume,
    ref: where?.ref ?? null,
    sha: where?.sha ?? null,
    progress: cliProgress(io.stderr, io.env),
    traceBackend: await defaultTraceBackend(),
    baseEnv: io.env,
    warn: warnings.warn,
    ...(rounds !== undefined ? { rounds } : {}),
    ...(shard ? { shard } : {}),
  }).finally(() => warnings.flush());
  io.stderr.write(`${result.runs} runs recorded in ${result.file}\n`);
  return 0;
}
