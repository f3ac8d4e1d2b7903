/**
 * The one call both entry points (CLI `compare`/`bench` and the action) make: two results files in,
 * a report out. Fills in what the files alone do not say (experiment, task order, config lines) from the
 * config when there is one, and turns each run's span lines into per-path metrics for the span comparison.
 */
import type { Config } from '../config/parse.js';
import { InputError, inputError } from '../errors.js';
import type { SpanLine } from '../results/format.js';
import { runCount, runSourceOf, type ResultsFile } from '../results/read.js';
import type { Report, WaterfallSpan } from '../report/model.js';
import { analyzeRun } from '../traces/analyze.js';
import { fromSpanLine } from '../traces/lines.js';
import type { Span, SpanPathMetrics } from '../traces/span.js';
import { compareResults } from './compare.js';
import { experimentFromConfig, experimentFromResults } from './experiment.js';
import { metricSpecs } from './metrics.js';
import { DEFAULT_GATE, gateFromConfig, type GateSettings } from './settings.js';
import type { SpanMetricsOf } from './spans.js';
import { waterfallFromTree, type WaterfallOf } from './waterfall.js';

export interface CompareSidesOptions {
  config?: Config;
  /** Overrides of the config's gate (e.g. from CLI flags or action inputs). */
  gate?: Partial<GateSettings>;
  /** True when the rounds came from the adaptive loop of `bench`: verdicts use the per-look α. */
  adaptive?: boolean;
  /** False when the base results came from another time (`baseline: artifact`): model time is not comparable. */
  modelComparable?: boolean;
}

/**
 * A head side without a single run is a mistake (a header-only file, an empty file, the wrong path, a
 * job interrupted before its first run), never a passing gate: both the CLI (exit 2) and the action (a
 * failed check naming the file) refuse it with this InputError.
 */
export function requireHeadRuns(head: ResultsFile): void {
  if (runCount(head) > 0) return;
  const what = head.header ? 'holds a header but no run line' : 'holds no run line';
  throw new InputError(`${head.file}: the head file ${what}: nothing to compare (was the run interrupted before its first run, or is it the wrong file?)`);
}

/** Throws InputError (exit 2) only when neither file holds a single run. */
export function compareSides(base: ResultsFile, head: ResultsFile, options: CompareSidesOptions = {}): Report {
  if (runCount(base) === 0 && runCount(head) === 0) {
    throw inputError({ file: `${base.file} and ${head.file}` }, 'neither results file holds a run line: nothing to compare');
  }
  const gate: GateSettings = { ...(options.config ? gateFromConfig(options.config) : DEFAULT_GATE), ...options.gate };
  const experiment = options.config
    ? experimentFromConfig(options.config)
    : experimentFromResults(head.header?.experiment ?? base.header?.experiment, runSourceOf(base), runSourceOf(head));
  return compareResults({
    base,
    head,
    gate,
    experiment,
    ...(options.config ? { configLines: options.config.source.lines.inputs } : {}),
    cellOrder: { inputs: experiment.inputs.map((i) => i.id), variants: experiment.dimension.variants.map((v) => v.id) },
    ...spanAnalysis([...base.spans, ...head.spans]),
    ...(options.adaptive ? { adaptive: { looks: gate.looks } } : {}),
    metrics: metricSpecs(options.config?.metrics ?? [], gate, { ownTime: options.config?.gate['own-time'] ?? true, modelComparable: options.modelComparable ?? true }),
    ...(options.modelComparable === false ? { modelComparable: false } : {}),
  });
}

/**
 * Per-run span metrics and waterfalls, analysed on first use: runs without spans cost nothing, and the
 * span tree (for waterfalls) is only built for the few runs shown. Without a span line at all there is
 * nothing to look up, for any run of any cell.
 */
export function spanAnalysis(spans: SpanLine[]): { spanMetrics?: SpanMetricsOf; waterfallOf?: WaterfallOf } {
  if (spans.length === 0) return {};
  const byRun = new Map<string, Span[]>();
  for (const line of spans) {
    const span = fromSpanLine(line);
    const list = byRun.get(line.run);
    if (list) list.push(span);
    else byRun.set(line.run, [span]);
  }
  const metrics = new Map<string, SpanPathMetrics[]>();
  const waterfalls = new Map<string, WaterfallSpan[]>();
  return {
    spanMetrics: (runId) => {
      const runSpans = byRun.get(runId);
      if (!runSpans) return undefined;
      let result = metrics.get(runId);
      if (!result) metrics.set(runId, (result = analyzeRun(runSpans, { tree: false }).metrics));
      return result;
    },
    waterfallOf: (runId) => {
      const runSpans = byRun.get(runId);
      if (!runSpans) return undefined;
      let result = waterfalls.get(runId);
      if (!result) waterfalls.set(runId, (result = waterfallFromTree(analyzeRun(runSpans).roots)));
      return result;
    },
  };
}
