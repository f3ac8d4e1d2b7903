/** `frametail bench`: both sides on this machine, interleaved, adaptive looks, then the gate. */
import { resolve } from 'node:path';
import { cellsNeedingMoreRounds } from '../../compare/adaptive.js';
import { exitCodeFor } from '../../compare/gate.js';
import { compareSides } from '../../compare/sides.js';
import type { Config } from '../../config/parse.js';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { compareFilesWith, runBench, type BenchResult } from '../../runner/bench.js';
import { defaultTraceBackend } from '../../runner/trace-backend.js';
import { parseShard, parseVerbArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { cliProgress } from '../progress.js';
import { stderrWarnings } from '../warn.js';
import { emitReport } from '../report-output.js';

const USAGE = 'frametail bench [--config F] [--base REF] [--head REF] [--out DIR] [--resume] [--shard I/N]';

export async function benchCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseVerbArgs('bench', args, {
    config: { type: 'string', default: DEFAULT_CONFIG_PATH },
    base: { type: 'string' },
    head: { type: 'string' },
    out: { type: 'string', default: 'frametail-results' },
    resume: { type: 'boolean', default: false },
    shard: { type: 'string' },
  }, USAGE);
  const baseRef = values.base ?? defaultBaseRef(io.env);
  if (!baseRef) throw new InputError(`bench: pass --base REF (the branch or commit to compare with)\nusage: ${USAGE}`);
  const config = await loadConfig(values.config);
  const shard = parseShard(values.shard);
  const outDir = resolve(io.cwd, values.out);
  const result = await benchWithGate(config, {
    repoDir: io.cwd,
    baseRef,
    ...(values.head ? { headRef: values.head } : {}),
    outDir,
    resume: values.resume,
    ...(shard ? { shard } : {}),
  }, io);
  if (!result.report) return 0;
  io.stderr.write('\n');
  await emitReport(result.report, 'text', undefined, io, `frametail compare ${result.baseFile} ${result.headFile}`);
  await emitReport(result.report, 'json', outDir, io, '');
  io.stderr.write(`results: ${result.baseFile}, ${result.headFile}; report: ${resolve(outDir, 'report.json')}\n`);
  return exitCodeFor(result.report);
}

/** runBench wired to the comparison engine, the trace backend and CLI progress. */
export async function benchWithGate(
  config: Config,
  options: { repoDir: string; baseRef: string; headRef?: string; outDir: string; resume?: boolean; shard?: { index: number; count: number }; worktreeDir?: string; attributionRounds?: number },
  io: CliIo,
): Promise<BenchResult> {
  const warnings = stderrWarnings(io);
  return runBench({
    config,
    ...options,
    log: (line) => io.stderr.write(line + '\n'),
    progress: cliProgress(io.stderr, io.env),
    traceBackend: await defaultTraceBackend(),
    baseEnv: io.env,
    warn: warnings.warn,
    compare: compareFilesWith((base, head, adaptive) => compareSides(base, head, { config, adaptive })),
    nextLook: cellsNeedingMoreRounds,
  }).finally(() => warnings.flush());
}

/** In a pull_request workflow, the PR's target branch (GITHUB_BASE_REF) on origin. */
function defaultBaseRef(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_BASE_REF ? `origin/${env.GITHUB_BASE_REF}` : undefined;
}
