/**
 * `npm run bench:gate`: how often the gate fails an unchanged pull request, and how often it catches a
 * slowed cell, measured on simulated pull requests — for Frametail's rule (adaptive looks at 5/10/20
 * rounds) and, on the same data, for the rules peers ship by default.
 *
 * A simulated pull request is a 2 × 3 matrix (6 cells), 20 rounds per cell and side pre-drawn, base and
 * head interleaved ABBA inside each round. Latencies are log-normal with the given CV around a per-cell
 * median; 2% of runs are outliers slowed 2–5×. A/B pull requests slow one cell's head runs by +10% or +20%.
 * Two noise models:
 *   independent — every run draws its own noise;
 *   shared      — 70% of the log-variance is a term shared by every run of the same round (both sides,
 *                 all cells: a busy model API), plus a slow random-walk drift over the whole job.
 * The adaptive rule only uses the rounds it asked for (prefixes of the pre-drawn 20), exactly as `bench`
 * would run them.
 *
 * A false-alarm rate near 2% needs many pull requests to be told apart from 2%: the A/A rows simulate four
 * times as many as the A/B rows (40,000 and 10,000 by default; standard errors about 0.07 and 0.5 points),
 * and the targets are printed with 95% Wilson intervals.
 *
 * Usage: npm run bench:gate [-- --prs N] [--seed S] [--alpha A] [--cv 0.1,0.25]
 *   --prs: A/B pull requests per shift (A/A: 4 N); --alpha: the gate.alpha to measure (default:
 *   Frametail's default); --cv: which noise levels to run.
 */
import { performance } from 'node:perf_hooks';
import { cellsNeedingMoreRounds } from '../src/compare/adaptive.js';
import { compareResults } from '../src/compare/compare.js';
import { DEFAULT_GATE, type GateSettings } from '../src/compare/settings.js';
import type { RunLine } from '../src/results/format.js';
import type { ResultsFile } from '../src/results/read.js';
import { seededRandom } from '../src/stats/random.js';
import { wilsonInterval } from '../src/stats/wilson.js';

const INPUTS = ['pirouette', 'arm-extension'];
const VARIANTS = ['closeup', 'wide', 'low-angle'];
const MAX_ROUNDS = 20;
const OUTLIER_RATE = 0.02;
const SHARED_VARIANCE = 0.7;
/** Random-walk step per run (log scale): about ±10% drift over a 240-run job. */
const DRIFT_STEP = 0.1 / Math.sqrt(MAX_ROUNDS * INPUTS.length * VARIANTS.length * 2);
/** Student t quantile t(0.99, df = 19) for 20 base samples: scipy.stats.t.ppf(0.99, 19). */
const T_099_DF19 = 2.539483191;

type Noise = 'independent' | 'shared';
interface Scenario {
  cv: number;
  noise: Noise;
  shift: number;
}
/** [cell][round] latency in ms per side; `slowed` is the cell whose head is slowed in an A/B pull request. */
interface PullRequest {
  base: number[][];
  head: number[][];
  slowed: number;
}
interface Outcome {
  failed: boolean;
  rounds: number;
  /** Frametail's adaptive rule: the slowed cell's verdict and the rounds it ran, e.g. "unchanged@5". */
  slowedCell?: string;
}
type Rule = (pr: PullRequest) => Outcome;

/** Unchanged pull requests simulated per slowed one: their rate sits near 2% and needs the precision. */
const AA_FACTOR = 4;

/** The gate every Frametail rule uses: Frametail's default, with --alpha's alpha when given (set by main). */
let gate: GateSettings = DEFAULT_GATE;

function parseArgs(argv: string[]): { prs: number; seed: string; alpha: number; cvs: number[] } {
  let prs = 10000;
  let seed = 'frametail-bench-gate';
  let alpha = DEFAULT_GATE.alpha;
  let cvs = [0.1, 0.25];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--prs') prs = Number(argv[++i]);
    else if (argv[i] === '--seed') seed = String(argv[++i]);
    else if (argv[i] === '--alpha') alpha = Number(argv[++i]);
    else if (argv[i] === '--cv') cvs = String(argv[++i]).split(',').map(Number);
    else throw new Error(`unknown argument ${argv[i]} (use --prs N, --seed S, --alpha A, --cv 0.1,0.25)`);
  }
  if (!Number.isInteger(prs) || prs < 1) throw new Error('--prs needs a positive integer');
  if (!(alpha > 0 && alpha < 1)) throw new Error('--alpha needs a number between 0 and 1');
  if (cvs.length === 0 || cvs.some((cv) => !(cv > 0))) throw new Error('--cv needs positive numbers, e.g. 0.1,0.25');
  return { prs, seed, alpha, cvs };
}

