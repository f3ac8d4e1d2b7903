/**
 * `npm run bench:gate`: how often the gate fails an unchanged pull request, and how often it catches a
 * change, measured on simulated pull requests that behave like real pipelines — for Frametail's rule
 * (adaptive looks at 5/10/20 rounds), the strict guard it used to default to (`max-new-failures: 0`), and,
 * on the same data, the rules peers ship by default.
 *
 * A simulated pull request is a matrix of 1, 6 (2 × 3, the default) or 60 (6 × 10) cells, 20 rounds per cell
 * and side pre-drawn, base and head interleaved ABBA inside each round. Latencies are log-normal with CV 10%
 * around a per-cell median (or Student t3 noise of the same variance, or bimodal), and 2% of runs on both
 * sides are outliers slowed 2–5×. Rows add, per the issue they answer (#10):
 *   flaky runs       — both sides fail at the same rate (0.5%, 2%): A/A rows;
 *   failure rates    — head fails more often across the matrix (2% → 10%, 0% → 5%);
 *   tails            — 10% of one cell's (or every cell's) head runs take 3× as long, the median unmoved;
 *   heavy tails      — the noise is Student t with 3 degrees of freedom;
 *   bimodal          — 30% of runs (both sides) take a second, 1.5× slower path (a cache miss);
 *   drift            — every run in the job gets slower, by +20% from the first run to the last;
 *   shared           — 70% of the log-variance is a term shared by every run of the same round (a busy
 *                      model API), plus a slow random walk over the job.
 * The adaptive rule only uses the rounds it asked for (prefixes of the pre-drawn 20), as `bench` runs them.
 *
 * A false-alarm rate near 2% needs many pull requests to be told apart from 2%: the A/A rows simulate four
 * times as many as the A/B rows, and the targets are printed with 95% Wilson intervals. 60-cell rows cost
 * ten times as much per PR and simulate a twentieth as many.
 *
 * Usage: npm run bench:gate [-- --prs N] [--seed S] [--alpha A] [--rows REGEX] [--quick]
 *   --prs: A/B pull requests per row (A/A: 4 N; default 1,000); --quick: --prs 300, for development;
 *   --alpha: the gate.alpha to measure (default: Frametail's default); --rows: only rows whose name matches;
 *   --weights P,T[,R]: how many rank tests the pooled success and tail tests weigh when they get their own
 *   share of α, and the tail test's reach (default MATRIX_WEIGHTS; weight 0 puts a test into the cells'
 *   Benjamini–Hochberg family, the rule before).
 */
import { performance } from 'node:perf_hooks';
import { cellsNeedingMoreRounds } from '../src/compare/adaptive.js';
import { compareResults, MATRIX_WEIGHTS, type MatrixWeights } from '../src/compare/compare.js';
import { DEFAULT_GATE, type GateSettings } from '../src/compare/settings.js';
import type { Report } from '../src/report/model.js';
import type { RunLine } from '../src/results/format.js';
import type { ResultsFile } from '../src/results/read.js';
import { seededRandom } from '../src/stats/random.js';
import { wilsonInterval } from '../src/stats/wilson.js';

const MAX_ROUNDS = 20;
const OUTLIER_RATE = 0.02;
const SHARED_VARIANCE = 0.7;
const CV = 0.1;
/** Student t quantile t(0.99, df = 19) for 20 base samples: scipy.stats.t.ppf(0.99, 19). */
const T_099_DF19 = 2.539483191;
/** Unchanged pull requests simulated per changed one: their rate sits near 2% and needs the precision. */
const AA_FACTOR = 4;

interface Scenario {
  cells: 1 | 6 | 60;
  noise: 'independent' | 'shared';
  distribution: 'lognormal' | 't3' | 'bimodal';
  /** Failure rate of every run per side. */
  fail: { base: number; head: number };
  /** Median shift of head runs, in one (random) cell or all. */
  shift: { ratio: number; cells: 'one' | 'all' };
  /** Share of head runs slowed by `factor`, in one cell or all. */
  tail: { share: number; factor: number; cells: 'one' | 'all' };
  /** Every run slows by this fraction from the job's first run to its last. */
  drift: number;
}

const PLAIN: Scenario = {
  cells: 6,
  noise: 'independent',
  distribution: 'lognormal',
  fail: { base: 0, head: 0 },
  shift: { ratio: 1, cells: 'one' },
  tail: { share: 0, factor: 1, cells: 'one' },
  drift: 0,
};

