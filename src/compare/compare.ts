/**
 * Compares base and head results cell by cell (DESIGN §5) and builds the report (DESIGN §7).
 * Pure and deterministic: the same inputs give a byte-identical report.
 *
 * 1. pick each side's runs  2. group them into cells  3. test latency and success per cell (paired by
 *    round when the rounds share noise, else unpaired)
 * 4. Benjamini–Hochberg over every cell × metric test  5. verdicts  6. spans  7. pooled success, PR verdict
 */
import type { RunLine, Side } from '../results/format.js';
import { runSourceOf, type ResultsFile } from '../results/read.js';
import { REPORT_SCHEMA, type CellReport, type CellVerdict, type LatencyResult, type Report, type ReportExperiment, type SideSummary, type SuccessResult, type TailResult } from '../report/model.js';
import { benjaminiHochberg } from '../stats/benjamini-hochberg.js';
import { capWarnings } from '../warnings.js';
import { farOutSidesP, type FarOutStratum } from '../stats/far-out-sides.js';
import { alphaAtRounds, constantLookLevel, familyLookAlphas } from './adaptive.js';
import { roundsToSettle } from './settle.js';
import { cellRunsOf, groupStoredCells, pairByRound, summarizeSide, type CellOrder, type CellRuns } from './cells.js';
import type { RunSource } from '../results/run-store.js';
import { experimentFromResults } from './experiment.js';
import type { GateSettings } from './settings.js';
import { INTERVAL_CONFIDENCE, sidesShareNoise, testShift, type ShiftTest } from './shift-test.js';
import { compareCellSpans, type SpanMetricsOf } from './spans.js';
import { smallestSuccessP, testSuccess, type SuccessTest } from './success.js';
import { latencyVerdict, prVerdict, successVerdict, worstVerdict } from './verdict.js';
import { medianRunWithSpans, type WaterfallOf } from './waterfall.js';
import { reviewLatencySources, unreadableTraceWarning } from './latency-source.js';
import { metricResult, metricSpecs, OWN_TIME, testCellMetrics, type MetricSpec, type MetricWork } from './metrics.js';

export type { GateSettings } from './settings.js';
export { DEFAULT_GATE, gateFromConfig } from './settings.js';

export interface CompareInput {
  base: ResultsFile;
  head: ResultsFile;
  gate: GateSettings;
  experiment?: ReportExperiment;
  /** Input id → 1-based line in the config file, for annotations. */
  configLines?: Record<string, number>;
  cellOrder?: CellOrder;
  spanMetrics?: SpanMetricsOf;
  /**
   * Set when the rounds came from the adaptive loop: each cell's verdicts then use the α of the last look
   * its rounds reached (`lookAlphas`). `perLookAlpha` (one α for every look) or `lookAlphas` (one per look)
   * override the spending boundary, e.g. to study other boundaries in bench:gate.
   */
  adaptive?: { looks: number[]; perLookAlpha?: number; lookAlphas?: number[] };
  /** Spans of one run for the HTML waterfall; filled for regressed cells from each side's median run. */
  waterfallOf?: WaterfallOf;
  /** Metrics besides latency (own time, model time, configured ones); default: own and model time, own gated. */
  metrics?: MetricSpec[];
  /** False under `baseline: artifact`: model time is not comparable and own time replaces latency in the gate. */
  modelComparable?: boolean;
  /** Weights of the matrix-level tests (default `MATRIX_WEIGHTS`); 0 puts the test into the cells' family. For bench:gate. */
  matrixWeights?: MatrixWeights;
}

/**
 * How many cells each matrix-level test weighs when it gets its own share of α: with c compared cells and
 * the weights K of the matrix tests that get a share, a matrix test of weight k is tested at α·k/(c + K) and
 * the cells' family (latency, success and metric tests) at α·c/(c + K) (docs/statistics.md, "Multiplicity").
 * Pooled success 14: in a 6-cell matrix it then gets 14/20 = 70% of α, 0.01246 at the last look of 5/10/20, enough
 * for five failed head runs in 120 against none on base (Barnard p = 0.01226) to count; in 60 cells it gets 19%,
 * which it does not miss. Tail 13: 13/19 = 68% beside six cells.
 */
