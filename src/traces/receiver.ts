import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzip } from 'node:zlib';
import { decodeOtlpJson } from './otlp/json.js';
import { decodeOtlpProto, encodeExportResponse, encodeRpcStatus } from './otlp/proto.js';
import type { ResourceSpanGroup } from './otlp/request.js';
import { CoarseRuns } from './receiver-coarse.js';
import type { Span, TraceWarning } from './span.js';

/** The resource attribute the runner sets through OTEL_RESOURCE_ATTRIBUTES (DESIGN §3). */
export const RUN_ID_ATTRIBUTE = 'frametail.run.id';

export interface ReceiverOptions {
  /** Required as `Authorization: Bearer <token>` (sent by exporters from OTEL_EXPORTER_OTLP_HEADERS). */
  token: string;
  /** Largest accepted body, before and after gzip decompression. */
  maxBodyBytes: number;
  /** Granularity of a run; `coarse` runs keep only the root and its direct children. */
  granularityOf?: (runId: string) => 'coarse' | 'fine' | undefined;
  /** The run whose TRACEPARENT carried this trace id, for spans without `frametail.run.id`. */
  runIdForTrace?: (traceId: string) => string | undefined;
  /**
   * The parent span id in a run's TRACEPARENT. Lets a coarse run's root be recognised on arrival; without
   * it such a run's spans wait for flushRun (or close).
   */
  remoteParentOf?: (runId: string) => string | undefined;
  /** Spans of one run (null: no run could be found). Called synchronously while the request is answered. */
  onSpans: (runId: string | null, spans: Span[]) => void;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
}

export interface ReceiverStats {
  /** Spans handed to onSpans. */
  accepted: number;
  /** Requests answered with 4xx or 5xx. */
  rejected: number;
  /** Spans dropped because their run is coarse and they sat deeper than the root's children. */
  dropped: number;
}

export interface Receiver {
  url: string;
  port: number;
  /** `${url}/v1/traces` */
  endpoint: string;
  /**
   * Hands over the spans of a coarse run still held back because its root has not arrived (or was not
   * recognised: its parent is remote and remoteParentOf was not given). Call when the run's process exited.
   */
  flushRun(runId: string): void;
  /** Flushes every held run, then stops listening. */
  close(): Promise<void>;
  stats(): ReceiverStats;
}

type Encoding = 'json' | 'protobuf';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts the OTLP/HTTP trace receiver on 127.0.0.1 (DESIGN §4): `POST /v1/traces` with
 * `application/json` or `application/x-protobuf`, optionally gzip-encoded, bearer token required, bodies
 * limited to `maxBodyBytes`. Bad requests get 400/401/404/405/413/415 with the reason in the body (JSON, or
 * google.rpc.Status for protobuf requests) and the receiver keeps serving.
 */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const stats: ReceiverStats = { accepted: 0, rejected: 0, dropped: 0 };
  const expected = Buffer.from(`Bearer ${options.token}`);
  const deliver = (runId: string | null, spans: Span[]) => {
    if (spans.length === 0) return;
    stats.accepted += spans.length;
    options.onSpans(runId, spans);
  };
  const coarse = new CoarseRuns(deliver, (n) => (stats.dropped += n), options.remoteParentOf);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      stats.rejected++;
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      sendError(res, status, message, contentTypeOf(req) === 'application/x-protobuf' ? 'protobuf' : 'json');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/v1/traces') throw new HttpError(404, `no such endpoint ${path}; OTLP traces go to /v1/traces`);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new HttpError(405, `method ${req.method} not allowed; use POST`);
    }
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, 'missing or wrong bearer token (OTEL_EXPORTER_OTLP_HEADERS)');
    }
    const type = contentTypeOf(req);
    const encoding: Encoding | undefined =
      type === 'application/json' ? 'json' : type === 'application/x-protobuf' ? 'protobuf' : undefined;
    if (!encoding) throw new HttpError(415, `unsupported content type "${type}"; use application/json or application/x-protobuf`);
    const contentEncoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (contentEncoding !== 'identity' && contentEncoding !== 'gzip') {
      throw new HttpError(415, `unsupported content encoding "${contentEncoding}"; use gzip or none`);
    }
    let body = await readBody(req, options.maxBodyBytes);
    if (contentEncoding === 'gzip') body = await gunzipLimited(body, options.maxBodyBytes);

    const warnings: TraceWarning[] = [];
    let groups: ResourceSpanGroup[];
    try {
      groups = encoding === 'json' ? decodeOtlpJson(body.toString('utf8'), warnings, 'request') : decodeOtlpProto(body, warnings, 'request');
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    for (const [runId, spans] of attribute(groups, options.runIdForTrace)) {
      if (runId !== null && options.granularityOf?.(runId) === 'coarse') coarse.add(runId, spans);
      else deliver(runId, spans);
    }
    sendSuccess(res, encoding, warnings);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    endpoint: `${url}/v1/traces`,
    flushRun: (runId) => coarse.flush(runId),
    stats: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        coarse.flushAll();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
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

/** The body, refusing (413) as soon as it passes `limit` bytes, declared or actual. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new HttpError(413, `body of ${declared} bytes exceeds the limit of ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, `body exceeds the limit of ${limit} bytes`));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** gunzip with the same limit on the inflated size (a small gzip body can inflate to gigabytes). */
function gunzipLimited(body: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: limit }, (error, result) => {
      if (!error) resolve(result);
      else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        reject(new HttpError(413, `decompressed body exceeds the limit of ${limit} bytes`));
      } else reject(new HttpError(400, `invalid gzip body: ${error.message}`));
    });
  });
}

/** 200 with an ExportTraceServiceResponse; spans skipped as unparsable are reported as a partial success. */
function sendSuccess(res: ServerResponse, encoding: Encoding, warnings: TraceWarning[]): void {
  const rejected = warnings.filter((w) => w.kind === 'unparsable').length;
  const partial = rejected > 0 ? { rejectedSpans: rejected, errorMessage: warnings[0]!.message } : undefined;
  if (encoding === 'protobuf') {
    res.writeHead(200, { 'Content-Type': 'application/x-protobuf' });
    res.end(encodeExportResponse(partial));
  } else {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(partial ? { partialSuccess: partial } : {}));
  }
}

/** gRPC status codes OTLP/HTTP error bodies carry. */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 404: 5, 405: 12, 413: 8, 415: 3, 500: 13 };

function sendError(res: ServerResponse, status: number, message: string, encoding: Encoding): void {
  if (res.headersSent) return void res.destroy();
  const code = GRPC_CODE[status] ?? 2;
  const headers: Record<string, string> = status === 413 ? { Connection: 'close' } : {};
  if (encoding === 'protobuf') {
    res.writeHead(status, { ...headers, 'Content-Type': 'application/x-protobuf' });
    res.end(encodeRpcStatus(code, message));
  } else {
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ code, message }));
  }
}