interface Row {
  name: string;
  /** True for unchanged pull requests (the rate is a false-alarm rate). */
  unchanged: boolean;
  scenario: Scenario;
  /**
   * The target, e.g. "≤ 2%" or "≥ 90%", checked for Frametail's default rule. `reference`: the min is another run's
   * estimate (more PRs), so a rate whose 95% interval still reaches it is "within noise" rather than missed.
   */
  target?: { max?: number; min?: number; note: string; reference?: boolean };
}

const row = (name: string, unchanged: boolean, change: Partial<Scenario>, target?: Row['target']): Row => ({ name, unchanged, scenario: { ...PLAIN, ...change }, ...(target ? { target } : {}) });
const AA_TARGET = { max: 0.02, note: '≤ 2%' };

const ROWS: Row[] = [
  row('A/A, 6 cells', true, {}, AA_TARGET),
  row('A/A, 6 cells, shared noise', true, { noise: 'shared' }, AA_TARGET),
  row('A/A, 6 cells, 0.5% flaky runs', true, { fail: { base: 0.005, head: 0.005 } }, AA_TARGET),
  row('A/A, 6 cells, 2% flaky runs', true, { fail: { base: 0.02, head: 0.02 } }, AA_TARGET),
  row('A/A, 1 cell', true, { cells: 1 }, AA_TARGET),
  row('A/A, 1 cell, 2% flaky runs', true, { cells: 1, fail: { base: 0.02, head: 0.02 } }, AA_TARGET),
  row('A/A, 60 cells', true, { cells: 60 }, AA_TARGET),
  row('A/A, 60 cells, 0.5% flaky runs', true, { cells: 60, fail: { base: 0.005, head: 0.005 } }, AA_TARGET),
  row('A/A, 60 cells, 2% flaky runs', true, { cells: 60, fail: { base: 0.02, head: 0.02 } }, AA_TARGET),
  row('A/A, 6 cells, Student t3 noise', true, { distribution: 't3' }, AA_TARGET),
  row('A/A, 6 cells, bimodal', true, { distribution: 'bimodal' }, AA_TARGET),
  row('A/A, 6 cells, drift +20% over the job', true, { drift: 0.2 }, AA_TARGET),
  row('+10% in one cell', false, { shift: { ratio: 1.1, cells: 'one' } }, { min: 0.515, note: '≥ 51.5%, the rule before #10 on 10,000 PRs of this seed', reference: true }),
  row('+20% in one cell', false, { shift: { ratio: 1.2, cells: 'one' } }, { min: 0.99, note: '≥ 99%' }),
  row('+10% in one cell, shared noise', false, { noise: 'shared', shift: { ratio: 1.1, cells: 'one' } }),
  row('+10% in one cell, 2% flaky runs', false, { fail: { base: 0.02, head: 0.02 }, shift: { ratio: 1.1, cells: 'one' } }),
  row('+10% in one cell, Student t3 noise', false, { distribution: 't3', shift: { ratio: 1.1, cells: 'one' } }),
  row('+10% in one cell, bimodal', false, { distribution: 'bimodal', shift: { ratio: 1.1, cells: 'one' } }),
  row('+10% in one cell, drift +20%', false, { drift: 0.2, shift: { ratio: 1.1, cells: 'one' } }),
  row('+10%, 1-cell matrix', false, { cells: 1, shift: { ratio: 1.1, cells: 'one' } }),
  row('+10% in one of 60 cells', false, { cells: 60, shift: { ratio: 1.1, cells: 'one' } }),
  row('failures 2% → 10%, 6 cells', false, { fail: { base: 0.02, head: 0.1 } }, { min: 0.9, note: '≥ 90%' }),
  row('failures 2% → 10%, 60 cells', false, { cells: 60, fail: { base: 0.02, head: 0.1 } }, { min: 0.9, note: '≥ 90%' }),
  row('failures 0% → 5%, 6 cells', false, { fail: { base: 0, head: 0.05 } }, { min: 0.6, note: '≥ 60%' }),
  row('failures 0% → 5%, 60 cells', false, { cells: 60, fail: { base: 0, head: 0.05 } }, { min: 0.6, note: '≥ 60%' }),
  row('10% tail at 3×, one cell', false, { tail: { share: 0.1, factor: 3, cells: 'one' } }),
  row('10% tail at 3×, every cell', false, { tail: { share: 0.1, factor: 3, cells: 'all' } }, { min: 0.9, note: '≥ 90%' }),
];

