import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';
import { encodeExportResponse, encodeRpcStatus } from './otlp/proto.js';
import { RejectError, type Encoding, type Ingest, type PartialSuccess, type RejectReason } from './receiver-ingest.js';

export interface HttpOptions {
  ingest: Ingest;
  authorized: (header: string | undefined) => boolean;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  onRejected: () => void;
}

const STATUS: Record<RejectReason, number> = {
  unauthenticated: 401,
  'not-found': 404,
  method: 405,
  'too-large': 413,
  unsupported: 415,
  invalid: 400,
  timeout: 408,
};

/** gRPC status codes OTLP/HTTP error bodies carry. */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 404: 5, 405: 12, 408: 4, 413: 8, 415: 3, 500: 13 };

/**
 * OTLP/HTTP `POST /v1/traces` as an http.Server (receiver.ts makes it listen, and hands HTTP/2 connections
 * to gRPC before this server sees them). Everything but the body is checked first; a request refused
 * before its body was read closes its connection, so a client cannot keep the receiver reading a body nobody
 * wants. A whole request must arrive within `bodyTimeoutMs` (Node answers 408 and closes otherwise).
 */
export function createHttpHandler(options: HttpOptions): Server {
  const server = createServer({ requestTimeout: options.bodyTimeoutMs, headersTimeout: Math.min(options.bodyTimeoutMs, 10_000), connectionsCheckingInterval: 1000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onRejected();
      const status = error instanceof RejectError ? STATUS[error.reason] : 500;
      const message = error instanceof Error ? error.message : String(error);
      sendError(req, res, status, message, contentTypeOf(req) === 'application/x-protobuf' ? 'protobuf' : 'json');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/v1/traces') throw new RejectError('not-found', `no such endpoint ${path}; OTLP traces go to /v1/traces`);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new RejectError('method', `method ${req.method} not allowed; use POST`);
    }
    if (!options.authorized(req.headers.authorization)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new RejectError('unauthenticated', 'missing or wrong bearer token (OTEL_EXPORTER_OTLP_HEADERS)');
    }
    const type = contentTypeOf(req);
    const encoding: Encoding | undefined =
      type === 'application/json' ? 'json' : type === 'application/x-protobuf' ? 'protobuf' : undefined;
    if (!encoding) throw new RejectError('unsupported', `unsupported content type "${type}"; use application/json or application/x-protobuf`);
    const contentEncoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (contentEncoding !== 'identity' && contentEncoding !== 'gzip') {
      throw new RejectError('unsupported', `unsupported content encoding "${contentEncoding}"; use gzip or none`);
    }
    let body = await readBody(req, options.maxBodyBytes);
    if (contentEncoding === 'gzip') body = await gunzipLimited(body, options.maxBodyBytes);
    sendSuccess(res, encoding, options.ingest.body(encoding, body));
  }

  return server;
}

function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The body, refusing (413) as soon as it passes `limit` bytes, declared or actual. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new RejectError('too-large', `body of ${declared} bytes exceeds the limit of ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new RejectError('too-large', `body exceeds the limit of ${limit} bytes`));
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
        reject(new RejectError('too-large', `decompressed body exceeds the limit of ${limit} bytes`));
      } else reject(new RejectError('invalid', `invalid gzip body: ${error.message}`));
    });
  });
}

/** 200 with an ExportTraceServiceResponse; spans skipped as unparsable are reported as a partial success. */
function sendSuccess(res: ServerResponse, encoding: Encoding, partial: PartialSuccess | undefined): void {
  if (encoding === 'protobuf') {
    res.writeHead(200, { 'Content-Type': 'application/x-protobuf' });
    res.end(encodeExportResponse(partial));
  } else {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(partial ? { partialSuccess: partial } : {}));
  }
}

/**
 * The error answer. A request whose body was not read to its end closes the connection after the answer
 * instead of draining the rest (Node would otherwise read it, however slowly it comes).
 */
function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string, encoding: Encoding): void {
  if (res.headersSent) return void res.destroy();
  const code = GRPC_CODE[status] ?? 2;
  const headers: Record<string, string> = req.complete ? {} : { Connection: 'close' };
  if (encoding === 'protobuf') {
    res.writeHead(status, { ...headers, 'Content-Type': 'application/x-protobuf' });
    res.end(encodeRpcStatus(code, message));
  } else {
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ code, message }));
  }
  if (!req.complete) res.once('finish', () => req.socket.destroySoon());
}