export interface MatrixWeights {
  pooledSuccess: number;
  tail: number;
  /**
   * The tail test takes its own share only when its smallest possible p is at most this fraction of its level
   * (1/16: about four far-out runs more than it needs to reach the level at all); below that it stays a member
   * of the cells' family. Far-out runs of 2–5× outliers on both sides would otherwise take α from the latency
   * tests for a tail test with little power (docs/statistics.md, "Multiplicity": the sweep).
   */
  tailReach: number;
}

export const MATRIX_WEIGHTS: MatrixWeights = { pooledSuccess: 14, tail: 13, tailReach: 1 / 16 };

interface CellWork {
  /** The cell, whose runs are built again only when the report asks for them (spans, waterfalls). */
  runs: CellRuns;
  /** Each side's counts, median and samples, summed up while the cell's runs are at hand. */
  base: SideSummary;
  head: SideSummary;
  latency: ShiftTest | null;
  success: SuccessTest | null;
  metrics: MetricWork[];
  /** The cell's notes so far: latency sources first, then the tests'. */
  notes: string[];
  /** Runs per side whose trace files could not be read (the report's warning sums them). */
  unreadable: Record<Side, number>;
}

/** A cell's tests in the Benjamini–Hochberg family, found again by identity once the family is chosen. */
interface CellTests {
  latency?: FamilyTest;
  success?: FamilyTest;
  /** One per metric of the cell's `metrics`, in the same order (undefined: not tested). */
  metrics: (FamilyTest | undefined)[];
}

