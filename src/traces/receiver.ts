import type { Socket } from 'node:net';
import { InputError } from '../errors.js';
import { startGrpc } from './receiver-grpc.js';
import { createHttpHandler } from './receiver-http.js';
import { bearerCheck, Ingest, type LineSink, type SpanSink } from './receiver-ingest.js';

export { attribute, RUN_ID_ATTRIBUTE } from './receiver-ingest.js';

/** A receiver handing over Span objects (the runner's). */
export interface ReceiverOptions extends ReceiverLimits, SpanSink {}

/** A receiver handing over span lines (`frametail receive`). */
export interface LineReceiverOptions extends ReceiverLimits, LineSink {}

export interface ReceiverLimits {
  /** Required as `Authorization: Bearer <token>` (sent by exporters from OTEL_EXPORTER_OTLP_HEADERS). */
  token: string;
  /** Largest accepted body (gRPC: message), before and after gzip decompression. */
  maxBodyBytes: number;
  /** Most spans one request may hold (default 250,000); a bigger request is refused as too large. */
  maxSpansPerRequest?: number;
  /** Time a whole request may take to arrive once its connection sent something (default 30 s). */
  bodyTimeoutMs?: number;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
}

export interface ReceiverStats {
  /** Spans handed to onSpans. */
  accepted: number;
  /** Requests refused (HTTP 4xx/5xx, gRPC status other than OK). */
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

export const DEFAULT_MAX_SPANS_PER_REQUEST = 250_000;
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/** Every HTTP/2 connection with prior knowledge (gRPC's h2c) opens with this preface; no HTTP/1.1 request line starts with "PRI". */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * Starts the OTLP trace receiver on 127.0.0.1 (DESIGN §4), one port for every OTLP transport, so an
 * exporter works whichever protocol its SDK defaults to:
 * - OTLP/HTTP `POST /v1/traces` with `application/json` or `application/x-protobuf`, optionally gzip
 *   (receiver-http.ts);
 * - OTLP/gRPC `TraceService/Export` over cleartext HTTP/2, optionally `grpc-encoding: gzip` (receiver-grpc.ts).
 * A connection's first bytes tell the two apart. Both require the bearer token before reading a body, limit
 * body size, spans per request and body time, and answer a bad request with a reason (HTTP 4xx with a JSON
 * or google.rpc.Status body; a gRPC status) while the receiver keeps serving.
 */
export async function startReceiver(options: ReceiverOptions | LineReceiverOptions): Promise<Receiver> {
  const stats: ReceiverStats = { accepted: 0, rejected: 0, dropped: 0 };
  const ingest = new Ingest({ ...options, maxSpansPerRequest: options.maxSpansPerRequest ?? DEFAULT_MAX_SPANS_PER_REQUEST }, stats);
  const shared = {
    ingest,
    authorized: bearerCheck(options.token),
    maxBodyBytes: options.maxBodyBytes,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    onRejected: () => void stats.rejected++,
  };
  const sockets = new Map<number | undefined, Socket>();
  const grpc = startGrpc({ ...shared, dropConnection: (remotePort) => sockets.get(remotePort)?.destroy() });
  // The HTTP/1.1 server owns the port, so Node's header and request timeouts keep working; its own
  // connection handler runs only for connections that do not open with the HTTP/2 preface.
  const listener = createHttpHandler(shared);
  const serveHttp = listener.listeners('connection')[0] as (socket: Socket) => void;
  listener.removeAllListeners('connection');
  listener.on('connection', (socket: Socket) => {
    const remotePort = socket.remotePort;
    sockets.set(remotePort, socket);
    socket.once('close', () => sockets.delete(remotePort));
    socket.on('error', () => socket.destroy());
    // A connection that says nothing is closed; once handed over, each protocol bounds its own time.
    const silent = () => socket.destroy();
    socket.setTimeout(shared.bodyTimeoutMs, silent);
    let head = Buffer.alloc(0);
    const sniff = () => {
      for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) head = Buffer.concat([head, chunk]);
      if (head.length < 3 && !socket.readableEnded) return;
      socket.off('readable', sniff);
      socket.setTimeout(0);
      socket.off('timeout', silent);
      if (head.length > 0) socket.unshift(head);
      if (head.subarray(0, 3).equals(H2_PREFACE.subarray(0, 3))) grpc.injectConnection(socket);
      else serveHttp.call(listener, socket);
    };
    socket.on('readable', sniff);
  });

  await new Promise<void>((resolve, reject) => {
    listener.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options.port ?? 0)));
    listener.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = listener.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    endpoint: `${url}/v1/traces`,
    flushRun: (runId) => ingest.flushRun(runId),
    stats: () => ({ ...stats }),
    close: async () => {
      ingest.flushAll();
      await grpc.close();
      const closed = new Promise<void>((resolve, reject) => listener.close((error) => (error ? reject(error) : resolve())));
      listener.closeAllConnections();
      for (const socket of sockets.values()) socket.destroy();
      await closed;
    },
  };
}

/** The listen failure as a message a user can act on; a port in use is a common one. */
function listenError(error: NodeJS.ErrnoException, port: number): Error {
  if (error.code === 'EADDRINUSE') {
    return new InputError(`cannot receive traces on 127.0.0.1:${port}: the port is already in use (another OTLP receiver or collector?); stop it or choose another port`);
  }
  if (error.code === 'EACCES') return new InputError(`cannot receive traces on 127.0.0.1:${port}: permission denied (ports below 1024 need privileges)`);
  return error;
}
