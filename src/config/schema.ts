import { z } from 'zod';
import { parseDurationMs } from './duration.js';

/** One key of the pinned configuration, or one optional field of an input. */
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Ranges of the limits a config sets, checked at load: a typo must not plan a billion runs. */
export const LIMITS = {
  /** 1 ms .. 365 days; timers beyond Node's 24.8-day maximum are waited out in steps. */
  durationMs: { min: 1, max: 365 * 24 * 3_600_000 },
  warmup: { min: 0, max: 1000 },
  look: { min: 2, max: 10_000 },
  looks: 20,
  concurrency: { min: 1, max: 256 },
  maxBodyBytes: { min: 1024, max: 1024 * 1024 * 1024 },
  inputs: 10_000,
  variants: 1000,
  /** Runs of one bench job: cells × (warm-up + last look) × 2 sides. */
  plannedRuns: 1_000_000,
} as const;

const duration = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const ms = parseDurationMs(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${String(value)}" is not a duration (use 500ms, 30s, 2m, 1h or a number of ms)` });
      return z.NEVER;
    }
    if (ms < LIMITS.durationMs.min || ms > LIMITS.durationMs.max) {
      ctx.addIssue({ code: 'custom', message: `"${String(value)}" is out of range (1ms to 8760h)` });
      return z.NEVER;
    }
    return ms;
  });

/** A whole number in [min, max], with a message that says so. */
const whole = (min: number, max: number) =>
  z
    .number()
    .refine(Number.isInteger, { message: 'must be a whole number', abort: true })
    .refine((n) => n >= min && n <= max, { message: `must be between ${min} and ${max}` });

const slug = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" or "-" (it names the cell in files and URLs)');

/** argv form (no shell), or `{ shell: "…" }` as an explicit opt-in. */
const command = z.union([
  z.array(z.string()).min(1, 'the command needs at least the program to run'),
  z.object({ shell: z.string().min(1) }).strict(),
]);

export const variantSchema = z
  .object({
    id: slug.optional().describe('Stable id used in files and placeholders; derived from the label when left out.'),
    label: z.string().min(1).describe('What the column shows, e.g. "Wide shot".'),
  })
  .strict();

export const inputSchema = z
  .object({
    id: slug.optional().describe('Stable id of the row; derived from the prompt when left out.'),
    prompt: z.string().min(1).describe('The prompt sent to the pipeline.'),
  })
  .catchall(scalar)
  .describe('One row of the matrix: a prompt plus optional fields, each usable as {input.<field>}.');

export const granularitySchema = z.enum(['coarse', 'fine', 'adaptive']);

export const latencySourceSchema = z
  .string()
  .regex(/^(wall|root|span:.+)$/, 'use "wall", "root" or "span:<span name>"');

/** A metric the pipeline reports (README "Metrics"): where its value comes from and how it is judged. */
export const metricSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'use a letter, then letters, digits, ".", "_" or "-"')
      .max(64)
      .describe('How reports, the metrics file and the run line name it, e.g. "cost".'),
    unit: z.string().max(16).default('').describe('Shown after values, e.g. "USD", "MB", "tokens".'),
    direction: z.enum(['lower', 'higher']).default('lower').describe('Which way is better: lower (cost, memory) or higher (a quality score).'),
    'min-change': z.number().min(0).optional().describe('Relative change that matters for this metric (default: gate.min-change).'),
    gate: z.boolean().default(false).describe('Fail the pull request when this metric regresses.'),
    'span-attribute': z
      .object({
        name: z.string().min(1).max(256).describe('Numeric span attribute, e.g. gen_ai.usage.output_tokens.'),
        aggregate: z.enum(['sum', 'max', 'last']).default('sum').describe('Over the spans of a run that carry it; last = the span that ended last.'),
        span: z.string().min(1).max(256).optional().describe('Only spans with this name (* and ? are wildcards).'),
      })
      .strict()
      .optional(),
    file: z.literal(true).optional().describe('The run writes {"name","value","unit"} lines to $FRAMETAIL_METRICS_FILE.'),
    builtin: z.enum(['peak-rss']).optional().describe('peak-rss: peak resident memory of the run\'s process tree, sampled by Frametail (MB).'),
  })
  .strict()
  .superRefine((metric, ctx) => {
    const sources = (['span-attribute', 'file', 'builtin'] as const).filter((key) => metric[key] !== undefined);
    if (sources.length !== 1) {
      ctx.addIssue({ code: 'custom', message: sources.length === 0 ? 'needs a source: span-attribute, file: true or builtin: peak-rss' : `has ${sources.join(' and ')}: give exactly one source` });
    }
  });

/** Names the run line and reports use for the built-in time split; a configured metric cannot take them. */
export const RESERVED_METRIC_NAMES = ['latency', 'success', 'ownMs', 'modelMs'] as const;

