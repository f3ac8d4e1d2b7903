// Part of `npm run bench:traces` (issue 11): the receiver's ingest rate with the receiver and its client in
// separate processes, as a pipeline and `frametail receive` run in practice. The receiver is the real CLI
// (`frametail receive --out FILE`, from source through tsx): it decodes each request and writes every span
// as a results span line. The yardstick is a plain decode of the same bodies in this process: JSON.parse for
// OTLP JSON, protobufjs's generated decode for OTLP protobuf. Target: ≥ 0.8× of the plain decode.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import descriptor from '../src/traces/otlp/otlp-trace.descriptor.json' with { type: 'json' };

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'bench-token';
const WARMUP_REQUESTS = 20;
const IN_FLIGHT = 4;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** User + system CPU seconds of a process so far (Linux /proc; NaN elsewhere). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return NaN;
  }
}

interface Measured {
  spansPerSecond: number;
  spansPerCpuSecond: number;
}

/** Spans per second through `frametail receive` in a child process, and per CPU-second of that process. */
async function throughReceiveCommand(contentType: string, bodies: Uint8Array[], spansPerRequest: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'frametail-bench-receive-'));
  const out = join(dir, 'spans.jsonl');
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'receive', '--port', String(port), '--out', out], {
    cwd: ROOT,
    env: { ...process.env, FRAMETAIL_RECEIVER_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), stderr.includes('receiving OTLP') && resolve()));
    child.once('exit', () => reject(new Error(`frametail receive exited: ${stderr}`)));
  });
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const send = (body: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      const req = request(`http://127.0.0.1:${port}/v1/traces`, {
        method: 'POST', agent,
        headers: { 'content-type': contentType, authorization: `Bearer ${TOKEN}`, 'content-length': body.length },
      }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    for (const body of bodies.slice(0, WARMUP_REQUESTS)) await send(body);
    const cpuStarted = cpuSecondsOf(child.pid!);
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < bodies.length) await send(bodies[next++]!);
    }));
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSecondsOf(child.pid!) - cpuStarted;
    agent.destroy();
    const exited = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGINT');
    await exited;
    const lines = readFileSync(out, 'utf8').split('\n').length - 1;
    const expected = (WARMUP_REQUESTS + bodies.length) * spansPerRequest;
    if (lines !== expected) throw new Error(`frametail receive wrote ${lines} span lines, expected ${expected}`);
    const spans = bodies.length * spansPerRequest;
    return { spansPerSecond: spans / seconds, spansPerCpuSecond: spans / cpu };
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Spans per second of `decode` over every body, wall and CPU, best of three passes (the first warms the JIT). */
function plainDecodeRate(bodies: Uint8Array[], spansPerRequest: number, decode: (body: Uint8Array) => unknown): Measured {
  let best: Measured = { spansPerSecond: 0, spansPerCpuSecond: 0 };
  for (let pass = 0; pass < 3; pass++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    for (const body of bodies) decode(body);
    const cpu = process.cpuUsage(cpuStarted);
    const spans = bodies.length * spansPerRequest;
    const rate = { spansPerSecond: spans / ((performance.now() - started) / 1000), spansPerCpuSecond: spans / ((cpu.user + cpu.system) / 1e6) };
    if (rate.spansPerSecond > best.spansPerSecond) best = rate;
  }
  return best;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Prints the section; `bodies` are the same OTLP requests as JSON and as protobuf. */
export async function receiverIngestAcrossProcesses(bodies: { json: Uint8Array[]; protobuf: Uint8Array[] }, spansPerRequest: number): Promise<void> {
  const Request = protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  console.log(`\nreceiver ingest across processes: \`frametail receive --out FILE\` in a child process, this process the client (${fmt(spansPerRequest)} spans/request, ${fmt(bodies.json.length)} requests, ${IN_FLIGHT} in flight)`);
  const rows = [
    { label: 'OTLP JSON    ', type: 'application/json', list: bodies.json, plain: 'JSON.parse', decode: (b: Uint8Array) => JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8')) },
    { label: 'OTLP protobuf', type: 'application/x-protobuf', list: bodies.protobuf, plain: 'protobufjs decode', decode: (b: Uint8Array) => Request.decode(b) },
  ];
  let worst = Infinity;
  for (const row of rows) {
    const received = await throughReceiveCommand(row.type, row.list, spansPerRequest);
    const plain = plainDecodeRate(row.list, spansPerRequest, row.decode);
    const ratio = received.spansPerSecond / plain.spansPerSecond;
    worst = Math.min(worst, ratio);
    console.log(
      `  ${row.label}  ${fmt(received.spansPerSecond).padStart(9)} spans/s wall, ${fmt(received.spansPerCpuSecond).padStart(9)} per receiver CPU-s` +
        `   plain ${row.plain}: ${fmt(plain.spansPerSecond)} spans/s wall, ${fmt(plain.spansPerCpuSecond)} per CPU-s` +
        `   ratio ${ratio.toFixed(2)}× wall, ${(received.spansPerCpuSecond / plain.spansPerCpuSecond).toFixed(2)}× CPU`,
    );
  }
  console.log(`  target ≥ 0.8× of the plain decode: ${worst >= 0.8 ? 'met' : 'NOT met'} (worst ${worst.toFixed(2)}× wall time; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`);
}
