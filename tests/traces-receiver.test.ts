import { connect, createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { afterEach, describe, expect, it } from 'vitest';
import descriptor from '../src/traces/otlp/otlp-trace.descriptor.json' with { type: 'json' };
import { startReceiver, type Receiver, type ReceiverOptions } from '../src/traces/receiver.js';
import type { Span } from '../src/traces/span.js';

const TOKEN = 'secret-token';
const TRACE = '5b8efff798038103d269b633813fc60c';
const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
const Request = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const RpcStatus = root.lookupType('google.rpc.Status');

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function start(extra: Partial<ReceiverOptions> = {}) {
  const received: { runId: string | null; spans: Span[] }[] = [];
  receiver = await startReceiver({ token: TOKEN, maxBodyBytes: 64 * 1024, onSpans: (runId, spans) => received.push({ runId, spans }), ...extra });
  return { receiver, received };
}

interface RawSpan { spanId: string; parentSpanId?: string; name: string; start: bigint; end: bigint }

function jsonRequest(spans: RawSpan[], runId?: string): string {
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: runId ? [{ key: 'frametail.run.id', value: { stringValue: runId } }] : [] },
      scopeSpans: [{ spans: spans.map((s) => ({
        traceId: TRACE, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name,
        startTimeUnixNano: String(s.start), endTimeUnixNano: String(s.end),
      })) }],
    }],
  });
}

/** The `message` of a JSON error answer. */
async function reason(res: Response): Promise<string> {
  return ((await res.json()) as { message: string }).message;
}

function post(url: string, body: string | Uint8Array, headers: Record<string, string>) {
  return fetch(url, { method: 'POST', body, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers } });
}

const one: RawSpan[] = [{ spanId: 'eee19b7ec3c1b174', name: 'generate', start: 1_700_000_000_000_000_123n, end: 1_700_000_000_100_000_456n }];