export function compareResults(input: CompareInput): Report {
  const { gate } = input;
  // The comparison's own warnings come first, so the cap never hides them behind a file's junk lines.
  const warnings: string[] = [];
  const baseRuns = runsOfSide(input.base, 'base', warnings);
  const headRuns = runsOfSide(input.head, 'head', warnings);
  // The `unchanged` claim's one-sided level at every look: 5% over the whole schedule (docs/statistics.md, "Early stopping").
  const boundLevel = input.adaptive ? constantLookLevel(input.adaptive.looks, UNCHANGED_LEVEL) : UNCHANGED_LEVEL;
  const modelComparable = input.modelComparable ?? true;
  const specs = input.metrics ?? metricSpecs([], gate, { ownTime: true, modelComparable });
  // Each cell's runs are built from the files' run stores while its tests run, then let go: at millions of
  // runs, holding them all as objects was most of the memory (results/run-store.ts).
  const work = groupStoredCells(baseRuns, headRuns, input.cellOrder).map(testCell(gate, boundLevel, specs));
  const finalRounds = input.adaptive ? Math.max(...input.adaptive.looks) : 0;

  // The matrix-level tests: success pooled over every compared cell, and slow far-out runs by side.
  const both = work.filter((w) => w.runs.presence === 'both');
  const pooledSuccessTest = gate.successRate ? pooledSuccessOf(both) : null;
  const strata = both.flatMap((w) => (w.latency ? [w.latency.slowFarOut] : []));
  const tail = strata.some((s) => s.farOut > 0)
    ? { p: farOutSidesP(strata), minP: farOutSidesP(strata.map(mostHeadFarOut)), base: sum(strata, (s) => s.farOut - s.headFarOut), head: sum(strata, (s) => s.headFarOut) }
    : null;

  // The parts share α (docs/statistics.md, "Multiplicity"). Each matrix-level test (pooled success, tail) gets
  // its own share of α, weighing as many cells as its weight, but only when it
  // could reach its level (its smallest possible p, given its margins: the failed or far-out runs all on
  // head): otherwise its share goes back to the cells, so a PR with no failed run keeps all of α for its
  // latency tests. The cells' tests — latency, success, metrics — form one BH family at the rest of α, holding
  // only the tests that can reject there (Tarone's rule, Biometrics 46, 1990). Bonferroni over the parts keeps
  // α the false-alarm rate of an unchanged pull request. The opposite one-sided tests (improvements) form a
  // family of the same shape.
  const cellTests = work.map(familyTestsOf);
  const candidates: FamilyTest[] = [];
  for (const tests of cellTests) {
    if (tests.latency) candidates.push(tests.latency);
    if (tests.success) candidates.push(tests.success);
    for (const metric of tests.metrics) if (metric) candidates.push(metric);
  }
  const weights = input.matrixWeights ?? MATRIX_WEIGHTS;
  const matrixRounds = both.reduce((m, w) => Math.max(m, w.runs.base.length, w.runs.head.length), 0);
  const matrixTests: MatrixTest[] = [];
  if (pooledSuccessTest?.testable) {
    const test = pooledSuccessTest;
    matrixTests.push({ key: 'success/pooled', p: test.p, pOther: test.pFewer, minP: test.minP, exactMinP: () => smallestSuccessP(test), weight: weights.pooledSuccess, reach: 1 });
  }
  if (tail) matrixTests.push({ key: 'tail/pooled', p: tail.p, pOther: 1, minP: tail.minP, weight: weights.tail, reach: weights.tailReach });
  // Weights count in cells: a matrix test of weight k against c compared cells gets k/(c + K) of α.
  const cellCount = Math.max(1, both.length);
  const levelAt = (share: number) =>
    input.adaptive ? alphaAtRounds(input.adaptive.looks, matrixAlphas(input.adaptive, gate.alpha * share), matrixRounds) : gate.alpha * share;
  // Tarone's rule for the parts: start from every weighted matrix test and, while some cannot reach their
  // level, drop the one furthest from it (dropping one raises the others' shares) and look again.
  let own = matrixTests.filter((t) => t.weight > 0);
  for (;;) {
    const total = cellCount + sum(own, (t) => t.weight);
    const shortBy = own.map((t) => {
      const level = t.reach * levelAt(t.weight / total);
      const reaches = t.minP <= level || (t.exactMinP !== undefined && t.minP <= 10 * level && t.exactMinP() <= level);
      return reaches ? 0 : t.minP / level;
    });
    const worst = shortBy.indexOf(Math.max(0, ...shortBy));
    if (shortBy[worst] === undefined || shortBy[worst] === 0) break;
    own = own.filter((_, i) => i !== worst);
  }
  // The others (weight 0, or short of their own level) are members of the cells' family, where Tarone's rule
  // keeps them only if they can reach the level they face there.
  for (const test of matrixTests) if (!own.includes(test)) candidates.push(test);
  const weightTotal = cellCount + sum(own, (t) => t.weight);
  const ownLevel = new Map(own.map((t) => [t.key, { level: levelAt(t.weight / weightTotal), share: t.weight / weightTotal }]));
  const cellShare = own.length > 0 ? cellCount / weightTotal : 1;
  const cellAlpha = gate.alpha * Math.max(0, cellShare);
  const family = cellAlpha > 0 ? taroneFamily(candidates, cellAlpha) : [];
  const alphas = cellAlpha > 0 ? (input.adaptive ? adaptiveAlphas(input.adaptive, cellAlpha, family.length, cellAlpha / gate.alpha) : [cellAlpha]) : [0];
  const alphaOf = (rounds: number) => (input.adaptive ? alphaAtRounds(input.adaptive.looks, alphas, rounds) : alphas[0]!);
  const q = benjaminiHochberg(family.map((t) => t.p));
  const qOther = benjaminiHochberg(family.map((t) => t.pOther));
  const indexOf = new Map(family.map((t, index) => [t, index]));
  // A test outside the family (or none) has q = 1.
  const qOf = (test: FamilyTest | undefined) => {
    const index = test ? (indexOf.get(test) ?? -1) : -1;
    return { q: q[index] ?? 1, qOther: qOther[index] ?? 1 };
  };
  // A matrix-level test: at its own level when it has one (q = p / share, compared with level / share), else in the family.
  const matrixOf = (key: MatrixTest['key'], p: number, matrixAlpha: number) => {
    const own = ownLevel.get(key);
    return own ? { q: Math.min(1, p / own.share), alpha: own.level / own.share, share: own.share } : { q: qOf(matrixTests.find((t) => t.key === key)).q, alpha: matrixAlpha, share: 0 };
  };

  const cells = work.map((w, i): CellReport => {
    const { base, head } = w;
    const rounds = Math.max(base.runs, head.runs);
    const alpha = alphaOf(rounds);
    const final = !input.adaptive || rounds >= finalRounds;
    const latency = w.latency ? latencyResult(w.latency, qOf(cellTests[i]!.latency), base.medianMs!, head.medianMs!, gate, alpha, boundLevel) : null;
    if (latency?.verdict === 'inconclusive') {
      // Projected against the last look's level for one test (BH's first step), where the decision would be made.
      const lastAlpha = alphas[alphas.length - 1]! / Math.max(1, family.length);
      const more = roundsToSettle({ ratio: latency.ratio, above: w.latency!.ruledOutAbove, boundLevel, threshold: 1 + gate.minChange, alpha: lastAlpha, rounds });
      if (more !== null) latency.roundsToSettle = more;
    }
    const success = w.success ? successResult(w.success, qOf(cellTests[i]!.success).q, gate, alpha, final) : null;
    const metrics = w.metrics.map((m, j) => {
      const adjusted = qOf(cellTests[i]!.metrics[j]);
      return metricResult(m, adjusted.q, adjusted.qOther, gate, alpha, modelComparable, boundLevel);
    });
    const notes = w.notes;
    // baseline: artifact with model spans: latency carries the provider's drift, so own time stands in for it.
    const ownTested = metrics.some((m) => m.name === OWN_TIME && m.ratio !== null);
    const latencyGated = modelComparable || !ownTested;
    if (!latencyGated) notes.push('latency not gated: the base was measured at another time (baseline: artifact); own time is gated instead');
    let verdict: CellVerdict = 'inconclusive';
    if (w.runs.presence === 'both') {
      verdict = worstVerdict([latencyGated ? (latency?.verdict ?? 'inconclusive') : undefined, success?.verdict, ...metrics.filter((m) => m.gate).map((m) => m.verdict)]);
    }
    for (const m of metrics) if (m.base.missing + m.head.missing > 0) notes.push(`${m.label}: ${m.base.missing} base and ${m.head.missing} head completed runs gave no value (left out)`);
    if (latency?.verdict === 'regression' && success?.verdict === 'regression') notes.push('latency and success rate both regressed');
    const stop = stopReason(verdict, rounds, w.runs.presence, input.adaptive?.looks, notes);
    // hasOwn: an input id such as "constructor" is a plain string, not a key of Object.prototype.
    const configLine = input.configLines && Object.hasOwn(input.configLines, w.runs.input) ? input.configLines[w.runs.input] : undefined;
    const waterfall = verdict === 'regression' && input.waterfallOf ? waterfallOfCell(cellRunsOf(w.runs), input.waterfallOf) : undefined;
    return {
      input: w.runs.input,
      variant: w.runs.variant,
      presence: w.runs.presence,
      base,
      head,
      latency,
      success,
      verdict,
      ...(metrics.length > 0 ? { metrics } : {}),
      spans: input.spanMetrics && w.runs.presence === 'both' ? compareCellSpans(cellRunsOf(w.runs), input.spanMetrics, gate) : [],
      rounds,
      stop,
      ...(configLine !== undefined ? { configLine } : {}),
      notes,
      ...(waterfall ? { waterfall } : {}),
    };
  });

  const compared = cells.filter((c) => c.presence === 'both');
  // The matrix-level tests look at the matrix at the current look: the α of the most rounds any cell ran.
  const matrixAlpha = alphaOf(compared.reduce((m, c) => Math.max(m, c.rounds), 0));
  const pooledAt = pooledSuccessTest ? matrixOf('success/pooled', pooledSuccessTest.p, matrixAlpha) : null;
  const pooledSuccess = pooledSuccessTest && pooledAt ? successResult(pooledSuccessTest, pooledAt.q, gate, pooledAt.alpha, true, pooledAt.share) : null;
  const pooledTail = tail ? tailResult(tail, matrixOf('tail/pooled', tail.p, matrixAlpha)) : null;
  const verdicts = compared.map((c) => c.verdict);
  if (pooledSuccess?.verdict === 'regression') verdicts.push('regression');
  if (pooledTail?.verdict === 'regression') verdicts.push('regression');
  const count = (v: CellVerdict) => compared.filter((c) => c.verdict === v).length;
  if (compared.length === 0) warnings.push('no cell has runs on both sides: nothing to compare');
  const unreadable = unreadableTraceWarning(work);
  if (unreadable) warnings.push(unreadable);
  // Nothing compared is not a pass: the gate saw no evidence either way.
  const verdict = compared.length > 0 ? prVerdict(verdicts, gate.failOn) : prVerdict(['inconclusive'], gate.failOn);

  return {
    schema: REPORT_SCHEMA,
    verdict,
    summary: {
      cells: compared.length,
      regression: count('regression'),
      improvement: count('improvement'),
      unchanged: count('unchanged'),
      inconclusive: count('inconclusive'),
      added: cells.filter((c) => c.presence === 'added').length,
      removed: cells.filter((c) => c.presence === 'removed').length,
    },
    experiment: input.experiment ?? experimentFromResults(input.head.header?.experiment ?? input.base.header?.experiment, baseRuns, headRuns),
    sides: {
      base: { ref: input.base.header?.ref ?? null, sha: input.base.header?.sha ?? null, runs: countMeasured(baseRuns) },
      head: { ref: input.head.header?.ref ?? null, sha: input.head.header?.sha ?? null, runs: countMeasured(headRuns) },
    },
    pooledSuccess,
    pooledTail,
    gate: {
      alpha: gate.alpha,
      minChange: gate.minChange,
      minAbsMs: gate.minAbsMs,
      looks: [...gate.looks],
      perLookAlpha: alphas[alphas.length - 1]!,
      ...(input.adaptive ? { lookAlphas: alphas } : {}),
      failOn: [...gate.failOn],
      maxNewFailures: gate.maxNewFailures,
    },
    cells,
    // Bounded (a cap, then one line counting the rest): hostile files must not fill report.json.
    warnings: capWarnings([...warnings, ...input.base.warnings, ...input.head.warnings]),
  };
}

