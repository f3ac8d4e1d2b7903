/**
 * `npm run bench:runner`: the harness overhead of a run. A command that sleeps 20 ms writes how long it
 * ran by its own clock (performance.now(): since its process started); Frametail's recorded latency
 * (latency: wall) minus that is the overhead. The same command spawned with plain child_process gives
 * the cost of spawning a process at all; the target is a median of at most 5 ms beyond it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseConfig } from '../src/config/parse.js';
import { parseResults } from '../src/results/read.js';
import { runSide } from '../src/runner/run-side.js';
import { defaultTraceBackend } from '../src/runner/trace-backend.js';

const RUNS = 60;
const BLOCKS = 6;
const SLEEP_MS = 20;
const SCRIPT = `setTimeout(() => require('node:fs').writeFileSync(require('node:path').join(process.env.SELF_DIR, process.env.FRAMETAIL_RUN_ID), String(performance.now())), ${SLEEP_MS})`;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function selfMs(dir: string, runId: string): Promise<number> {
  return Number(await readFile(join(dir, runId), 'utf8'));
}

/** Wall time of the command spawned by plain child_process, spawn to exit. */
function rawRun(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-e', SCRIPT], { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
  });
}

/** Plain-spawn overheads of `count` runs. */
async function rawOverheads(dir: string, tag: string, count: number): Promise<number[]> {
  const overheads: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = `raw-${tag}-${i}`;
    const wall = await rawRun({ ...process.env, SELF_DIR: dir, FRAMETAIL_RUN_ID: id });
    overheads.push(wall - (await selfMs(dir, id)));
  }
  return overheads;
}

const dir = await mkdtemp(join(tmpdir(), 'frametail-bench-runner-'));
try {
  const config = parseConfig(
    stringify({
      experiment: { name: 'bench:runner', description: 'harness overhead' },
      dimension: { name: 'none', variants: [{ id: 'only', label: 'only' }] },
      inputs: [{ id: 'sleep', prompt: `sleep ${SLEEP_MS} ms` }],
      run: { command: [process.execPath, '-e', SCRIPT], env: { SELF_DIR: dir }, warmup: 0, latency: 'wall' },
    }),
    'bench-runner.yml',
  );
  // The same job sampling peak memory (builtin peak-rss), to show what the sampler costs a run.
  const withRss = { ...config, metrics: [{ name: 'rss', unit: 'MB', direction: 'lower' as const, gate: false, builtin: 'peak-rss' as const }] };
  const traceBackend = await defaultTraceBackend();
  // Blocks of Frametail runs alternate with blocks of plain spawns, so drifting machine load hits both alike.
  const raw: number[] = [];
  const recorded: number[] = [];
  const recordedRss: number[] = [];
  const cycles: number[] = [];
  for (let block = 0; block < BLOCKS; block++) {
    raw.push(...(await rawOverheads(dir, String(block), RUNS / BLOCKS)));
    const start = process.hrtime.bigint();
    const result = await runSide({ config, checkoutDir: dir, side: 'head', outDir: join(dir, `out-${block}`), rounds: RUNS / BLOCKS, traceBackend });
    const jobMs = Number(process.hrtime.bigint() - start) / 1e6;
    const runs = parseResults(await readFile(result.file, 'utf8'), result.file).runs;
    for (const run of runs) recorded.push(run.latencyMs! - (await selfMs(dir, run.id)));
    cycles.push(jobMs / runs.length - quantile(runs.map((run) => run.wallMs!), 0.5));
    const rss = await runSide({ config: withRss, checkoutDir: dir, side: 'head', outDir: join(dir, `rss-${block}`), rounds: RUNS / BLOCKS, traceBackend });
    for (const run of parseResults(await readFile(rss.file, 'utf8'), rss.file).runs) recordedRss.push(run.latencyMs! - (await selfMs(dir, run.id)));
  }
  const beyondMedian = quantile(recorded, 0.5) - quantile(raw, 0.5);
  const beyondP95 = quantile(recorded, 0.95) - quantile(raw, 0.95);
  const cycleMs = quantile(cycles, 0.5);

  const cells = (median: number, p95?: number) => `${median.toFixed(2).padStart(9)} ms${p95 === undefined ? ''.padStart(12) : `${p95.toFixed(2).padStart(9)} ms`}`;
  const row = (label: string, values: number[], note: string) => `${label.padEnd(22)}${cells(quantile(values, 0.5), quantile(values, 0.95))}   ${note}`;
  const lines = [
    `frametail bench:runner: ${RUNS} runs of \`node -e <sleep ${SLEEP_MS} ms>\` per harness (latency: wall), node ${process.version}`,
    `${''.padEnd(22)}${'median'.padStart(12)}${'p95'.padStart(12)}`,
    row('spawn overhead', raw, 'plain child_process.spawn: wall time − the command’s own duration'),
    row('frametail overhead', recorded, 'recorded latency − the command’s own duration'),
    `${'beyond spawning'.padEnd(22)}${cells(beyondMedian, beyondP95)}   frametail − plain spawn, per quantile (target: median ≤ 5 ms)`,
    row('with peak-rss', recordedRss, `the same with a builtin: peak-rss metric (/proc sampled every 50 ms); ${(quantile(recordedRss, 0.5) - quantile(recorded, 0.5)).toFixed(2)} ms median beyond frametail alone`),
    `${'between runs'.padEnd(22)}${cells(cycleMs)}   job time per run − median recorded wall time (receiver start, env, trace dir, results fsync)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  process.stdout.write(beyondMedian <= 5 ? `ok: median ${beyondMedian.toFixed(2)} ms beyond spawning ≤ 5 ms\n` : `over target: median ${beyondMedian.toFixed(2)} ms beyond spawning > 5 ms\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
