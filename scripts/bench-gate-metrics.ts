/**
 * Part of `npm run bench:gate`: gating on own time against gating on total latency, on simulated pull
 * requests of a pipeline that mostly waits for a model (README "Metrics", docs/statistics.md "Own time").
 *
 * A simulated pull request is a 2 × 3 matrix (6 cells) run for a fixed number of rounds (10 or 20). Each
 * run's model time is log-normal around 8 s with a CV of 25% (a hosted model under varying load), its own
 * time log-normal around 1 s with a CV of 5%; latency is their sum, the run line carries both. A/B pull
 * requests slow one cell's own time by +15% on head (about +1.7% of latency). Two extra gated metrics sit in
 * the family (a constant cost and an output size with a CV of 2%), so the unchanged rows measure the false
 * alarms of a PR with every kind of metric in one Benjamini–Hochberg family.
 *
 * Rules, on the same data:
 *   latency only — metrics left out: the family is latency (and success) per cell, as before metrics;
 *   own time     — the defaults: own time gated, model time compared but not gated, plus the two metrics.
 *
 * Usage: npm run bench:gate [-- …]; alone: npx tsx scripts/bench-gate-metrics.ts [--prs N] [--seed S]
 *   --prs: A/B pull requests per row (unchanged rows: 4 N).
 */
import { compareResults } from '../src/compare/compare.js';
import { metricSpecs, type MetricSpec } from '../src/compare/metrics.js';
import { DEFAULT_GATE, type GateSettings } from '../src/compare/settings.js';
import type { RunLine } from '../src/results/format.js';
import type { ResultsFile } from '../src/results/read.js';
import { seededRandom } from '../src/stats/random.js';
import { wilsonInterval } from '../src/stats/wilson.js';

const CELLS = [
  ['pirouette', 'closeup'], ['pirouette', 'wide'], ['pirouette', 'low-angle'],
  ['arm-extension', 'closeup'], ['arm-extension', 'wide'], ['arm-extension', 'low-angle'],
] as const;
const MODEL_MS = 8000;
const MODEL_CV = 0.25;
const OWN_MS = 1000;
const OWN_CV = 0.05;
const SIZE_CV = 0.02;
const SHIFT = 0.15;
const ROUNDS = [10, 20];
const AA_FACTOR = 4;

function parseArgs(argv: string[]): { prs: number; seed: string } {
  let prs = 500;
  let seed = 'frametail-bench-gate-metrics';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--prs') prs = Number(argv[++i]);
    else if (argv[i] === '--seed') seed = String(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --prs N, --seed S)`);
  }
  if (!Number.isInteger(prs) || prs < 1) throw new Error('--prs must be a positive whole number');
  return { prs, seed };
}

function normal(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const sigmaOf = (cv: number) => Math.sqrt(Math.log(1 + cv * cv));

/** One pull request's two results files: `rounds` rounds of every cell, head's `slowed` cell own time × (1 + shift). */
function simulate(rounds: number, shift: number, random: () => number): { base: ResultsFile; head: ResultsFile } {
  const z = normal(random);
  const slowed = Math.floor(random() * CELLS.length);
  const runs: Record<'base' | 'head', RunLine[]> = { base: [], head: [] };
  CELLS.forEach(([input, variant], cell) => {
    const size = 40_000 + random() * 20_000;
    for (let round = 1; round <= rounds; round++) {
      for (const side of ['base', 'head'] as const) {
        const modelMs = MODEL_MS * Math.exp(sigmaOf(MODEL_CV) * z());
        const ownMs = OWN_MS * Math.exp(sigmaOf(OWN_CV) * z()) * (side === 'head' && cell === slowed ? 1 + shift : 1);
        const outputSize = Math.round(size * Math.exp(sigmaOf(SIZE_CV) * z()));
        runs[side].push({
          type: 'run', id: `${side}-${cell}-${round}`, side, input, variant, round, status: 'completed',
          latencyMs: ownMs + modelMs, granularity: 'coarse', phase: 'measure',
          metrics: { ownMs, modelMs, cost: 0.36, 'output-size': outputSize },
        });
      }
    }
  });
  const file = (side: 'base' | 'head'): ResultsFile => ({ file: `${side}.jsonl`, runs: runs[side], spans: [], warnings: [] });
  return { base: file('base'), head: file('head') };
}

interface Tally {
  prs: number;
  failed: number;
}

function main(): void {
  const { prs, seed } = parseArgs(process.argv.slice(2));
  const gate: GateSettings = { ...DEFAULT_GATE };
  const withMetrics: MetricSpec[] = metricSpecs(
    [
      { name: 'cost', unit: 'USD', direction: 'lower', gate: true, file: true },
      { name: 'output-size', unit: 'B', direction: 'lower', gate: true, file: true },
    ],
    gate,
    { ownTime: true, modelComparable: true },
  );
  const rules: { name: string; metrics: MetricSpec[] }[] = [
    { name: 'latency only', metrics: [] },
    { name: 'own time', metrics: withMetrics },
  ];
  const lines = [
    `frametail bench:gate (metrics): 6 cells, model time ${MODEL_MS / 1000} s ± ${MODEL_CV * 100}%, own time ${OWN_MS / 1000} s ± ${OWN_CV * 100}%, fixed rounds, α ${gate.alpha}, seed "${seed}"`,
    `${'rule'.padEnd(14)}${'rounds'.padStart(7)}${'unchanged PRs failed'.padStart(34)}${`own +${SHIFT * 100}% PRs failed`.padStart(34)}`,
  ];
  for (const rounds of ROUNDS) {
    const random = seededRandom(`${seed}/${rounds}`);
    const aa = Array.from({ length: AA_FACTOR * prs }, () => simulate(rounds, 0, random));
    const ab = Array.from({ length: prs }, () => simulate(rounds, SHIFT, random));
    for (const rule of rules) {
      const tally = (set: { base: ResultsFile; head: ResultsFile }[]): Tally => ({
        prs: set.length,
        failed: set.filter((pr) => compareResults({ ...pr, gate, metrics: rule.metrics }).verdict === 'fail').length,
      });
      const a = tally(aa);
      const b = tally(ab);
      lines.push(`${rule.name.padEnd(14)}${String(rounds).padStart(7)}${withInterval(a).padStart(34)}${withInterval(b).padStart(34)}`);
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  lines.push('unchanged PRs failed: target ≤ 2% with every metric in the family (own time, model time, cost, output-size gated)');
  process.stdout.write(`${lines.join('\n')}\n`);
}

function withInterval(t: Tally): string {
  const { low, high } = wilsonInterval(t.failed, t.prs, 0.95);
  return `${pct(t.failed / t.prs)} [${pct(low)}, ${pct(high)}] of ${t.prs}`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

main();