/**
 * The α of each look: the overrides of `CompareInput.adaptive` (times `scale`, the part of α the family has)
 * if given, else the spending boundary for a family of `tests`.
 */
function adaptiveAlphas(adaptive: NonNullable<CompareInput['adaptive']>, alpha: number, tests: number, scale: number): number[] {
  if (adaptive.lookAlphas) return adaptive.lookAlphas.map((a) => a * scale);
  if (adaptive.perLookAlpha !== undefined) return [adaptive.perLookAlpha * scale];
  return familyLookAlphas(adaptive.looks, alpha, tests);
}

/** The α of each look for one matrix-level test at `alpha` (its share): the spending boundary of a single test, or the overrides scaled. */
function matrixAlphas(adaptive: CompareInput['adaptive'], alpha: number): number[] {
  if (!adaptive) return [alpha];
  return adaptiveAlphas(adaptive, alpha, 1, alpha);
}

/**
 * The runs a file contributes to one side. A file usually holds one side; a `bench` file holds both, so
 * runs of the other side are set aside. A file with no run of the expected side at all (e.g. two
 * `run --side head` outputs compared) is taken whole, with a warning.
 */
function runsOfSide(file: ResultsFile, side: Side, warnings: string[]): RunSource {
  const store = runSourceOf(file);
  if (store.length === 0) {
    warnings.push(`${file.file}: no run lines: the ${side} side is empty`);
    return store;
  }
  // A file of one side (the usual case) is used as it is: no copy of millions of runs.
  const own: number[] = [];
  for (let i = 0; i < store.length; i++) if (store.side(i) === side) own.push(i);
  if (own.length === store.length) return store;
  if (own.length > 0) return subset(store, own);
  warnings.push(`${file.file}: no run has side "${side}"; all its runs are used as the ${side} side`);
  const get = (i: number) => ({ ...store.get(i), side });
  return { length: store.length, get, reading: get, side: () => side, phase: (i) => store.phase(i), input: (i) => store.input(i), variant: (i) => store.variant(i) };
}

