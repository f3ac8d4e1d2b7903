/**
 * Collects one run's metrics around its process: the metrics file it may write
 * ($FRAMETAIL_METRICS_FILE, beside its trace directory so it is never read as a trace), the peak-memory
 * sampler when a `builtin: peak-rss` metric is configured, and the spans' own time and model time.
 */
import { constants } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/parse.js';
import { modelSpanPredicate } from '../traces/model-spans.js';
import type { Span } from '../traces/span.js';
import { METRICS_FILE_MAX_BYTES, parseMetricsFile } from './metrics-file.js';
import { samplePeakMemory, type PeakMemorySampler } from './peak-memory.js';
import { runMetrics, type RunMetrics } from './run-metrics.js';

export interface CollectingRun {
  metricsFile: string;
  onStart: (pid: number) => void;
  sampler?: PeakMemorySampler;
}

export function startRunMetrics(config: Pick<Config, 'metrics'>, scratchDir: string, runId: string): CollectingRun {
  const collecting: CollectingRun = { metricsFile: join(scratchDir, `${runId}.metrics.jsonl`), onStart: () => {} };
  if (config.metrics.some((m) => m.builtin === 'peak-rss')) collecting.onStart = (pid) => (collecting.sampler = samplePeakMemory(pid));
  return collecting;
}

/** Stops sampling, reads and removes the metrics file, and computes the run's metric values. */
export async function collectRunMetrics(collecting: CollectingRun, config: Pick<Config, 'metrics' | 'tracing'>, spans: readonly Span[], latencyMs: number | null): Promise<RunMetrics> {
  const peakRssMb = collecting.sampler?.stop() ?? null;
  const file = config.metrics.some((m) => m.file) ? await readBounded(collecting.metricsFile) : null;
  await rm(collecting.metricsFile, { force: true });
  const parsed = file ? parseMetricsFile(file.text, 'FRAMETAIL_METRICS_FILE', config.metrics, file.truncated) : undefined;
  const result = runMetrics({
    metrics: config.metrics,
    isModelSpan: modelSpanPredicate(config.tracing['model-spans']),
    spans,
    latencyMs,
    fileValues: parsed?.values,
    peakRssMb,
  });
  return { ...result, warnings: [...(parsed?.warnings ?? []), ...result.warnings] };
}

/**
 * The first METRICS_FILE_MAX_BYTES of a regular file, or null when the run wrote none (or put something
 * else there: a FIFO would block the reader, hence O_NONBLOCK and the check).
 */
async function readBounded(path: string): Promise<{ text: string; truncated: boolean } | null> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (!(await handle.stat()).isFile()) return null;
    const buffer = Buffer.alloc(METRICS_FILE_MAX_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const truncated = bytesRead > METRICS_FILE_MAX_BYTES;
    return { text: buffer.subarray(0, Math.min(bytesRead, METRICS_FILE_MAX_BYTES)).toString('utf8'), truncated };
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}
