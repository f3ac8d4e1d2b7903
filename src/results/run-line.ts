/**
 * The run lines a reader keeps: what compare, resume and the report use (ids, cell, round, status,
 * latency and where it came from, phase, granularity, and for a run that did not complete its exit code and the end of its
 * error). Wall time, trace id and start time are left out: at two million runs per file they would
 * be most of the memory. `fastRunLine` checks the common, valid line by hand (zod costs more than
 * JSON.parse here); anything it does not accept goes through runLineSchema for the exact message.
 */
import type { RunLine } from './format.js';

const SIDES = new Set(['base', 'head']);
const STATUSES = new Set(['completed', 'failed', 'timeout']);
const GRANULARITIES = new Set(['coarse', 'fine']);
const PHASES = new Set(['measure', 'warmup', 'attribution']);
/** Characters of a failed run's error kept (the runner writes at most 2 KB of stderr). */
export const MAX_ERROR_CHARS = 4096;

/** The kept form of a run line already valid by runLineSchema. */
export function slimRunLine(run: RunLine): RunLine {
  const slim: RunLine = {
    type: 'run',
    id: run.id,
    side: run.side,
    input: run.input,
    variant: run.variant,
    round: run.round,
    status: run.status,
    latencyMs: run.latencyMs,
    granularity: run.granularity,
    phase: run.phase,
  };
  if (run.spans !== undefined) slim.spans = run.spans;
  // Where the latency came from, for the cell's notes (compare/latency-source.ts): short, and the same on most runs.
  if (run.latencySource !== undefined) slim.latencySource = run.latencySource;
  if (run.latencyReason !== undefined) slim.latencyReason = run.latencyReason;
  if (run.traceErrors !== undefined) slim.traceErrors = run.traceErrors;
  if (run.metrics !== undefined) slim.metrics = run.metrics;
  if (run.missingMetrics !== undefined) slim.missingMetrics = run.missingMetrics;
  if (run.status !== 'completed') {
    if (run.exitCode !== undefined) slim.exitCode = run.exitCode;
    if (run.error !== undefined) slim.error = typeof run.error === 'string' ? run.error.slice(0, MAX_ERROR_CHARS) : run.error;
  }
  return slim;
}

/** The kept form of `value` when it is a valid run line, else undefined (then ask zod why). */
export function fastRunLine(value: Record<string, unknown>): RunLine | undefined {
  const { id, side, input, variant, round, status, latencyMs, latencySource, latencyReason, traceErrors, wallMs, granularity, phase, traceId, exitCode, error, startedAt, spans, metrics, missingMetrics } = value;
  if (typeof id !== 'string' || id === '' || typeof input !== 'string' || input === '' || typeof variant !== 'string' || variant === '') return undefined;
  if (typeof side !== 'string' || !SIDES.has(side) || typeof status !== 'string' || !STATUSES.has(status)) return undefined;
  if (round !== undefined && !(typeof round === 'number' && Number.isInteger(round) && round >= 0)) return undefined;
  if (latencyMs !== undefined && latencyMs !== null && typeof latencyMs !== 'number') return undefined;
  if (wallMs !== undefined && typeof wallMs !== 'number') return undefined;
  if (granularity !== undefined && !(typeof granularity === 'string' && GRANULARITIES.has(granularity))) return undefined;
  if (phase !== undefined && !(typeof phase === 'string' && PHASES.has(phase))) return undefined;
  if (traceId !== undefined && traceId !== null && typeof traceId !== 'string') return undefined;
  if (exitCode !== undefined && exitCode !== null && !(typeof exitCode === 'number' && Number.isInteger(exitCode))) return undefined;
  if (error !== undefined && error !== null && typeof error !== 'string') return undefined;
  if (startedAt !== undefined && typeof startedAt !== 'string') return undefined;
  if (spans !== undefined && !(typeof spans === 'number' && Number.isInteger(spans) && spans >= 0)) return undefined;
  if (latencySource !== undefined && !(typeof latencySource === 'string' && latencySource.length <= 1000)) return undefined;
  if (latencyReason !== undefined && !(typeof latencyReason === 'string' && latencyReason.length <= 2000)) return undefined;
  if (traceErrors !== undefined && !(Array.isArray(traceErrors) && traceErrors.length <= 20 && traceErrors.every((e) => typeof e === 'string' && e.length <= 1000))) return undefined;
  if (metrics !== undefined && !isNumberRecord(metrics)) return undefined;
  if (missingMetrics !== undefined && !(Array.isArray(missingMetrics) && missingMetrics.length <= 64 && missingMetrics.every((m) => typeof m === 'string'))) return undefined;
  return slimRunLine({
    type: 'run',
    id,
    side: side as RunLine['side'],
    input,
    variant,
    round: round as number | undefined,
    status: status as RunLine['status'],
    latencyMs: latencyMs as number | null | undefined,
    granularity: (granularity ?? 'coarse') as RunLine['granularity'],
    phase: (phase ?? 'measure') as RunLine['phase'],
    exitCode: exitCode as number | null | undefined,
    error: error as string | null | undefined,
    spans: spans as number | undefined,
    latencySource: latencySource as string | undefined,
    latencyReason: latencyReason as string | undefined,
    traceErrors: traceErrors as string[] | undefined,
    metrics: metrics as Record<string, number> | undefined,
    missingMetrics: missingMetrics as string[] | undefined,
  });
}

function isNumberRecord(value: unknown): value is Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const v of Object.values(value)) if (typeof v !== 'number') return false;
  return true;
}