/** The runs of `source` at `indexes`, as a source of their own. */
function subset(source: RunSource, indexes: readonly number[]): RunSource {
  return {
    length: indexes.length,
    get: (i) => source.get(indexes[i]!),
    reading: (i) => source.reading(indexes[i]!),
    side: (i) => source.side(indexes[i]!),
    phase: (i) => source.phase(indexes[i]!),
    input: (i) => source.input(indexes[i]!),
    variant: (i) => source.variant(indexes[i]!),
  };
}

/**
 * Counted runs (phase `measure`), without a copy of millions of runs to count them. Indexed, as every loop over
 * all of a file's runs: a for-of in a function that runs once allocated an iterator result per run until
 * optimised (150 MB per pass over 2M runs, a tenth of the comparison's garbage).
 */
function countMeasured(runs: RunSource): number {
  let count = 0;
  for (let i = 0; i < runs.length; i++) if (runs.phase(i) === 'measure') count++;
  return count;
}

/** One-sided level of the `unchanged` claim over the whole schedule: the upper end of one 90% interval. */
export const UNCHANGED_LEVEL = (1 - INTERVAL_CONFIDENCE) / 2;

interface FamilyTest {
  p: number;
  pOther: number;
  /** Smallest p the test could reach with its margins (0: not discrete enough to matter). */
  minP: number;
}

