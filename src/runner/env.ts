/**
 * The environment of one run (DESIGN §3): who it is (experiment, cell, side, round), how much to
 * trace, and where to send traces so every span can be tied back to its run.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/parse.js';
import type { PlannedRun } from '../plan/plan.js';

/**
 * Variables that carry the action's own credentials or write into the workflow (outputs, the next
 * steps' environment): the measured code (a PR's code) never sees them. `run.env` sets anything the
 * pipeline needs explicitly; it is laid over the stripped environment.
 */
const CREDENTIALS = [
  /^INPUT_/, // action inputs, github-token among them
  /^ACTIONS_RUNTIME_/, // artifact and cache service token and URL
  /^ACTIONS_ID_TOKEN_REQUEST_/, // OIDC token requests
  /^ACTIONS_RESULTS_URL$/,
  /^ACTIONS_CACHE_/,
  /^(GITHUB|GH|GH_ENTERPRISE|GITHUB_ENTERPRISE)_TOKEN$/,
  /^GITHUB_(OUTPUT|ENV|PATH|STATE|STEP_SUMMARY)$/, // workflow command files: outputs and later steps' env
];

/** Whether `name` is one of the action's credentials or workflow command files (see CREDENTIALS). */
export function isCredential(name: string): boolean {
  return CREDENTIALS.some((pattern) => pattern.test(name.toUpperCase()));
}

/** `env` without the action's credentials: the base of every measured command's environment (setup and runs). */
export function measuredEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !isCredential(name)));
}

/** The built-in OTLP receiver of this job. */
export interface ReceiverAddress {
  /** Base url, e.g. http://127.0.0.1:43817 */
  url: string;
  /** The traces endpoint, `${url}/v1/traces`. */
  endpoint: string;
  token: string;
}

/** Ids of the W3C trace context a run starts in: one fresh trace per run. */
export interface TraceContext {
  traceId: string;
  parentSpanId: string;
}

/** A fresh trace id (16 random bytes) and parent span id (8 random bytes), lowercase hex. */
export function newTraceContext(random: (bytes: number) => Buffer = randomBytes): TraceContext {
  return { traceId: random(16).toString('hex'), parentSpanId: random(8).toString('hex') };
}

export interface RunEnvOptions {
  /** The environment Frametail itself runs in; its credentials are removed and run.env is laid over it. */
  baseEnv: NodeJS.ProcessEnv;
  config: Pick<Config, 'experiment' | 'configuration' | 'run'>;
  run: PlannedRun;
  traceDir: string;
  trace: TraceContext;
  receiver?: ReceiverAddress;
  /** FRAMETAIL_METRICS_FILE: where the run may write metric lines (README "Metrics"). */
  metricsFile?: string;
}

/**
 * The full environment of one run. Pure: ids, directories and the receiver come in as values.
 * `OTEL_RESOURCE_ATTRIBUTES` keeps what the user set and appends `frametail.run.id`, which the receiver
 * reads to file spans under their run even when the app ignores `TRACEPARENT`.
 */
export function runEnv(options: RunEnvOptions): NodeJS.ProcessEnv {
  const { run, config } = options;
  const env: NodeJS.ProcessEnv = { ...measuredEnv(options.baseEnv), ...config.run.env };
  const resource = env.OTEL_RESOURCE_ATTRIBUTES?.trim();
  Object.assign(env, {
    FRAMETAIL_EXPERIMENT: config.experiment.id,
    FRAMETAIL_INPUT: run.cell.input.id,
    FRAMETAIL_VARIANT: run.cell.variant.id,
    FRAMETAIL_SIDE: run.side,
    FRAMETAIL_ROUND: String(run.round),
    FRAMETAIL_PHASE: run.phase,
    FRAMETAIL_GRANULARITY: run.granularity,
    FRAMETAIL_CONFIG: JSON.stringify(config.configuration),
    FRAMETAIL_TRACE_DIR: options.traceDir,
    FRAMETAIL_RUN_ID: run.id,
    OTEL_RESOURCE_ATTRIBUTES: `${resource ? `${resource},` : ''}frametail.run.id=${encodeURIComponent(run.id)}`,
    TRACEPARENT: `00-${options.trace.traceId}-${options.trace.parentSpanId}-01`,
  });
  env.OTEL_SERVICE_NAME ??= 'frametail-pipeline';
  if (options.metricsFile) env.FRAMETAIL_METRICS_FILE = options.metricsFile;
  if (options.receiver) {
    // The receiver speaks OTLP/HTTP (JSON, protobuf) and OTLP/gRPC on one port, so whichever protocol an SDK
    // picks (OTEL_EXPORTER_OTLP_PROTOCOL if set, else its own default: grpc in Python, http/protobuf in JS)
    // reaches it; the protocol is left alone. The signal-specific variables win over the general ones in
    // every SDK, so both are set: a collector configured in the job's environment must not get the spans.
    const headers = `Authorization=Bearer%20${options.receiver.token}`;
    env.OTEL_EXPORTER_OTLP_ENDPOINT = options.receiver.url;
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = options.receiver.endpoint;
    env.OTEL_EXPORTER_OTLP_HEADERS = headers;
    env.OTEL_EXPORTER_OTLP_TRACES_HEADERS = headers;
  }
  return env;
}
