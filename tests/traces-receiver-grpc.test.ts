import { connect, constants } from 'node:http2';
import { gzipSync } from 'node:zlib';
import { credentials, Metadata, status, Client, type ServiceError } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { afterEach, describe, expect, it } from 'vitest';
import descriptor from '../src/traces/otlp/otlp-trace.descriptor.json' with { type: 'json' };
import { startReceiver, type Receiver, type ReceiverOptions } from '../src/traces/receiver.js';
import type { Span } from '../src/traces/span.js';

const TOKEN = 'grpc-token';
const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
const Request = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const Response = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');

let receiver: Receiver | undefined;
let client: Client | undefined;
afterEach(async () => {
  client?.close();
  await receiver?.close();
  receiver = client = undefined;
});

async function start(extra: Partial<ReceiverOptions> = {}) {
  const received: { runId: string | null; spans: Span[] }[] = [];
  receiver = await startReceiver({ token: TOKEN, maxBodyBytes: 64 * 1024, onSpans: (runId, spans) => received.push({ runId, spans }), ...extra });
  client = new Client(`127.0.0.1:${receiver.port}`, credentials.createInsecure());
  return { receiver, received };
}

function request(spans: number, runId = 'run-1'): Uint8Array {
  return Request.encode(Request.fromObject({
    resourceSpans: [{
      resource: { attributes: [{ key: 'frametail.run.id', value: { stringValue: runId } }] },
      scopeSpans: [{ spans: Array.from({ length: spans }, (_, i) => ({
        traceId: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'),
        spanId: Buffer.from((i + 1).toString(16).padStart(16, '0'), 'hex'),
        name: `op${i}`, startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i)), endTimeUnixNano: String(1_700_000_000_000_000_900n + BigInt(i)),
      })) }],
    }],
  })).finish();
}

/** One unary Export call with raw bytes; resolves to the error (or null) and the decoded response. */
function exportCall(body: Uint8Array, auth: string | null = `Bearer ${TOKEN}`, compress = false) {
  const metadata = new Metadata();
  if (auth !== null) metadata.set('authorization', auth);
  if (compress) metadata.set('grpc-internal-encoding-request', 'gzip');
  return new Promise<{ error: ServiceError | null; response?: Record<string, unknown> }>((resolve) => {
    client!.makeUnaryRequest(EXPORT, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(body), metadata, (error, reply) => {
      resolve({ error: error ?? null, response: reply ? (Response.toObject(Response.decode(reply), { longs: Number }) as Record<string, unknown>) : undefined });
    });
  });
}