interface MatrixTest extends FamilyTest {
  key: 'success/pooled' | 'tail/pooled';
  /** How many rank tests it weighs when it gets its own share of α; 0: a member of the cells' family. */
  weight: number;
  /** Fraction of its own level its smallest possible p must reach for it to get its share. */
  reach: number;
  /**
   * The exact smallest possible p when `minP` is only a bound above it (the pooled success test: Fisher's bound,
   * where Boschloo can go lower); dearer, so asked only when `minP` is within 10× of the level.
   */
  exactMinP?: () => number;
}

/**
 * Tarone's rule (Biometrics 46, 1990): the smallest K such that at most K tests could reach α/K, and
 * those tests. A test left out could not have rejected at the level it would face, so leaving it out costs
 * nothing and raises the level of the others. Input order is kept.
 */
export function taroneFamily<T extends { minP: number }>(tests: readonly T[], alpha: number): T[] {
  // How many tests reach α/k only falls as k grows: with the smallest possible p's sorted, one pointer
  // walks down while k walks up, so a matrix of 100,000 cells costs a sort, not cells² comparisons.
  const sorted = Float64Array.from(tests, (t) => t.minP).sort();
  let reach = sorted.length;
  for (let k = 1; k <= tests.length; k++) {
    const level = alpha / k;
    // `!(x <= level)`, not `x > level`: a NaN never reaches, as in the filter below.
    while (reach > 0 && !(sorted[reach - 1]! <= level)) reach--;
    if (reach <= k) return tests.filter((t) => t.minP <= level);
  }
  return [...tests];
}

/** The stratum with every far-out value on head (as far as head has values): the tail test's smallest possible p. */
function mostHeadFarOut(stratum: FarOutStratum): FarOutStratum {
  return { ...stratum, headFarOut: stratum.paired ? stratum.farOut : Math.min(stratum.farOut, stratum.head) };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}

function testCell(gate: GateSettings, boundLevel: number, specs: readonly MetricSpec[]) {
  return (cell: CellRuns): CellWork => {
    // Everything that reads the cell's runs is done here, while they are at hand: they are built for this
    // cell now and let go after (CellWork keeps the cell, which builds them again if the report asks).
    const runs = cellRunsOf(cell);
    const base = summarizeSide(runs.base);
    const head = summarizeSide(runs.head);
    const { notes, unreadable } = reviewLatencySources(runs);
    if (runs.presence !== 'both') {
      notes.push(runs.presence === 'added' ? 'added cell: only head has runs, nothing to compare' : 'removed cell: only base has runs, nothing to compare');
      return { runs: cell, base, head, latency: null, success: null, metrics: [], notes, unreadable };
    }
    const countCompleted = (side: Side, list: RunLine[], summary: SideSummary) => {
      if (list.length === 0) notes.push(`no counted ${side} run (only warm-up or attribution runs)`);
      else if (summary.ok === 0) notes.push(`all ${side} runs failed (${list.length} of ${list.length}): latency cannot be compared`);
      return summary.ok;
    };
    const baseOk = countCompleted('base', runs.base, base);
    const headOk = countCompleted('head', runs.head, head);

    let latency: ShiftTest | null = null;
    if (baseOk > 0 && headOk > 0) {
      const pairing = pairByRound(runs.base, runs.head);
      // The rounds' latencies side by side; the pairs themselves only when the paired test reads them.
      const pairedBase = pairing.pairs.map((p) => p.base.latencyMs as number);
      const pairedHead = pairing.pairs.map((p) => p.head.latencyMs as number);
      const noise = pairing.paired ? sidesShareNoise(pairedBase, pairedHead) : undefined;
      latency = testShift(
        noise?.shared
          ? { paired: true, pairs: pairedBase.map((base, i) => ({ base, head: pairedHead[i]! })) }
          : { paired: false, base: latenciesOfCompleted(runs.base), head: latenciesOfCompleted(runs.head) },
        { boundLevel },
      );
      if (noise?.shared) {
        const dropped = runs.base.length - pairing.pairs.length;
        if (dropped > 0) notes.push(`${dropped} round${dropped === 1 ? '' : 's'} left out of the paired test: a side did not complete`);
      } else if (noise && pairedBase.length < 4) {
        notes.push(`${pairedBase.length} round${pairedBase.length === 1 ? '' : 's'} completed on both sides, too few to pair: unpaired test`);
      } else if (noise) {
        notes.push(`unpaired test: rounds share no clear noise (Spearman r ${noise.r.toFixed(2)}, ${pairedBase.length} rounds)`);
      } else if (runs.base.some((r) => r.round !== undefined) && runs.head.some((r) => r.round !== undefined)) {
        notes.push('the sides ran different rounds: unpaired test');
      }
      if (latency?.degenerate) notes.push(`${latency.degenerate}: no latency change`);
      if (latency?.rangeInterval) notes.push('too few runs for a 90% interval: the interval shown is the range of the data');
      if (latency?.farOut) notes.push(farOutNote(latency.farOut, latency.test === 'wilcoxon-signed-rank'));
    }
    const success =
      gate.successRate && runs.base.length > 0 && runs.head.length > 0
        ? testSuccess({ ok: baseOk, total: runs.base.length }, { ok: headOk, total: runs.head.length })
        : null;
    return { runs: cell, base, head, latency, success, metrics: testCellMetrics(runs, specs, boundLevel), notes, unreadable };
  };
}