/** [cell][round] latency in ms per side (NaN: the run failed). */
interface PullRequest {
  base: number[][];
  head: number[][];
}
interface Outcome {
  failed: boolean;
  /** Mean rounds per cell. */
  rounds: number;
}
type Rule = (pr: PullRequest, layout: Layout) => Outcome;

interface Layout {
  inputs: string[];
  variants: string[];
}

function layoutOf(cells: Scenario['cells']): Layout {
  const [inputs, variants] = cells === 1 ? [1, 1] : cells === 6 ? [2, 3] : [6, 10];
  return { inputs: Array.from({ length: inputs }, (_, i) => `input-${i}`), variants: Array.from({ length: variants }, (_, i) => `variant-${i}`) };
}

/** The gate every Frametail rule uses: Frametail's default, with --alpha's alpha when given (set by main). */
let gate: GateSettings = DEFAULT_GATE;
/** The matrix-level tests' weights: Frametail's default, or --weights (set by main). */
let weights: MatrixWeights = MATRIX_WEIGHTS;

function parseArgs(argv: string[]): { prs: number; seed: string; alpha: number; rows: RegExp | null; weights: MatrixWeights } {
  let prs = 1000;
  let weights = MATRIX_WEIGHTS;
  let seed = 'frametail-bench-gate';
  let alpha = DEFAULT_GATE.alpha;
  let rows: RegExp | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--prs') prs = Number(argv[++i]);
    else if (argv[i] === '--quick') prs = 300;
    else if (argv[i] === '--seed') seed = String(argv[++i]);
    else if (argv[i] === '--alpha') alpha = Number(argv[++i]);
    else if (argv[i] === '--rows') rows = new RegExp(String(argv[++i]));
    else if (argv[i] === '--weights') {
      const [pooledSuccess, tail, tailReach] = String(argv[++i]).split(',').map(Number);
      weights = { pooledSuccess: pooledSuccess!, tail: tail!, tailReach: tailReach ?? MATRIX_WEIGHTS.tailReach };
    } else throw new Error(`unknown argument ${argv[i]} (use --prs N, --quick, --seed S, --alpha A, --rows REGEX, --weights POOLED,TAIL)`);
  }
  if (![weights.pooledSuccess, weights.tail].every((x) => Number.isFinite(x) && x >= 0) || !(weights.tailReach > 0 && weights.tailReach <= 1)) {
    throw new Error("--weights needs two weights (pooled success, tail), each ≥ 0 (0: in the cells' family), and optionally the tail's reach in (0, 1]");
  }
  if (!Number.isInteger(prs) || prs < 1) throw new Error('--prs needs a positive integer');
  if (!(alpha > 0 && alpha < 1)) throw new Error('--alpha needs a number between 0 and 1');
  return { prs, seed, alpha, rows, weights };
}

function normal(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Student t with 3 degrees of freedom, scaled to unit variance (t3 has variance 3): z / √(χ²₃/3) / √3. */
function t3(z: () => number): () => number {
  return () => {
    const chi = z() ** 2 + z() ** 2 + z() ** 2;
    return z() / Math.sqrt(chi / 3) / Math.sqrt(3);
  };
}

/** Draws one pull request: cells × 20 rounds on both sides. */
function simulate(s: Scenario, random: () => number): PullRequest {
  const z = normal(random);
  const noiseDraw = s.distribution === 't3' ? t3(z) : z;
  const sigma = Math.sqrt(Math.log(1 + CV * CV));
  const shared = s.noise === 'shared' ? Math.sqrt(SHARED_VARIANCE) * sigma : 0;
  const own = s.noise === 'shared' ? Math.sqrt(1 - SHARED_VARIANCE) * sigma : sigma;
  const walkStep = s.noise === 'shared' ? 0.1 / Math.sqrt(MAX_ROUNDS * s.cells * 2) : 0;
  const changedCell = Math.floor(random() * s.cells);
  const medians = Array.from({ length: s.cells }, () => 4000 + random() * 8000);
  const base = medians.map(() => new Array<number>(MAX_ROUNDS));
  const head = medians.map(() => new Array<number>(MAX_ROUNDS));
  const totalRuns = MAX_ROUNDS * s.cells * 2;
  let walk = 0;
  let runIndex = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const roundTerm = shared * z();
    for (let cell = 0; cell < s.cells; cell++) {
      const order = (round + cell) % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const);
      for (const side of order) {
        walk += walkStep * z();
        let ms = medians[cell]! * Math.exp(roundTerm + walk + own * noiseDraw()) * (1 + (s.drift * runIndex) / totalRuns);
        runIndex++;
        if (s.distribution === 'bimodal' && random() < 0.3) ms *= 1.5;
        if (random() < OUTLIER_RATE) ms *= 2 + 3 * random();
        if (side === 'head') {
          if (s.shift.cells === 'all' || cell === changedCell) ms *= s.shift.ratio;
          if ((s.tail.cells === 'all' || cell === changedCell) && random() < s.tail.share) ms *= s.tail.factor;
        }
        if (random() < s.fail[side]) ms = NaN;
        (side === 'base' ? base : head)[cell]![round] = ms;
      }
    }
  }
  return { base, head };
}