describe('OTLP/gRPC on the receiver port', () => {
  it('accepts TraceService/Export with the bearer token in metadata, any scheme case, plain or gzip', async () => {
    const { received, receiver } = await start();
    expect((await exportCall(request(3))).error).toBeNull();
    expect((await exportCall(request(2, 'run-2'), `bearer ${TOKEN}`, true)).error).toBeNull();
    expect(received.map((r) => [r.runId, r.spans.length])).toEqual([['run-1', 3], ['run-2', 2]]);
    // The same port still speaks OTLP/HTTP.
    const http = await fetch(receiver.endpoint, { method: 'POST', body: request(1, 'run-3'), headers: { authorization: `BEARER ${TOKEN}`, 'content-type': 'application/x-protobuf' } });
    expect(http.status).toBe(200);
    expect(received.at(-1)!.runId).toBe('run-3');
  });

  it('answers UNAUTHENTICATED, RESOURCE_EXHAUSTED and INVALID_ARGUMENT with a reason, and keeps serving', async () => {
    const { received, receiver } = await start({ maxBodyBytes: 4096, maxSpansPerRequest: 50 });
    const noToken = await exportCall(request(1), null);
    expect(noToken.error?.code).toBe(status.UNAUTHENTICATED);
    expect(noToken.error?.details).toMatch(/bearer token/);
    expect((await exportCall(request(1), 'Bearer wrong')).error?.code).toBe(status.UNAUTHENTICATED);

    const big = await exportCall(Buffer.alloc(5000, 0x0a));
    expect(big.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    const bomb = await exportCall(gzipSync(Buffer.alloc(1 << 20)), `Bearer ${TOKEN}`, false);
    expect(bomb.error?.code).toBe(status.INVALID_ARGUMENT); // not declared as compressed: garbage protobuf
    const declaredBomb = await exportCall(Buffer.alloc(1 << 20), `Bearer ${TOKEN}`, true);
    expect(declaredBomb.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    const tooMany = await exportCall(request(51));
    expect(tooMany.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(tooMany.error?.details).toMatch(/51 spans in one request, more than the limit of 50/);

    const malformed = await exportCall(Buffer.from([0x0a, 0xff, 0xff, 0xff]));
    expect(malformed.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(malformed.error?.details).toMatch(/invalid OTLP protobuf/);

    expect(received).toEqual([]);
    expect((await exportCall(request(50))).error).toBeNull();
    expect(received[0]!.spans).toHaveLength(50);
    expect(receiver.stats()).toEqual({ accepted: 50, rejected: 7, dropped: 0 });
  });

  it('enforces coarse granularity and attributes by TRACEPARENT trace id, as over HTTP', async () => {
    const { received, receiver } = await start({ granularityOf: () => 'coarse', runIdForTrace: (traceId) => (traceId === '5b8efff798038103d269b633813fc60c' ? 'from-trace' : undefined) });
    const id = (n: number) => Buffer.from(n.toString(16).padStart(16, '0'), 'hex');
    const body = Request.encode(Request.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [
      { traceId: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'), spanId: id(3), parentSpanId: id(2), name: 'leaf', startTimeUnixNano: 3, endTimeUnixNano: 4 },
      { traceId: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'), spanId: id(2), parentSpanId: id(1), name: 'child', startTimeUnixNano: 2, endTimeUnixNano: 5 },
      { traceId: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'), spanId: id(1), name: 'root', startTimeUnixNano: 1, endTimeUnixNano: 9 },
    ] }] }] })).finish();
    expect((await exportCall(body)).error).toBeNull();
    expect(received.map((r) => [r.runId, r.spans.map((s) => s.name)])).toEqual([['from-trace', ['child', 'root']]]);
    expect(receiver.stats()).toMatchObject({ accepted: 2, dropped: 1 });
  });

  it('reports spans it could not parse as a partial success', async () => {
    await start();
    const body = Request.encode(Request.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(3), spanId: Buffer.alloc(8, 1), name: 'bad' }] }] }] })).finish();
    const { error, response } = await exportCall(body);
    expect(error).toBeNull();
    expect(response).toMatchObject({ partialSuccess: { rejectedSpans: 1 } });
  });

  it('refuses an unauthenticated call from its headers, without waiting for a body that never ends', async () => {
    const { receiver } = await start();
    const session = connect(receiver.url);
    session.on('error', () => {}); // the receiver closes the connection once it has answered
    try {
      const stream = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: EXPORT,
        'content-type': 'application/grpc', te: 'trailers', authorization: 'Bearer wrong',
      }, { endStream: false });
      stream.write(Buffer.from([0, 0, 0x10, 0, 0])); // a 1 MiB message announced, never sent
      const headers = await new Promise<Record<string, unknown>>((resolve) => stream.once('response', resolve));
      expect(headers['grpc-status']).toBe(String(status.UNAUTHENTICATED));
      // The receiver does not read on: the connection goes (not after the 30 s body timeout: the test would time out).
      stream.on('error', () => {});
      await new Promise((resolve) => stream.once('close', resolve));
      expect(session.destroyed || session.closed).toBe(true);
    } finally {
      session.destroy();
    }
  });

  it('gives up on an authenticated body that does not arrive in time', async () => {
    const { receiver, received } = await start({ bodyTimeoutMs: 300 });
    const session = connect(receiver.url);
    session.on('error', () => {}); // the receiver closes the connection once it has answered
    try {
      const stream = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: EXPORT,
        'content-type': 'application/grpc', te: 'trailers', authorization: `Bearer ${TOKEN}`,
      }, { endStream: false });
      stream.write(Buffer.from([0, 0, 0, 0x10, 0]));
      const trailers = await new Promise<Record<string, unknown>>((resolve) => {
        stream.once('response', (headers) => headers['grpc-status'] && resolve(headers));
        stream.once('trailers', resolve);
      });
      expect(trailers['grpc-status']).toBe(String(status.DEADLINE_EXCEEDED));
      expect(received).toEqual([]);
    } finally {
      session.destroy();
    }
  });
});