describe('OTLP receiver', () => {
  it('listens on loopback and accepts OTLP JSON, attributing spans by frametail.run.id', async () => {
    const { receiver, received } = await start();
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(receiver.endpoint).toBe(`${receiver.url}/v1/traces`);
    const res = await post(receiver.endpoint, jsonRequest(one, 'run-7'), {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(received).toHaveLength(1);
    expect(received[0]!.runId).toBe('run-7');
    expect(received[0]!.spans[0]).toMatchObject({ traceId: TRACE, spanId: 'eee19b7ec3c1b174', parentSpanId: null, startNs: 1_700_000_000_000_000_123n, endNs: 1_700_000_000_100_000_456n });
    expect(receiver.stats()).toEqual({ accepted: 1, rejected: 0, dropped: 0 });
  });

  it('accepts protobuf and gzip bodies, falling back to the TRACEPARENT trace id for the run', async () => {
    const { receiver, received } = await start({ runIdForTrace: (traceId) => (traceId === TRACE ? 'run-from-trace' : undefined) });
    const message = Request.fromObject({
      resourceSpans: [{ scopeSpans: [{ spans: [{
        traceId: Buffer.from(TRACE, 'hex'), spanId: Buffer.from('eee19b7ec3c1b174', 'hex'), name: 'generate',
        startTimeUnixNano: '1700000000000000123', endTimeUnixNano: '18446744073709551615',
      }] }] }],
    });
    const body = gzipSync(Request.encode(message).finish());
    const res = await post(receiver.endpoint, body, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect(received[0]!.runId).toBe('run-from-trace');
    expect(received[0]!.spans[0]!.startNs).toBe(1_700_000_000_000_000_123n);
    expect(received[0]!.spans[0]!.endNs).toBe(18_446_744_073_709_551_615n);
    const gzJson = await post(receiver.endpoint, gzipSync(jsonRequest(one)), { 'content-encoding': 'gzip' });
    expect(gzJson.status).toBe(200);
    expect(received[1]!.runId).toBe('run-from-trace');
  });

  it('answers 401, 415, 413, 404 and 400 with a reason, and keeps serving', async () => {
    const { receiver, received } = await start({ maxBodyBytes: 2048 });
    const noToken = await fetch(receiver.endpoint, { method: 'POST', body: jsonRequest(one), headers: { 'content-type': 'application/json' } });
    expect(noToken.status).toBe(401);
    expect(await reason(noToken)).toMatch(/bearer token/);
    expect((await post(receiver.endpoint, jsonRequest(one), { authorization: 'Bearer wrong' })).status).toBe(401);

    const text = await post(receiver.endpoint, 'hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(await reason(text)).toMatch(/unsupported content type "text\/plain"/);
    expect((await post(receiver.endpoint, jsonRequest(one), { 'content-encoding': 'br' })).status).toBe(415);

    const big = await post(receiver.endpoint, 'x'.repeat(4096), {});
    expect(big.status).toBe(413);
    expect(await reason(big)).toMatch(/exceeds the limit of 2048 bytes/);
    const bomb = await post(receiver.endpoint, gzipSync(' '.repeat(100_000)), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);

    const malformed = await post(receiver.endpoint, '{"resourceSpans": [', {});
    expect(malformed.status).toBe(400);
    expect(await reason(malformed)).toMatch(/invalid JSON/);
    const badProto = await post(receiver.endpoint, Buffer.from([0x0a, 0xff, 0xff, 0xff]), { 'content-type': 'application/x-protobuf' });
    expect(badProto.status).toBe(400);
    const status = RpcStatus.decode(new Uint8Array(await badProto.arrayBuffer())) as unknown as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/invalid OTLP protobuf/);
    expect((await post(receiver.endpoint, '{"foo":1}', {})).status).toBe(400);
    expect((await post(`${receiver.url}/v1/metrics`, jsonRequest(one), {})).status).toBe(404);
    expect((await fetch(receiver.endpoint)).status).toBe(405);

    expect(received).toEqual([]);
    expect((await post(receiver.endpoint, jsonRequest(one, 'run-1'), {})).status).toBe(200);
    expect(received).toHaveLength(1);
    expect(receiver.stats()).toEqual({ accepted: 1, rejected: 11, dropped: 0 });
  });

  it('enforces coarse granularity: deeper spans are dropped once the root is known', async () => {
    const { receiver, received } = await start({ granularityOf: (runId) => (runId === 'coarse-run' ? 'coarse' : 'fine') });
    const leaf = { spanId: '0000000000000003', parentSpanId: '0000000000000002', name: 'leaf', start: 3n, end: 4n };
    const child = { spanId: '0000000000000002', parentSpanId: '0000000000000001', name: 'child', start: 2n, end: 5n };
    const rootSpan = { spanId: '0000000000000001', name: 'root', start: 1n, end: 9n };
    const late = { spanId: '0000000000000004', parentSpanId: '0000000000000001', name: 'late', start: 6n, end: 8n };
    const lateDeep = { spanId: '0000000000000005', parentSpanId: '0000000000000004', name: 'late-deep', start: 6n, end: 7n };
    await post(receiver.endpoint, jsonRequest([leaf, child], 'coarse-run'), {});
    expect(received).toEqual([]);
    await post(receiver.endpoint, jsonRequest([rootSpan], 'coarse-run'), {});
    await post(receiver.endpoint, jsonRequest([lateDeep, late], 'coarse-run'), {});
    await post(receiver.endpoint, jsonRequest([leaf, child, rootSpan], 'fine-run'), {});
    const names = (runId: string) => received.filter((r) => r.runId === runId).flatMap((r) => r.spans.map((s) => s.name));
    expect(names('coarse-run')).toEqual(['child', 'root', 'late']);
    expect(names('fine-run')).toEqual(['leaf', 'child', 'root']);
    expect(receiver.stats().dropped).toBe(2);
  });

  it('holds a coarse run whose root has a remote parent until the run is flushed', async () => {
    const { receiver, received } = await start({ granularityOf: () => 'coarse' });
    const spans = [
      { spanId: '0000000000000003', parentSpanId: '0000000000000002', name: 'leaf', start: 3n, end: 4n },
      { spanId: '0000000000000002', parentSpanId: '0000000000000001', name: 'child', start: 2n, end: 5n },
      { spanId: '0000000000000001', parentSpanId: 'ffffffffffffffff', name: 'root', start: 1n, end: 9n },
    ];
    await post(receiver.endpoint, jsonRequest(spans, 'r'), {});
    expect(received).toEqual([]);
    receiver.flushRun('r');
    expect(received.flatMap((r) => r.spans.map((s) => s.name))).toEqual(['child', 'root']);
    expect(receiver.stats()).toMatchObject({ accepted: 2, dropped: 1 });
  });

  it('recognises a coarse root by the TRACEPARENT parent id, without waiting for a flush', async () => {
    const { receiver, received } = await start({ granularityOf: () => 'coarse', remoteParentOf: () => 'ffffffffffffffff' });
    await post(receiver.endpoint, jsonRequest([
      { spanId: '0000000000000003', parentSpanId: '0000000000000002', name: 'leaf', start: 3n, end: 4n },
      { spanId: '0000000000000002', parentSpanId: '0000000000000001', name: 'child', start: 2n, end: 5n },
    ], 'r'), {});
    expect(received).toEqual([]);
    await post(receiver.endpoint, jsonRequest([{ spanId: '0000000000000001', parentSpanId: 'ffffffffffffffff', name: 'root', start: 1n, end: 9n }], 'r'), {});
    expect(received.flatMap((r) => r.spans.map((s) => s.name))).toEqual(['child', 'root']);
  });

  it('answers arbitrary protobuf bodies with 200 or 400, never a crash, and keeps serving', async () => {
    const { receiver } = await start();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (body) => {
        const res = await post(receiver.endpoint, body, { 'content-type': 'application/x-protobuf' });
        expect([200, 400]).toContain(res.status);
        await res.arrayBuffer();
      }),
      { numRuns: 40 },
    );
    expect((await post(receiver.endpoint, jsonRequest(one, 'run-1'), {})).status).toBe(200);
  });

  it('matches the Bearer scheme case-insensitively, never a wrong token', async () => {
    const { receiver, received } = await start();
    for (const auth of [`bearer ${TOKEN}`, `BEARER ${TOKEN}`, `  Bearer   ${TOKEN} `]) {
      expect((await post(receiver.endpoint, jsonRequest(one, 'r'), { authorization: auth })).status).toBe(200);
    }
    for (const auth of [`Basic ${TOKEN}`, `Bearer ${TOKEN.toUpperCase()}`, `Bearer ${TOKEN}x`, `Bearer${TOKEN}`, TOKEN]) {
      expect((await post(receiver.endpoint, jsonRequest(one, 'r'), { authorization: auth })).status).toBe(401);
    }
    expect(received).toHaveLength(3);
  });

  it('refuses an unauthenticated request from its headers and closes the connection instead of reading a slow body', async () => {
    const { receiver } = await start();
    const socket = connect(receiver.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(`POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer wrong\r\nContent-Length: 60000\r\n\r\n{"resourceSpans":`);
    const trickle = setInterval(() => !socket.destroyed && socket.write(' '), 50);
    await closed; // without the fix the connection stays open for Node's 5-minute request timeout
    clearInterval(trickle);
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    expect(answer).toMatch(/connection: close/i);
  });

  it('answers 408 and closes when a whole request does not arrive within the body timeout', async () => {
    const { receiver, received } = await start({ bodyTimeoutMs: 500 });
    const socket = connect(receiver.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(`POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 1000\r\n\r\n{"resourceSpans":`);
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(received).toEqual([]);
    expect((await post(receiver.endpoint, jsonRequest(one, 'r'), {})).status).toBe(200);
  });

  it('takes a 200,000-span request under the size limit whole, and refuses one over the span limit with 413', async () => {
    const { receiver, received } = await start({ maxBodyBytes: 32 << 20, granularityOf: () => 'coarse' });
    const spans = (n: number) => Array.from({ length: n }, (_, i) => ({
      traceId: Buffer.from(TRACE, 'hex'), spanId: Buffer.from((i + 1).toString(16).padStart(16, '0'), 'hex'),
      parentSpanId: i === 0 ? undefined : Buffer.from('0000000000000001', 'hex'), name: 's', startTimeUnixNano: 1000 + i, endTimeUnixNano: 2000 + i,
    }));
    const body = (n: number) => Request.encode(Request.fromObject({
      resourceSpans: [{ resource: { attributes: [{ key: 'frametail.run.id', value: { stringValue: 'big' } }] }, scopeSpans: [{ spans: spans(n).reverse() }] }],
    })).finish();
    const ok = await post(receiver.endpoint, body(200_000), { 'content-type': 'application/x-protobuf' });
    expect(ok.status).toBe(200);
    expect(received.flatMap((r) => r.spans)).toHaveLength(200_000);
    await receiver.close();

    const limited = await start({ maxBodyBytes: 1 << 20, maxSpansPerRequest: 1000 });
    const over = await post(limited.receiver.endpoint, body(1001), { 'content-type': 'application/x-protobuf' });
    expect(over.status).toBe(413);
    expect((RpcStatus.decode(new Uint8Array(await over.arrayBuffer())) as unknown as { message: string }).message).toMatch(/1001 spans in one request, more than the limit of 1000/);
    expect((await post(limited.receiver.endpoint, body(1000), { 'content-type': 'application/x-protobuf' })).status).toBe(200);
  });

  it('says the port is in use when it is, instead of an internal error', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await expect(startReceiver({ token: TOKEN, maxBodyBytes: 1024, port, onSpans: () => {} })).rejects.toThrow(
        new RegExp(`127\\.0\\.0\\.1:${port}: the port is already in use`),
      );
    } finally {
      blocker.close();
    }
  });

  it('keeps every digit of times and int attributes written as bare JSON numbers past 2^53', async () => {
    const { receiver, received } = await start();
    const body = `{"resourceSpans":[{"resource":{"attributes":[{"key":"frametail.run.id","value":{"stringValue":"r"}}]},"scopeSpans":[{"spans":[` +
      `{"traceId":"${TRACE}","spanId":"eee19b7ec3c1b174","name":"generate","startTimeUnixNano":1700000000000000123,"endTimeUnixNano":1700000000100000457,` +
      `"attributes":[{"key":"big","value":{"intValue":9007199254740993}},{"key":"small","value":{"intValue":42}}]}]}]}]}`;
    expect((await post(receiver.endpoint, body, {})).status).toBe(200);
    const span = received[0]!.spans[0]!;
    expect(span.startNs).toBe(1_700_000_000_000_000_123n);
    expect(span.endNs).toBe(1_700_000_000_100_000_457n);
    expect(span.attributes).toEqual({ big: '9007199254740993', small: 42 });
  });

  it('closes a connection that sends nothing within the body timeout', async () => {
    const { receiver } = await start({ bodyTimeoutMs: 300 });
    const socket = connect(receiver.port, '127.0.0.1');
    await new Promise((resolve) => socket.on('close', resolve)); // would wait for ever without the bound
    expect((await post(receiver.endpoint, jsonRequest(one, 'r'), {})).status).toBe(200);
  });
});
