import { createHash, timingSafeEqual } from 'node:crypto';
import { decodeOtlpJson } from './otlp/json.js';
import { decodeOtlpProto } from './otlp/proto.js';
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

export interface IngestOptions {
  granularityOf?: (runId: string) => 'coarse' | 'fine' | undefined;
  runIdForTrace?: (traceId: string) => string | undefined;
  remoteParentOf?: (runId: string) => string | undefined;
  isModelSpan?: (span: Span) => boolean;
  onSpans: (runId: string | null, spans: Span[]) => void;
  maxSpansPerRequest: number;
}

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

  constructor(
    private readonly options: IngestOptions,
    private readonly stats: IngestStats,
  ) {
    this.coarse = new CoarseRuns(this.deliver, (n) => (stats.dropped += n), options.remoteParentOf, options.isModelSpan);
  }

  private readonly deliver = (runId: string | null, spans: Span[]): void => {
    if (spans.length === 0) return;
    this.stats.accepted += spans.length;
    this.options.onSpans(runId, spans);
  };

  /** One ExportTraceServiceRequest body (already inflated). */
  body(encoding: Encoding, body: Buffer): PartialSuccess | undefined {
    const warnings: TraceWarning[] = [];
    const limits = { maxSpans: this.options.maxSpansPerRequest };
    let groups: ResourceSpanGroup[];
    try {
      groups =
        encoding === 'json'
          ? decodeOtlpJson(body.toString('utf8'), warnings, 'request', limits)
          : decodeOtlpProto(body, warnings, 'request', limits);
    } catch (error) {
      if (error instanceof SpanLimitError) {
        throw new RejectError('too-large', `${error.message}; lower the exporter's batch size (OTEL_BSP_MAX_EXPORT_BATCH_SIZE)`);
      }
      throw new RejectError('invalid', (error as Error).message);
    }
    for (const [runId, spans] of attribute(groups, this.options.runIdForTrace)) {
      if (runId !== null && this.options.granularityOf?.(runId) === 'coarse') this.coarse.add(runId, spans);
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
