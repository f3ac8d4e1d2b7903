import { z } from 'zod';

/** Major version readers accept; a file with another major version is rejected with a clear error. */
export const RESULTS_SCHEMA = 'frametail.results/1';

export const sideSchema = z.enum(['base', 'head']);
export type Side = z.infer<typeof sideSchema>;

export const runStatusSchema = z.enum(['completed', 'failed', 'timeout']);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const headerLineSchema = z.object({
  type: z.literal('header'),
  schema: z.string(),
  side: sideSchema,
  ref: z.string().nullable().optional(),
  sha: z.string().nullable().optional(),
  experiment: z.record(z.string(), z.unknown()).optional(),
  env: z.record(z.string(), z.unknown()).optional(),
  startedAt: z.string().optional(),
});
export type HeaderLine = z.infer<typeof headerLineSchema>;

export const runLineSchema = z.object({
  type: z.literal('run'),
  id: z.string().min(1),
  side: sideSchema,
  input: z.string().min(1),
  variant: z.string().min(1),
  /** 1-based round; rounds pair base and head runs. Absent in hand-made files: then runs are unpaired. */
  round: z.number().int().min(0).optional(),
  status: runStatusSchema,
  /** Recorded latency (DESIGN §3 latency source); null when the run did not complete. */
  latencyMs: z.number().nullable().optional(),
  /** Where latencyMs came from: `root`, `span:<name>` or `wall` (absent in files from before it was recorded). */
  latencySource: z.string().max(1000).optional(),
  /** Why that source, in words ("root span \"generate\"", "no spans arrived; trace file x.json: invalid JSON…"). */
  latencyReason: z.string().max(2000).optional(),
  /** Trace files of the run that could not be read, "name: why" (the cell's notes flag them). */
  traceErrors: z.array(z.string().max(1000)).max(20).optional(),
  /** Wall time of the process, always measured. */
  wallMs: z.number().optional(),
  granularity: z.enum(['coarse', 'fine']).default('coarse'),
  /** Why the run happened: counted round, uncounted warm-up, or a fine re-run for attribution. */
  phase: z.enum(['measure', 'warmup', 'attribution']).default('measure'),
  traceId: z.string().nullable().optional(),
  exitCode: z.number().int().nullable().optional(),
  error: z.string().nullable().optional(),
  startedAt: z.string().optional(),
  /** Span lines the writer wrote after this line; a resume re-runs a run with fewer (cut short by a kill). */
  spans: z.number().int().min(0).optional(),
  /** Metric values of the run (README "Metrics"): `ownMs` and `modelMs` when it had model spans, and configured metrics by name. */
  metrics: z.record(z.string(), z.number()).optional(),
  /** Configured metrics the run gave no value for (counted in the report, never taken as 0). */
  missingMetrics: z.array(z.string()).max(64).optional(),
});
export type RunLine = z.infer<typeof runLineSchema>;

export const spanLineSchema = z.object({
  type: z.literal('span'),
  run: z.string(),
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().nullable().optional(),
  name: z.string(),
  /** Nanoseconds since the epoch as decimal strings: JSON numbers lose precision past 2^53. */
  startNs: z.string().regex(/^\d+$/),
  endNs: z.string().regex(/^\d+$/),
  status: z.enum(['unset', 'ok', 'error']).default('unset'),
  attributes: z.record(z.string(), z.unknown()).default({}),
});
export type SpanLine = z.infer<typeof spanLineSchema>;

/** Written last by a run that finished its plan; a file without it was interrupted (resume continues it). */
export const footerLineSchema = z.object({
  type: z.literal('footer'),
  complete: z.boolean(),
  runs: z.number().int().min(0),
  finishedAt: z.string().optional(),
});
export type FooterLine = z.infer<typeof footerLineSchema>;

export type ResultsLine = HeaderLine | RunLine | SpanLine | FooterLine;