function resultsFile(side: 'base' | 'head', samples: number[][], rounds: number[], layout: Layout): ResultsFile {
  const runs: RunLine[] = [];
  samples.forEach((cell, index) => {
    const input = layout.inputs[Math.floor(index / layout.variants.length)]!;
    const variant = layout.variants[index % layout.variants.length]!;
    for (let round = 1; round <= rounds[index]!; round++) {
      const ms = cell[round - 1]!;
      const failed = Number.isNaN(ms);
      runs.push({ type: 'run', id: `${side}-${index}-${round}`, side, input, variant, round, status: failed ? 'failed' : 'completed', latencyMs: failed ? null : ms, granularity: 'coarse', phase: 'measure' } as RunLine);
    }
  });
  return { file: `${side}.jsonl`, runs, spans: [], warnings: [] };
}

/** Frametail's rule: look at 5 rounds, give inconclusive cells more rounds at 10 and 20, fail on a regression. */
function frametailAdaptive(settings: () => GateSettings): Rule {
  return (pr, layout) => {
    const g = settings();
    const looks = g.looks;
    const rounds = pr.base.map(() => looks[0]!);
    for (;;) {
      const report: Report = compareResults({ base: resultsFile('base', pr.base, rounds, layout), head: resultsFile('head', pr.head, rounds, layout), gate: g, adaptive: { looks }, cellOrder: layout, matrixWeights: weights });
      const next = cellsNeedingMoreRounds(report, looks);
      if (next.nextRounds === null) return { failed: report.verdict === 'fail', rounds: mean(rounds) };
      for (const cell of next.cells) {
        const index = layout.inputs.indexOf(cell.input) * layout.variants.length + layout.variants.indexOf(cell.variant);
        rounds[index] = next.nextRounds;
      }
    }
  };
}

/** A single run per side; fail when any cell's head/base ratio exceeds the threshold, or head's run failed. */
function singleValueRatio(threshold: number): Rule {
  return (pr) => ({ failed: pr.base.some((cell, i) => Number.isNaN(pr.head[i]![0]!) || pr.head[i]![0]! / cell[0]! > threshold), rounds: 1 });
}

