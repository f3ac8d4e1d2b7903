import { createHash, timingSafeEqual } from 'node:crypto';
import { spanLinesJson } from './lines.js';
import { decodeOtlpJson } from './otlp/json.js';
import { jsonSpanLines } from './otlp/json-lines.js';
import { scanSpanLines } from './otlp/json-scan.js';
import type { RunLines } from './otlp/line-writer.js';
import { decodeOtlpProto } from './otlp/proto.js';
import { protoSpanLines } from './otlp/proto-lines.js';
import { SpanLimitError, type ResourceSpanGroup } from './otlp/request.js';
import { CoarseRuns } from './receiver-coarse.js';
import type { Span, TraceWarning } from './span.js';

/** The resource attribute the runner sets through OTEL_RESOURCE_ATTRIBUTES (DESIGN §3). */
export const RUN_ID_ATTRIBUTE = 'frametail.run.id';

export type Encoding = 'json' | 'protobuf';

/** Why a request was refused; each transport maps it to its own answer (HTTP status, gRPC status code). */
export type RejectReason = 'unauthenticated' | 'not-found' | 'method' | 'too-large' | 'unsupported' | 'invalid' | 'timeout';

export class RejectError extends Error {
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
  }
}

/** A receiver's spans as Span objects, filed by run, coarse runs filtered. */
export interface SpanSink {
  granularityOf?: (runId: string) => 'coarse' | 'fine' | undefined;
  runIdForTrace?: (traceId: string) => string | undefined;
  remoteParentOf?: (runId: string) => string | undefined;
  isModelSpan?: (span: Span) => boolean;
  /** Spans of one run (null: no run could be found). Called synchronously while the request is answered. */
  onSpans: (runId: string | null, spans: Span[]) => void;
}

/** A receiver's spans as results.jsonl span lines, for a receiver that only writes them (`frametail receive`). */
export interface LineSink {
  /**
   * The span lines of one run's spans in a request (`count` lines, each ending in "\n"): the text lines.ts's
   * spanLinesJson(runId, spans) gives, most often written straight from the decode with no Span objects
   * (otlp/json-lines.ts, otlp/proto-lines.ts). The run is the resource's `frametail.run.id`, else null
   * (each line then names its trace id); nothing is filtered.
   */
  onSpanLines: (runId: string | null, lines: string | Uint8Array, count: number) => void;
}

export type IngestOptions = (SpanSink | LineSink) & { maxSpansPerRequest: number };

export interface IngestStats {
  accepted: number;
  dropped: number;
}

/** What a request's sender is told besides success: spans skipped as unparsable (OTLP partial success). */
export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/**
 * The transport-independent half of the receiver: a decoded body becomes spans filed under their run,
 * coarse runs filtered, the counts kept in `stats`. Throws RejectError('invalid' | 'too-large').
 */
export class Ingest {
  private readonly coarse: CoarseRuns;
  private readonly spans: SpanSink | undefined;
  private readonly lines: LineSink | undefined;

  constructor(
    private readonly options: IngestOptions,
    private readonly stats: IngestStats,
  ) {
    if ('onSpanLines' in options) this.lines = options;
    else this.spans = options;
    this.coarse = new CoarseRuns(this.deliver, (n) => (stats.dropped += n), this.spans?.remoteParentOf, this.spans?.isModelSpan);
  }

  private readonly deliver = (runId: string | null, spans: Span[]): void => {
    if (spans.length === 0) return;
    this.stats.accepted += spans.length;
    if (this.lines) this.lines.onSpanLines(runId, spanLinesJson(runId, spans), spans.length);
    else this.spans!.onSpans(runId, spans);
  };

  /** One ExportTraceServiceRequest body (already inflated). */
  body(encoding: Encoding, body: Buffer): PartialSuccess | undefined {
    let text: string | undefined;
    if (this.lines) {
      // The span-line fast paths; whatever they leave (warnings, limits, odd keys, bad bodies) goes the reference way below.
      // JSON: the byte scan (no JSON.parse), then the walk of JSON.parse's result.
      const maxSpans = this.options.maxSpansPerRequest;
      let runs: RunLines[] | undefined;
      if (encoding === 'protobuf') runs = protoSpanLines(body, maxSpans, runOfResource);
      else runs = scanSpanLines(body, maxSpans, runOfResource) ?? jsonSpanLines((text = body.toString('utf8')), maxSpans, runOfResource);
      if (runs) {
        for (const run of runs) {
          this.stats.accepted += run.count;
          this.lines.onSpanLines(run.runId, run.lines, run.count);
        }
        return undefined;
      }
    }
    const warnings: TraceWarning[] = [];
    const limits = { maxSpans: this.options.maxSpansPerRequest };
    let groups: ResourceSpanGroup[];
    try {
      groups =
        encoding === 'protobuf' ? decodeOtlpProto(body, warnings, 'request', limits) : decodeOtlpJson(text ?? body.toString('utf8'), warnings, 'request', limits);
    } catch (error) {
      if (error instanceof SpanLimitError) {
        throw new RejectError('too-large', `${error.message}; lower the exporter's batch size (OTEL_BSP_MAX_EXPORT_BATCH_SIZE)`);
      }
      throw new RejectError('invalid', (error as Error).message);
    }
    for (const [runId, spans] of attribute(groups, this.spans?.runIdForTrace)) {
      if (runId !== null && this.spans?.granularityOf?.(runId) === 'coarse') this.coarse.add(runId, spans);
      else this.deliver(runId, spans);
    }
    const rejected = warnings.filter((w) => w.kind === 'unparsable').length;
    return rejected > 0 ? { rejectedSpans: rejected, errorMessage: warnings[0]!.message } : undefined;
  }

  flushRun(runId: string): void {
    this.coarse.flush(runId);
  }

  flushAll(): void {
    this.coarse.flushAll();
  }
}

/**
 * Groups spans by run: `frametail.run.id` on the resource wins; otherwise each span's trace id is looked up
 * (the run's TRACEPARENT); otherwise null.
 */
export function attribute(groups: ResourceSpanGroup[], runIdForTrace?: (traceId: string) => string | undefined): Map<string | null, Span[]> {
  const byRun = new Map<string | null, Span[]>();
  const push = (runId: string | null, span: Span) => {
    const list = byRun.get(runId);
    if (list) list.push(span);
    else byRun.set(runId, [span]);
  };
  for (const group of groups) {
    const fromResource = group.resource[RUN_ID_ATTRIBUTE];
    for (const span of group.spans) {
      push(typeof fromResource === 'string' && fromResource !== '' ? fromResource : (runIdForTrace?.(span.traceId) ?? null), span);
    }
  }
  return byRun;
}

/** The run a resource names (`frametail.run.id`, a non-empty string), else null. */
function runOfResource(resource: Record<string, unknown>): string | null {
  const fromResource = resource[RUN_ID_ATTRIBUTE];
  return typeof fromResource === 'string' && fromResource !== '' ? fromResource : null;
}

const BEARER = /^[ \t]*bearer[ \t]+([^ \t]+)[ \t]*$/i;

/**
 * A check of `Authorization: Bearer <token>` (HTTP header or gRPC metadata). The scheme is matched
 * case-insensitively (RFC 9110 §11.1); the tokens are compared as SHA-256 digests in constant time, so
 * neither their content nor their length leaks through timing.
 */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (header) => {
    const match = header === undefined ? null : BEARER.exec(header);
    if (!match) return false;
    return timingSafeEqual(createHash('sha256').update(match[1]!).digest(), expected);
  };
}
