/**
 * The metric values of one run, for the run line's `metrics` field (README "File formats"): own time and
 * model time when the run has model spans, and each configured metric from its source. A configured
 * metric with no value in a completed run is listed in `missing`, never recorded as 0.
 */
import type { MetricConfig } from '../config/schema.js';
import { modelCriticalMs, nameGlob, type SpanPredicate } from '../traces/model-spans.js';
import type { Span } from '../traces/span.js';

export interface RunMetricSources {
  metrics: readonly MetricConfig[];
  isModelSpan: SpanPredicate;
  spans: readonly Span[];
  /** The run's recorded latency; null when it did not complete. */
  latencyMs: number | null;
  /** Values read from the run's metrics file (file: true metrics). */
  fileValues?: ReadonlyMap<string, number>;
  /** Peak RSS of the process tree in MB, when sampled. */
  peakRssMb?: number | null;
}

export interface RunMetrics {
  /** Metric name → value; `ownMs` and `modelMs` for the time split. Empty when nothing was measured. */
  values: Record<string, number>;
  /** Configured metrics without a value in this run. */
  missing: string[];
  warnings: string[];
}

/** Warnings about span attributes per run; more are dropped. */
const MAX_WARNINGS = 5;

export function runMetrics(sources: RunMetricSources): RunMetrics {
  const values: Record<string, number> = {};
  const missing: string[] = [];
  const warnings: string[] = [];
  if (sources.latencyMs !== null && sources.spans.length > 0) {
    const modelMs = modelCriticalMs(sources.spans, sources.isModelSpan);
    if (modelMs !== null) {
      values.modelMs = round3(modelMs);
      values.ownMs = round3(Math.max(0, sources.latencyMs - modelMs));
    }
  }
  for (const metric of sources.metrics) {
    let value: number | null | undefined;
    if (metric['span-attribute']) value = spanAttributeValue(sources.spans, metric['span-attribute'], warnings);
    else if (metric.file) value = sources.fileValues?.get(metric.name);
    else if (metric.builtin === 'peak-rss') value = sources.peakRssMb;
    if (value === null || value === undefined) missing.push(metric.name);
    else values[metric.name] = value;
  }
  return { values, missing, warnings: warnings.slice(0, MAX_WARNINGS) };
}

/** sum / max / last of a numeric attribute over the run's spans (optionally only those of a name glob). */
export function spanAttributeValue(
  spans: readonly Span[],
  source: NonNullable<MetricConfig['span-attribute']>,
  warnings: string[] = [],
): number | null {
  const matches = source.span === undefined ? () => true : nameGlob(source.span);
  let result: number | null = null;
  let lastEnd = -1n;
  for (const span of spans) {
    if (!(source.name in span.attributes) || !matches(span.name)) continue;
    const value = numericAttribute(span.attributes[source.name]);
    if (value === null) {
      if (warnings.length < MAX_WARNINGS) warnings.push(`span "${span.name.slice(0, 64)}": attribute ${source.name} is not a finite number; ignored`);
      continue;
    }
    if (result === null) result = source.aggregate === 'sum' ? 0 : value;
    if (source.aggregate === 'sum') result += value;
    else if (source.aggregate === 'max') result = Math.max(result, value);
    else if (span.endNs >= lastEnd) {
      result = value;
      lastEnd = span.endNs;
    }
  }
  return result;
}

/** A finite number from an attribute value: numbers, bigints, and decimal strings (OTLP intValue past 2^53). */
function numericAttribute(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