/** One head value against the completed base samples' mean + t(0.99) × sd; a failed head run fails. */
function tTestThreshold(pr: PullRequest): Outcome {
  const failed = pr.base.some((cell, i) => {
    const ok = cell.filter((x) => !Number.isNaN(x));
    const m = mean(ok);
    const sd = Math.sqrt(ok.reduce((s, x) => s + (x - m) ** 2, 0) / (ok.length - 1));
    const value = pr.head[i]![0]!;
    return Number.isNaN(value) || value > m + T_099_DF19 * sd;
  });
  return { failed, rounds: 1 };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

interface RuleSpec {
  name: string;
  rule: Rule;
  /** Rules that differ from Frametail's default only when runs fail run only on rows with failures. */
  onlyWithFailures?: boolean;
}

const RULES: RuleSpec[] = [
  { name: 'Frametail', rule: frametailAdaptive(() => gate) },
  { name: 'Frametail + max-new-failures 0 (the default before #10)', rule: frametailAdaptive(() => ({ ...gate, maxNewFailures: 0 })), onlyWithFailures: true },
  { name: 'single value, ratio > 2×', rule: singleValueRatio(2) },
  { name: 'single value, change > +10%', rule: singleValueRatio(1.1) },
  { name: 't-test 0.99 vs 20 base samples', rule: tTestThreshold },
];

interface Tally {
  failed: number;
  rounds: number;
  prs: number;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const { prs, seed, alpha, rows: only } = args;
  gate = { ...DEFAULT_GATE, alpha };
  weights = args.weights;
  const started = performance.now();
  const lines: string[] = [];
  const checks: string[] = [];
  for (const r of ROWS.filter((x) => !only || only.test(x.name))) {
    const rowStarted = performance.now();
    const count = Math.max(1, Math.round(((r.unchanged ? AA_FACTOR : 1) * prs) / (r.scenario.cells === 60 ? 20 : 1)));
    const withFailures = r.scenario.fail.base > 0 || r.scenario.fail.head > 0;
    // The strict guard fails every 60-cell PR with flaky runs (it does already at 6 cells); skipping it there saves the slowest runs.
    const rules = RULES.filter((rule) => !rule.onlyWithFailures || (withFailures && r.scenario.cells !== 60));
    const tallies = rules.map((): Tally => ({ failed: 0, rounds: 0, prs: count }));
    const random = seededRandom(`${seed}/${r.name}`);
    const layout = layoutOf(r.scenario.cells);
    for (let i = 0; i < count; i++) {
      const pr = simulate(r.scenario, random);
      rules.forEach((rule, k) => {
        const outcome = rule.rule(pr, layout);
        tallies[k]!.failed += outcome.failed ? 1 : 0;
        tallies[k]!.rounds += outcome.rounds;
      });
    }
    const cellsOf = (rule: RuleSpec) => {
      const k = rules.indexOf(rule);
      return k < 0 ? 'same' : pct(tallies[k]!.failed / count);
    };
    const frametail = tallies[0]!;
    lines.push(
      `| ${r.name} | ${count} | **${pct(frametail.failed / count)}** | ${(frametail.rounds / count).toFixed(1)} | ${RULES.slice(1).map(cellsOf).join(' | ')} |`,
    );
    if (r.target) {
      const rate = frametail.failed / count;
      const met = (r.target.max === undefined || rate <= r.target.max) && (r.target.min === undefined || rate >= r.target.min);
      const withinNoise = !met && r.target.reference && r.target.min !== undefined && wilsonInterval(frametail.failed, count, 0.95).high >= r.target.min;
      const verdict = met ? 'met' : withinNoise ? 'within noise of the reference: its 95% interval holds it' : 'MISSED';
      checks.push(`${r.name}: ${r.unchanged ? 'unchanged PRs failed' : 'caught'} ${withInterval(frametail)} (target ${r.target.note}: ${verdict})`);
    }
    if (r.unchanged && r.name === 'A/A, 6 cells') {
      const rounds = (frametail.rounds / count).toFixed(1);
      checks.push(`A/A, 6 cells: mean rounds per cell ${rounds} (target ≤ 16.2, before #10: ${Number(rounds) <= 16.2 ? 'met' : 'MISSED'})`);
    }
    process.stderr.write(`${r.name}: ${((performance.now() - rowStarted) / 1000).toFixed(1)} s\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `bench:gate — ${AA_FACTOR * prs} unchanged and ${prs} changed PRs per row (60-cell rows: a twentieth), CV 10%, 2% outliers at 2–5× on both sides, gate.alpha ${gate.alpha}, matrix-test weights ${weights.pooledSuccess} (pooled success) and ${weights.tail} (tail, reach ${Number(weights.tailReach.toPrecision(3))}), seed "${seed}", ${seconds.toFixed(1)} s\n`,
  );
  console.log(`Share of pull requests failed (A/A rows: false alarms; others: changes caught). "same": no failed run, so the rule is Frametail's.\n`);
  console.log(`| row | PRs | Frametail | mean rounds per cell | ${RULES.slice(1).map((r) => r.name).join(' | ')} |`);
  console.log(`|---|---|---|---|${RULES.slice(1).map(() => '---').join('|')}|`);
  for (const line of lines) console.log(line);
  console.log('\nTargets for Frametail (95% Wilson intervals):');
  for (const check of checks) console.log(`- ${check}`);
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

main();
