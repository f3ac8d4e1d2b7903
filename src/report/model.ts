/**
 * The report (`frametail.report/1`, DESIGN §7): what `compare` produces and every renderer reads
 * (markdown comment, job summary, check run, HTML, terminal, JSON). Fields beyond DESIGN §7 are
 * additions; nothing DESIGN names is renamed.
 */
import type { CodeLocation } from '../traces/span.js';
import type { WaterfallBar } from '../traces/waterfall.js';

export const REPORT_SCHEMA = 'frametail.report/1';

export type CellVerdict = 'regression' | 'improvement' | 'unchanged' | 'inconclusive';
export type PrVerdict = 'fail' | 'pass' | 'inconclusive';

export interface SideSummary {
  /** Counted runs (warm-up and attribution runs excluded). */
  runs: number;
  ok: number;
  failed: number;
  timeout: number;
  /** Median latency of completed runs; null when none completed. */
  medianMs: number | null;
  /** 90th percentile of completed runs' latency (linear interpolation, numpy's default); set by compare. */
  p90Ms?: number | null;
  /** Latencies of completed runs in round order, for plots. */
  samplesMs: number[];
  /** Completed runs per latency source (`root`, `span:<name>`, `wall`), when the run lines recorded it. */
  latencySources?: Record<string, number>;
}

export interface LatencyResult {
  test: 'wilcoxon-signed-rank' | 'mann-whitney';
  method: 'exact' | 'asymptotic';
  /** Pairs (paired) or runs per side (unpaired) that entered the test. */
  n: { base: number; head: number; pairs?: number };
  /**
   * Rare far-out runs (paired: rounds) set aside before the test, by the side that was slow (Tukey's
   * 3·IQR fences on log latency, at most one value in ten); absent when none was.
   */
  farOut?: { base: number; head: number };
  /** Hodges–Lehmann ratio head/base with its exact 90% interval. */
  ratio: number;
  ciLow: number;
  ciHigh: number;
  /** One-sided p (head slower), and the Benjamini–Hochberg q over the PR. */
  p: number;
  q: number;
  verdict: CellVerdict;
  /** Why the verdict is what it is, in words ("q 0.003 ≤ 0.05 and +23% ≥ 5%"). */
  reason: string;
  /**
   * The smallest slowdown the data rule out: head/base ratios above `above` are excluded at one-sided level
   * `level` (the level is adjusted for the adaptive looks). The `unchanged` verdict needs `above` < 1 + min-change.
   * Absent when too few runs rule any slowdown out.
   */
  ruledOut?: { above: number; level: number };
  /** For an inconclusive cell: about how many more rounds would likely settle it (see docs/statistics.md, "Honest green"). */
  roundsToSettle?: number;
}

/** The matrix-level tail test: slow far-out runs by side over every compared cell (stats/far-out-sides.ts). */
export interface TailResult {
  test: 'far-out-sides';
  /** Slow far-out runs (paired cells: rounds) per side. */
  base: number;
  head: number;
  p: number;
  q: number;
  /**
   * Share of `gate.alpha` the test had at its own level, outside the cells' family (q = p / share); absent
   * when it was a member of the cells' family or could not reach its level (docs/statistics.md, "Multiplicity").
   */
  alphaShare?: number;
  verdict: CellVerdict;
  reason: string;
}

export interface SuccessResult {
  /**
   * Boschloo's exact test per cell; Barnard's (pooled-variance Wald statistic) for the matrix's pooled test; Fisher's
   * for either above 4,000 runs on both sides together (`UNCONDITIONAL_MAX_RUNS`).
   */
  test: 'boschloo' | 'barnard' | 'fisher';
  base: { ok: number; total: number; rate: number; ciLow: number; ciHigh: number };
  head: { ok: number; total: number; rate: number; ciLow: number; ciHigh: number };
  newFailures: number;
  p: number;
  q: number;
  /** Pooled test only: its share of `gate.alpha` at its own level, as `TailResult.alphaShare`. */
  alphaShare?: number;
  verdict: CellVerdict;
  reason: string;
}

/**
 * One metric of a cell besides latency (README "Metrics"): own time, model time, or a metric the pipeline
 * reports. Tested like latency, one-sided in the metric's bad direction; `ratio` is head/base.
 */