/** "1 far-out run (head) set aside from the latency test: …" — which runs the test left out, and why that is fair. */
function farOutNote(farOut: NonNullable<ShiftTest['farOut']>, paired: boolean): string {
  const count = farOut.base + farOut.head;
  const sides = (suffix: string) =>
    [farOut.base > 0 ? `${farOut.base} base${suffix}` : '', farOut.head > 0 ? `${farOut.head} head${suffix}` : ''].filter(Boolean).join(', ');
  return paired
    ? `${count} far-out round${count === 1 ? '' : 's'} (${sides(' slower')}) set aside from the latency test: head/base ratio beyond 3 interquartile ranges of the rounds' ratios (at most 1 round in 10 may be)`
    : `${count} far-out run${count === 1 ? '' : 's'} (${sides('')}) set aside from the latency test: beyond 3 interquartile ranges of both sides' log latencies (at most 1 run in 10 may be)`;
}

function waterfallOfCell(runs: CellRuns, waterfallOf: WaterfallOf): CellReport['waterfall'] {
  const has = (id: string) => waterfallOf(id) !== undefined;
  const base = medianRunWithSpans(runs.base, has);
  const head = medianRunWithSpans(runs.head, has);
  if (!base && !head) return undefined;
  return { base: base ? waterfallOf(base.id)! : [], head: head ? waterfallOf(head.id)! : [] };
}

/** The latency of every completed run, in file order, as the unpaired test reads them. */
function latenciesOfCompleted(runs: RunLine[]): number[] {
  // Counted first, then filled: an array of the right length, not one grown by push (twice, for 20 runs).
  let count = 0;
  for (let i = 0; i < runs.length; i++) if (runs[i]!.status === 'completed') count++;
  const latencies = new Array<number>(count);
  let next = 0;
  for (let i = 0; i < runs.length; i++) if (runs[i]!.status === 'completed') latencies[next++] = runs[i]!.latencyMs as number;
  return latencies;
}

/** The cell's tests that may join the family: latency, success when testable, every metric test that ran (gated or not: README "Metrics"). */
function familyTestsOf(w: CellWork): CellTests {
  return {
    // A rank test's smallest possible p given its pooled values is 1 when they are all equal (Tarone: it cannot
    // reject, so it leaves the family): a metric that never changes, such as a fixed cost, takes no α.
    ...(w.latency ? { latency: { p: w.latency.p, pOther: w.latency.pFaster, minP: w.latency.degenerate ? 1 : 0 } } : {}),
    ...(w.success?.testable ? { success: { p: w.success.p, pOther: w.success.pFewer, minP: w.success.minP } } : {}),
    metrics: w.metrics.map((m) => (m.test ? { p: m.pWorse, pOther: m.pBetter, minP: m.test.degenerate ? 1 : 0 } : undefined)),
  };
}

