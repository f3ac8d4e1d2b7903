import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spanLineSchema } from '../src/results/format.js';
import { spawnCli } from './helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frametail-receive-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('receives OTLP spans and writes them as span lines until interrupted', async () => {
  const port = await freePort();
  const child = spawnCli(['receive', '--port', String(port), '--out', 'spans.jsonl'], { cwd: dir });
  let stderr = '';
  const banner = new Promise<void>((resolve) => child.stderr!.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), stderr.includes('OTEL_EXPORTER_OTLP_HEADERS') && resolve())));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await banner;
  const header = /OTEL_EXPORTER_OTLP_HEADERS=Authorization=(\S+)/.exec(stderr)![1]!;
  const span = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'generate', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000812000000' };
  const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: decodeURIComponent(header) },
    body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: [span] }] }] }),
  });
  expect(response.status).toBe(200);
  child.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(stderr).toMatch(/1 span received/);
  const lines = readFileSync(join(dir, 'spans.jsonl'), 'utf8').trim().split('\n').map((l) => spanLineSchema.parse(JSON.parse(l)));
  expect(lines).toMatchObject([{ name: 'generate', startNs: '1700000000000000000', endNs: '1700000000812000000', run: span.traceId }]);
});

it('says the port is in use, not "internal error", and exits 2', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as { port: number };
  try {
    const child = spawnCli(['receive', '--port', String(port)], { cwd: dir });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(new RegExp(`cannot receive traces on 127\\.0\\.0\\.1:${port}: the port is already in use`));
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(2);
  } finally {
    blocker.close();
  }
});

it('writes the same span lines to stdout for OTLP protobuf and OTLP JSON, hostile names escaped', async () => {
  const { receiveCommand } = await import('../src/cli/commands/receive.js');
  const { otlpRoot } = await import('../src/traces/otlp/types.js');
  const port = await freePort();
  let stdout = '';
  let stderr = '';
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, cwd: dir, env: { FRAMETAIL_RECEIVER_TOKEN: 't0k' } };
  const done = receiveCommand(['--port', String(port)], io as unknown as Parameters<typeof receiveCommand>[1], stopped);
  while (!stderr.includes('OTEL_EXPORTER_OTLP_HEADERS')) await new Promise((resolve) => setTimeout(resolve, 10));
  const name = 'decode "x" \\ é\u2028</script>';
  const span = (spanId: string) => ({ traceId: '5b8efff798038103d269b633813fc60c', spanId, name, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '18446744073709551615', attributes: [{ key: 'step', value: { intValue: '-7' } }] });
  const resource = { attributes: [{ key: 'frametail.run.id', value: { stringValue: 'run "1"' } }] };
  const Request = otlpRoot.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  const protoSpan = { ...span('eee19b7ec3c1b174'), traceId: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'), spanId: Buffer.from('eee19b7ec3c1b174', 'hex') };
  const bodies = [
    { type: 'application/x-protobuf', body: Request.encode(Request.fromObject({ resourceSpans: [{ resource, scopeSpans: [{ spans: [protoSpan] }] }] })).finish() },
    { type: 'application/json', body: JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ spans: [span('eee19b7ec3c1b174')] }] }] }) },
  ];
  for (const { type, body } of bodies) {
    const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': type, authorization: 'Bearer t0k' }, body });
    expect(response.status).toBe(200);
  }
  stop();
  expect(await done).toBe(0);
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toBe(lines[1]);
  expect(spanLineSchema.parse(JSON.parse(lines[0]!))).toMatchObject({ run: 'run "1"', name, endNs: '18446744073709551615', attributes: { step: -7 } });
  expect(stderr).toMatch(/2 spans received/);
});