function normal(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Draws one pull request's 6 cells × 20 rounds on both sides. */
function simulate(scenario: Scenario, random: () => number): PullRequest {
  const z = normal(random);
  const sigma = Math.sqrt(Math.log(1 + scenario.cv * scenario.cv));
  const shared = scenario.noise === 'shared' ? Math.sqrt(SHARED_VARIANCE) * sigma : 0;
  const own = scenario.noise === 'shared' ? Math.sqrt(1 - SHARED_VARIANCE) * sigma : sigma;
  const cells = INPUTS.length * VARIANTS.length;
  const slowed = Math.floor(random() * cells);
  const medians = Array.from({ length: cells }, () => 4000 + random() * 8000);
  const base = medians.map(() => new Array<number>(MAX_ROUNDS));
  const head = medians.map(() => new Array<number>(MAX_ROUNDS));
  let drift = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const roundTerm = shared * z();
    for (let cell = 0; cell < cells; cell++) {
      const order = (round + cell) % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const);
      for (const side of order) {
        if (scenario.noise === 'shared') drift += DRIFT_STEP * z();
        let ms = medians[cell]! * Math.exp(roundTerm + drift + own * z());
        if (random() < OUTLIER_RATE) ms *= 2 + 3 * random();
        if (side === 'head' && cell === slowed) ms *= 1 + scenario.shift;
        (side === 'base' ? base : head)[cell]![round] = ms;
      }
    }
  }
  return { base, head, slowed };
}

function resultsFile(side: 'base' | 'head', samples: number[][], rounds: number[]): ResultsFile {
  const runs: RunLine[] = [];
  samples.forEach((cell, index) => {
    const input = INPUTS[Math.floor(index / VARIANTS.length)]!;
    const variant = VARIANTS[index % VARIANTS.length]!;
    for (let round = 1; round <= rounds[index]!; round++) {
      runs.push({ type: 'run', id: `${side}-${index}-${round}`, side, input, variant, round, status: 'completed', latencyMs: cell[round - 1]!, granularity: 'coarse', phase: 'measure' });
    }
  });
  return { file: `${side}.jsonl`, runs, spans: [], warnings: [] };
}

/** Frametail's rule: look at 5 rounds, give inconclusive cells more rounds at 10 and 20, fail on a regression. */
function frametailAdaptive(pr: PullRequest): Outcome {
  const looks = gate.looks;
  const rounds = pr.base.map(() => looks[0]!);
  for (;;) {
    const report = compareResults({ base: resultsFile('base', pr.base, rounds), head: resultsFile('head', pr.head, rounds), gate, adaptive: { looks }, cellOrder: { inputs: INPUTS, variants: VARIANTS } });
    const next = cellsNeedingMoreRounds(report, looks);
    if (next.nextRounds === null) {
      const slowed = report.cells[pr.slowed]!;
      return { failed: report.verdict === 'fail', rounds: mean(rounds), slowedCell: `${slowed.verdict}@${slowed.rounds}` };
    }
    for (const cell of next.cells) {
      const index = INPUTS.indexOf(cell.input) * VARIANTS.length + VARIANTS.indexOf(cell.variant);
      rounds[index] = next.nextRounds;
    }
  }
}

/** The same tests on all 20 rounds at once, without looks: what the adaptive schedule trades rounds against. */
function frametailFixed(pr: PullRequest): Outcome {
  const rounds = pr.base.map(() => MAX_ROUNDS);
  const report = compareResults({ base: resultsFile('base', pr.base, rounds), head: resultsFile('head', pr.head, rounds), gate, cellOrder: { inputs: INPUTS, variants: VARIANTS } });
  return { failed: report.verdict === 'fail', rounds: MAX_ROUNDS };
}

/** A single run per side; fail when any cell's head/base ratio exceeds the threshold. */
function singleValueRatio(threshold: number): Rule {
  return (pr) => ({ failed: pr.base.some((cell, i) => pr.head[i]![0]! / cell[0]! > threshold), rounds: 1 });
}