function latencyResult(
  test: ShiftTest,
  adjusted: { q: number; qOther: number },
  baseMedianMs: number,
  headMedianMs: number,
  gate: GateSettings,
  alpha: number,
  boundLevel: number,
): LatencyResult {
  const { verdict, reason } = latencyVerdict(
    {
      ratio: test.ratio,
      ciLow: test.ciLow,
      ciHigh: test.ciHigh,
      ruledOutAbove: test.ruledOutAbove,
      boundLevel,
      q: adjusted.q,
      qFaster: adjusted.qOther,
      baseMedianMs,
      headMedianMs,
      ...(test.farOut ? { farOut: test.farOut } : {}),
    },
    gate,
    alpha,
  );
  return {
    test: test.test,
    method: test.method,
    n: test.n,
    ...(test.farOut ? { farOut: test.farOut } : {}),
    ratio: test.ratio,
    ciLow: test.ciLow,
    ciHigh: test.ciHigh,
    p: test.p,
    q: adjusted.q,
    verdict,
    reason,
    ...(Number.isFinite(test.ruledOutAbove) ? { ruledOut: { above: test.ruledOutAbove, level: boundLevel } } : {}),
  };
}

function successResult(test: SuccessTest, q: number, gate: GateSettings, alpha: number, final: boolean, share = 0): SuccessResult {
  const { verdict, reason } = successVerdict({ q, pFewer: test.pFewer, newFailures: test.newFailures, final }, gate, alpha);
  const own = share > 0 ? `, at its own ${formatShare(share)} of α` : '';
  return { test: test.test, base: test.base, head: test.head, newFailures: test.newFailures, p: test.p, q, ...(share > 0 ? { alphaShare: share } : {}), verdict, reason: reason + own };
}

/** "half", "a third", else a percentage. */
function formatShare(share: number): string {
  if (Math.abs(share - 0.5) < 1e-9) return 'half';
  if (Math.abs(share - 1 / 3) < 1e-9) return 'third';
  return `${Number((share * 100).toPrecision(3))}% share`;
}

/** The success test over every compared cell's counted runs: Barnard's, which sees sparse new failures sooner (docs/statistics.md, "Flaky runs"). */
function pooledSuccessOf(cells: CellWork[]): SuccessTest | null {
  return testSuccess(
    { ok: sum(cells, (c) => c.base.ok), total: sum(cells, (c) => c.base.runs) },
    { ok: sum(cells, (c) => c.head.ok), total: sum(cells, (c) => c.head.runs) },
    'barnard',
  );
}

function tailResult(tail: { p: number; base: number; head: number }, at: { q: number; alpha: number; share: number }): TailResult {
  const counts = `${tail.head} slow far-out run${tail.head === 1 ? '' : 's'} on head, ${tail.base} on base`;
  const { q, alpha } = at;
  const regression = q <= alpha;
  if (at.share > 0) {
    // At its own share of α: q = p / share against the look's α, i.e. p against its own level.
    const level = formatQ(alpha * at.share);
    return {
      test: 'far-out-sides',
      base: tail.base,
      head: tail.head,
      p: tail.p,
      q,
      alphaShare: at.share,
      verdict: regression ? 'regression' : 'unchanged',
      reason: `${counts}: p ${formatQ(tail.p)} ${regression ? '≤' : '>'} ${level} (its own ${formatShare(at.share)} of α)${regression ? ", head's slow tail grew" : ''}`,
    };
  }
  return {
    test: 'far-out-sides',
    base: tail.base,
    head: tail.head,
    p: tail.p,
    q,
    verdict: regression ? 'regression' : 'unchanged',
    reason: regression ? `${counts}: q ${formatQ(q)} ≤ ${formatQ(alpha)}, head's slow tail grew` : `${counts}: q ${formatQ(q)} > ${formatQ(alpha)}`,
  };
}

function formatQ(x: number): string {
  return x === 0 ? '0' : Number(x.toPrecision(2)).toString();
}

function stopReason(verdict: CellVerdict, rounds: number, presence: CellRuns['presence'], looks: number[] | undefined, notes: string[]): CellReport['stop'] {
  if (!looks || presence !== 'both') return 'not-adaptive';
  const last = Math.max(...looks);
  if (looks.length === 1) return 'fixed';
  if (verdict !== 'inconclusive') return 'decided';
  if (rounds >= last) return 'max-rounds';
  notes.push(`stopped after ${rounds} of ${last} rounds before the verdict was decided`);
  return 'fixed';
}
