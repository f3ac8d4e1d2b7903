/**
 * The one call both entry points (CLI `compare`/`bench` and the action) make: two results files in,
 * a report out. Fills in what the files alone do not say (experiment, task order, config lines) from the
 * config when there is one, and turns each run's span lines into per-path metrics for the span comparison.
 */
import type { Config } from '../config/parse.js';
import { inputError } from '../errors.js';
import type { SpanLine } from '../results/format.js';
import type { ResultsFile } from '../results/read.js';
import type { Report } from '../report/model.js';
import { analyzeRun } from '../traces/analyze.js';
import { fromSpanLine } from '../traces/lines.js';
import type { SpanPathMetrics } from '../traces/span.js';
import { compareResults } from './compare.js';
import { experimentFromConfig, experimentFromResults } from './experiment.js';
import { DEFAULT_GATE, gateFromConfig, type GateSettings } from './settings.js';

export interface CompareSidesOptions {
  config?: Config;
  /** Overrides of the config's gate (e.g. from CLI flags or action inputs). */
  gate?: Partial<GateSettings>;
  /** True when the rounds came from the adaptive loop of `bench`: verdicts use the per-look α. */
  adaptive?: boolean;
}

/** Throws InputError (exit 2) only when neither file holds a single run. */
export function compareSides(base: ResultsFile, head: ResultsFile, options: CompareSidesOptions = {}): Report {
  if (base.runs.length === 0 && head.runs.length === 0) {
    throw inputError({ file: `${base.file} and ${head.file}` }, 'neither results file holds a run line: nothing to compare');
  }
  const gate: GateSettings = { ...(options.config ? gateFromConfig(options.config) : DEFAULT_GATE), ...options.gate };
  const experiment = options.config
    ? experimentFromConfig(options.config)
    : experimentFromResults(head.header?.experiment ?? base.header?.experiment, [...base.runs, ...head.runs]);
  return compareResults({
    base,
    head,
    gate,
    experiment,
    ...(options.config ? { configLines: options.config.source.lines.inputs } : {}),
    cellOrder: { inputs: experiment.inputs.map((i) => i.id), variants: experiment.dimension.variants.map((v) => v.id) },
    spanMetrics: spanMetricsOf([...base.spans, ...head.spans]),
    ...(options.adaptive ? { adaptive: { looks: gate.looks } } : {}),
  });
}

/** Per-run span metrics, analysed on first use: runs without spans cost nothing. */
export function spanMetricsOf(spans: SpanLine[]): (runId: string) => SpanPathMetrics[] | undefined {
  const byRun = new Map<string, SpanLine[]>();
  for (const span of spans) {
    const list = byRun.get(span.run);
    if (list) list.push(span);
    else byRun.set(span.run, [span]);
  }
  const analysed = new Map<string, SpanPathMetrics[]>();
  return (runId) => {
    const lines = byRun.get(runId);
    if (!lines) return undefined;
    let metrics = analysed.get(runId);
    if (!metrics) {
      metrics = analyzeRun(lines.map(fromSpanLine)).metrics;
      analysed.set(runId, metrics);
    }
    return metrics;
  };
}