/** One head value against the base samples' mean + t(0.99) × sd (a t-test threshold over history). */
function tTestThreshold(pr: PullRequest): Outcome {
  const failed = pr.base.some((cell, i) => {
    const m = mean(cell);
    const sd = Math.sqrt(cell.reduce((s, x) => s + (x - m) ** 2, 0) / (cell.length - 1));
    return pr.head[i]![0]! > m + T_099_DF19 * sd;
  });
  return { failed, rounds: 1 };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

const RULES: { name: string; rule: Rule; roundsNote: string }[] = [
  { name: 'Frametail (looks 5/10/20)', rule: frametailAdaptive, roundsNote: '' },
  { name: 'Frametail, fixed 20 rounds', rule: frametailFixed, roundsNote: '20' },
  { name: 'single value, ratio > 2×', rule: singleValueRatio(2), roundsNote: '1' },
  { name: 'single value, change > +10%', rule: singleValueRatio(1.1), roundsNote: '1' },
  { name: 't-test 0.99 vs 20 base samples', rule: tTestThreshold, roundsNote: '1 head (+20 base)' },
];

interface Tally {
  failed: number;
  rounds: number;
  prs: number;
  /** How often the slowed cell ended with each verdict@rounds (Frametail's adaptive rule only). */
  slowedCells: Map<string, number>;
}

function main(): void {
  const { prs, seed, alpha, cvs } = parseArgs(process.argv.slice(2));
  gate = { ...DEFAULT_GATE, alpha };
  const started = performance.now();
  const rows: string[] = [];
  const checks: string[] = [];
  for (const cv of cvs) {
    for (const noise of ['independent', 'shared'] as const) {
      const tallies = new Map<string, Tally[]>(RULES.map((r) => [r.name, []]));
      for (const shift of [0, 0.1, 0.2]) {
        const random = seededRandom(`${seed}/${cv}/${noise}/${shift}`);
        const count = shift === 0 ? AA_FACTOR * prs : prs;
        const tally = RULES.map((): Tally => ({ failed: 0, rounds: 0, prs: count, slowedCells: new Map() }));
        for (let i = 0; i < count; i++) {
          const pr = simulate({ cv, noise, shift }, random);
          RULES.forEach((r, k) => {
            const outcome = r.rule(pr);
            tally[k]!.failed += outcome.failed ? 1 : 0;
            tally[k]!.rounds += outcome.rounds;
            if (outcome.slowedCell) tally[k]!.slowedCells.set(outcome.slowedCell, (tally[k]!.slowedCells.get(outcome.slowedCell) ?? 0) + 1);
          });
        }
        RULES.forEach((r, k) => tallies.get(r.name)!.push(tally[k]!));
      }
      for (const r of RULES) {
        const [aa, ab10, ab20] = tallies.get(r.name)! as [Tally, Tally, Tally];
        const rate = (t: Tally) => t.failed / t.prs;
        const rounds = r.roundsNote || meanRounds([aa, ab10, ab20]);
        rows.push(`| ${r.name} | ${noise} | ${cv * 100}% | ${pct(rate(aa))} | ${pct(rate(ab10))} | ${pct(rate(ab20))} | ${rounds} |`);
        if (r.rule === frametailAdaptive && cv === 0.1) {
          const target10 = noise === 'independent' ? 0.5 : 0.8;
          checks.push(
            `${noise}, CV 10%: unchanged PRs failed ${withInterval(aa)} (target ≤ 2%: ${ok(rate(aa) <= 0.02)}), ` +
              `power +20% ${withInterval(ab20)} (≥ 90%: ${ok(rate(ab20) >= 0.9)}), power +10% ${withInterval(ab10)} (≥ ${target10 * 100}%: ${ok(rate(ab10) >= target10)}); ` +
              `mean rounds A/A ${(aa.rounds / aa.prs).toFixed(1)} vs 20 fixed (saves ${pct(1 - aa.rounds / aa.prs / MAX_ROUNDS)}); ` +
              `the +10% cell ended ${slowedSummary(ab10)}`,
          );
        }
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `bench:gate — ${AA_FACTOR * prs} unchanged and ${prs} slowed PRs per shift and row (6 cells, 2% outliers at 2–5×), gate.alpha ${gate.alpha}, seed "${seed}", ${seconds.toFixed(1)} s\n`,
  );
  console.log('| rule | noise | CV | unchanged PRs failed | power +10% | power +20% | mean rounds per cell |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log('\nTargets for Frametail at CV 10%:');
  for (const check of checks) console.log(`- ${check}`);
}

/** "regression 52.0% (4.1% at 10 rounds), inconclusive 46.7%, unchanged 1.3% (1.2% at 5 rounds)": where a slowed cell's power goes. */
function slowedSummary(tally: Tally): string {
  const byVerdict = new Map<string, [number, string[]]>();
  for (const [key, count] of [...tally.slowedCells.entries()].sort()) {
    const [verdict, rounds] = key.split('@') as [string, string];
    const entry = byVerdict.get(verdict) ?? [0, []];
    entry[0] += count;
    if (Number(rounds) < MAX_ROUNDS) entry[1].push(`${pct(count / tally.prs)} at ${rounds} rounds`);
    byVerdict.set(verdict, entry);
  }
  return [...byVerdict.entries()].map(([verdict, [count, early]]) => `${verdict} ${pct(count / tally.prs)}${early.length > 0 ? ` (${early.join(', ')})` : ''}`).join(', ');
}

function meanRounds(tallies: Tally[]): string {
  const [aa, ...ab] = tallies as [Tally, ...Tally[]];
  const abRounds = ab.reduce((s, t) => s + t.rounds, 0) / ab.reduce((s, t) => s + t.prs, 0);
  return `${(aa.rounds / aa.prs).toFixed(1)} A/A, ${abRounds.toFixed(1)} A/B (fixed: 20)`;
}

/** "1.82% (95% CI 1.69–1.95%)": a rate with its Wilson interval; two decimals for the small rates. */
function withInterval(tally: Tally): string {
  const { low, high } = wilsonInterval(tally.failed, tally.prs, 0.95);
  const rate = tally.failed / tally.prs;
  const digits = rate < 0.1 ? 2 : 1;
  const fixed = (x: number) => (x * 100).toFixed(digits);
  return `${fixed(rate)}% (95% CI ${fixed(low)}–${fixed(high)}%)`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function ok(pass: boolean): string {
  return pass ? 'met' : 'MISSED';
}

main();