export interface MetricResult {
  /** `ownMs`, `modelMs`, or the configured name. */
  name: string;
  label: string;
  unit: string;
  direction: 'lower' | 'higher';
  /** Whether a regression of this metric fails the cell. */
  gate: boolean;
  /** Values of completed runs (samples in file order) and completed runs that gave none. */
  base: { n: number; missing: number; median: number | null; samples: number[] };
  head: { n: number; missing: number; median: number | null; samples: number[] };
  test?: LatencyResult['test'];
  method?: LatencyResult['method'];
  /** null when a side has no value to test. */
  ratio: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  p: number | null;
  q: number | null;
  verdict: CellVerdict;
  reason: string;
  /** false for model time when the base came from another time (baseline: artifact). */
  comparable?: false;
}

export interface SpanComparison {
  path: string;
  name: string;
  baseMs: number;
  headMs: number;
  deltaMs: number;
  /** Hodges–Lehmann ratio head/base; null for a path on one side only (absent = 0 ms), judged on deltaMs. */
  ratio: number | null;
  /** Set when the path was seen on one side only: a new operation (`head-only`) or a removed one (`base-only`). */
  presence?: 'head-only' | 'base-only';
  /** Change of this path's critical-path time, head − base (ranking key). */
  criticalDeltaMs: number;
  p: number | null;
  q: number | null;
  onCriticalPath: boolean;
  verdict: CellVerdict;
  code?: CodeLocation;
  /** Where the span data came from: coarse runs, or fine attribution re-runs. */
  granularity: 'coarse' | 'fine';
}

export interface CellReport {
  input: string;
  variant: string;
  /** present on both sides, or added/removed between base and head. */
  presence: 'both' | 'added' | 'removed';
  base: SideSummary;
  head: SideSummary;
  /** null when there is nothing to test (e.g. no completed run on a side). */
  latency: LatencyResult | null;
  success: SuccessResult | null;
  /** The cell's overall verdict: worst of latency, success and the gated metrics. */
  verdict: CellVerdict;
  /** Own time, model time and configured metrics, when any run reported them. */
  metrics?: MetricResult[];
  spans: SpanComparison[];
  /** Rounds that ran per side, and why the adaptive looks stopped. */
  rounds: number;
  stop: 'decided' | 'max-rounds' | 'fixed' | 'not-adaptive';
  /** 1-based line of the cell's input in the config file, for annotations. */
  configLine?: number;
  notes: string[];
  /** Spans of each side's median run, for the HTML waterfall (filled for regressed and failed cells). */
  waterfall?: { base: WaterfallSpan[]; head: WaterfallSpan[] };
}

/** One bar of a run's waterfall (offset from the root's start and duration in ms): traces/waterfall.ts builds them. */
export type WaterfallSpan = WaterfallBar;

export interface ReportExperiment {
  id: string;
  name: string;
  description: string;
  configuration: Record<string, string | number | boolean>;
  dimension: { name: string; variants: { id: string; label: string }[] };
  inputs: { id: string; prompt: string }[];
  configFile?: string;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  verdict: PrVerdict;
  summary: {
    cells: number;
    regression: number;
    improvement: number;
    unchanged: number;
    inconclusive: number;
    added: number;
    removed: number;
  };
  experiment: ReportExperiment;
  sides: {
    base: { ref: string | null; sha: string | null; runs: number };
    head: { ref: string | null; sha: string | null; runs: number };
  };
  /** Success rate pooled over the matrix. */
  pooledSuccess: SuccessResult | null;
  /** Slow far-out runs by side over the matrix; absent when compare found none (or an older report). */
  pooledTail?: TailResult | null;
  gate: {
    alpha: number;
    minChange: number;
    minAbsMs: number;
    looks: number[];
    /**
     * α of the cells' family at the last look (a cell that ran the whole schedule); when not adaptive, `alpha`
     * less the shares of the matrix-level tests that had their own (`alphaShare`).
     */
    perLookAlpha: number;
    /** α of every look, in increasing order of rounds, when the rounds came from the adaptive loop. */
    lookAlphas?: number[];
    failOn: string[];
    /** The opt-in guard rail; null when off (the default). */
    maxNewFailures: number | null;
  };
  cells: CellReport[];
  /** Problems in the inputs that did not stop the comparison (line numbers where known). */
  warnings: string[];
  /**
   * Set by the GitHub adapter: the pull request reported on. Its head is where the check run and the
   * links point; `sides.head.sha` is what was measured (often the test-merge commit of head and base).
   */
  pullRequest?: { number: number; headSha: string };
  /** Set by the GitHub adapter when a reviewer accepted the regression with the label. */
  accepted?: { label: string; by: string | null };
}