export const metricsSchema = z
  .array(metricSchema)
  .max(32, 'at most 32 metrics')
  .superRefine((metrics, ctx) => {
    const seen = new Set<string>();
    metrics.forEach((metric, index) => {
      if ((RESERVED_METRIC_NAMES as readonly string[]).includes(metric.name)) {
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `"${metric.name}" is built in; pick another name` });
      } else if (seen.has(metric.name)) {
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate metric name "${metric.name}"` });
      }
      seen.add(metric.name);
    });
  });

export const failOnSchema = z.enum(['regression', 'inconclusive', 'never']);

export const configSchema = z
  .object({
    experiment: z
      .object({
        id: z.string().regex(/^exp_[0-9a-f]{12}$/, 'an experiment id looks like exp_ followed by 12 hex digits').optional(),
        name: z.string().min(1),
        description: z.string().default(''),
      })
      .strict(),
    configuration: z
      .record(z.string(), scalar)
      .default({})
      .describe('Pinned settings every run gets, e.g. model and aspect-ratio; usable as {config.<key>}.'),
    dimension: z
      .object({
        name: z.string().min(1).describe('The A/B dimension under test, e.g. "Camera".'),
        variants: z.array(variantSchema).min(1, 'a dimension needs at least one variant').max(LIMITS.variants, `at most ${LIMITS.variants} variants`),
      })
      .strict(),
    inputs: z.array(inputSchema).min(1, 'the matrix needs at least one input').max(LIMITS.inputs, `at most ${LIMITS.inputs} inputs`),
    run: z
      .object({
        command: command.describe('argv array; {input.prompt}, {input.<field>}, {variant.id}, {variant.label}, {config.<key>} are substituted.'),
        setup: command.optional().describe('Runs once per side checkout before any run; never timed.'),
        cwd: z.string().default('.'),
        env: z.record(z.string(), z.string()).default({}),
        timeout: duration.default(120_000).describe('Per run; the whole process group is killed after it.'),
        'setup-timeout': duration.default(600_000),
        warmup: whole(LIMITS.warmup.min, LIMITS.warmup.max).default(1).describe('Uncounted runs per cell and side before round 1 (0 to 1000).'),
        concurrency: whole(LIMITS.concurrency.min, LIMITS.concurrency.max).default(1).describe('Runs in flight at once (1 to 256).'),
        latency: latencySourceSchema.default('root').describe('root span duration, wall time, or span:<name>.'),
      })
      .strict(),
    tracing: z
      .object({
        granularity: granularitySchema.default('coarse'),
        'max-body-bytes': whole(LIMITS.maxBodyBytes.min, LIMITS.maxBodyBytes.max).default(16 * 1024 * 1024).describe('1 KiB to 1 GiB.'),
        'model-spans': z
          .array(z.string().min(1).max(256))
          .max(64)
          .default([])
          .describe('Span names (* and ? are wildcards) that are model/provider time, besides spans with gen_ai.* attributes.'),
      })
      .strict()
      .default({ granularity: 'coarse', 'max-body-bytes': 16 * 1024 * 1024, 'model-spans': [] }),
    gate: z
      .object({
        alpha: z.number().gt(0).lt(1).default(0.018).describe('Share of unchanged pull requests the gate may fail (Benjamini–Hochberg level over the tests that can reject).'),
        'min-change': z.number().min(0).max(10).default(0.05).describe('Relative change that matters: 0.05 is 5%.'),
        'min-abs-ms': z.number().min(0).max(LIMITS.durationMs.max).default(0),
        looks: z
          .array(whole(LIMITS.look.min, LIMITS.look.max))
          .min(1)
          .max(LIMITS.looks, `at most ${LIMITS.looks} looks`)
          .refine((looks) => looks.every((n, i) => i === 0 || n > looks[i - 1]!), { message: 'looks must strictly increase, e.g. [5, 10, 20]' })
          .default([5, 10, 20])
          .describe('Rounds per side at which the gate looks, strictly increasing (each 2 to 10000).'),
        'fail-on': z.union([failOnSchema, z.array(failOnSchema)]).default('regression'),
        'max-new-failures': whole(0, 1_000_000)
          .nullable()
          .default(null)
          .describe('Opt-in strict guard: a cell fails when head fails more runs than base by more than this, whatever the test says. Off (null) by default: flaky pipelines would fail unchanged PRs.'),
        'success-rate': z.boolean().default(true),
        'own-time': z.boolean().default(true).describe('Gate on own time (latency minus model spans on the critical path) when model spans are present.'),
      })
      .strict()
      .default({ alpha: 0.018, 'min-change': 0.05, 'min-abs-ms': 0, looks: [5, 10, 20], 'fail-on': 'regression', 'max-new-failures': null, 'success-rate': true, 'own-time': true }),
    metrics: metricsSchema.default([]).describe('Metrics the pipeline reports besides latency (README "Metrics").'),
  })
  .strict();

export type RawConfig = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type Granularity = z.output<typeof granularitySchema>;
export type Command = ParsedConfig['run']['command'];
export type MetricConfig = z.output<typeof metricSchema>;
