// Part of `npm run bench:traces` (issue 11), or alone: `npx tsx scripts/bench-receiver-ingest.ts [REQUESTS]`.
// The receiver's ingest rate with the receiver and its client in separate processes, as a pipeline and
// `frametail receive` run in practice. The receiver is the real CLI (`frametail receive --out FILE`, from
// source through tsx): it decodes each request and writes every span as a results span line. The yardstick
// is the least a receiver must do with the same bodies, also in its own process and sent the same way by the
// same client: scripts/bench-plain-receiver.ts reads each body and decodes it (JSON.parse for OTLP JSON, the
// protobufjs decode of ExportTraceServiceRequest for protobuf), keeping nothing. Wall time and the receiving
// process's CPU seconds (from /proc) are both reported, since the machine may be shared; both receivers run
// at once and their passes alternate, so load that comes and goes during the run falls on both.
// Target: ≥ 0.8× of the plain receiver.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import protobuf from 'protobufjs';
import descriptor from '../src/traces/otlp/otlp-trace.descriptor.json' with { type: 'json' };

export const SPANS_PER_REQUEST = 1000;

/** One OTLP request of SPANS_PER_REQUEST spans (a root and its nested descendants, a few attributes each). */
export function otlpRequest(batch: number) {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const base = 1_700_000_000_000_000_000n + BigInt(batch) * 1_000_000_000n;
  const spans = Array.from({ length: SPANS_PER_REQUEST }, (_, i) => ({
    traceId: hex(batch + 1, 32),
    spanId: hex(batch * SPANS_PER_REQUEST + i + 1, 16),
    parentSpanId: i === 0 ? '' : hex(batch * SPANS_PER_REQUEST + Math.floor((i - 1) / 4) + 1, 16),
    name: ['generate', 'preprocess', 'denoise', 'decode', 'cache.lookup'][i % 5]!,
    kind: 1,
    startTimeUnixNano: String(base + BigInt(i) * 1000n),
    endTimeUnixNano: String(base + BigInt(i) * 1000n + 900n),
    attributes: [
      { key: 'step', value: { intValue: String(i) } },
      { key: 'model', value: { stringValue: 'wan-2.1' } },
      { key: 'code.file.path', value: { stringValue: 'pipeline/denoise.py' } },
    ],
    status: { code: 1 },
  }));
  const resource = { attributes: [{ key: 'frametail.run.id', value: { stringValue: `run-${batch}` } }, { key: 'service.name', value: { stringValue: 'bench' } }] };
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'bench' }, spans }] }] };
}

export function toProtobuf(json: ReturnType<typeof otlpRequest>): Uint8Array {
  const Request = protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType(
    'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  );
  const withBytes = structuredClone(json);
  for (const span of withBytes.resourceSpans[0]!.scopeSpans[0]!.spans as unknown as Record<string, unknown>[]) {
    for (const key of ['traceId', 'spanId', 'parentSpanId']) span[key] = Buffer.from(span[key] as string, 'hex');
  }
  return Request.encode(Request.fromObject(withBytes)).finish();
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'bench-token';
const WARMUP_REQUESTS = 20;
const IN_FLIGHT = 4;
const PASSES = Number(process.env.BENCH_INGEST_PASSES ?? 3);
/** BENCH_RECEIVER_CPU_PROF=DIR writes a V8 CPU profile of each `frametail receive` process into DIR. */
const PROFILE = process.env.BENCH_RECEIVER_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_RECEIVER_CPU_PROF}`] : [];
/** BENCH_INGEST_ENCODING=json or protobuf measures that encoding only (to profile one); BENCH_INGEST_VERBOSE=1 prints every pass. */
const ONLY = process.env.BENCH_INGEST_ENCODING;

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

/** A receiver in a child process: the command, and the text its stderr prints once it listens. */
interface ReceiverProcess {
  args: (port: number, out: string) => string[];
  ready: string;
  /** Checks what the receiver kept once it stopped (the span lines `frametail receive` wrote). */
  check?: (out: string, requests: number) => void;
}

const FRAMETAIL_RECEIVE: ReceiverProcess = {
  args: (port, out) => [...PROFILE, '--import', 'tsx', 'src/cli/main.ts', 'receive', '--port', String(port), '--out', out],
  ready: 'receiving OTLP',
  check(out, requests) {
    const lines = readFileSync(out, 'utf8').split('\n').length - 1;
    if (lines !== requests * SPANS_PER_REQUEST) throw new Error(`frametail receive wrote ${lines} span lines, expected ${requests * SPANS_PER_REQUEST}`);
  },
};

const PLAIN_RECEIVER: ReceiverProcess = {
  args: (port) => ['--import', 'tsx', 'scripts/bench-plain-receiver.ts', String(port), TOKEN],
  ready: 'listening',
};

/** A receiver running in a child process, fed over keep-alive HTTP/1.1 from this process. */
interface Running {
  /** Sends every body once, IN_FLIGHT at a time; spans per second of wall time and per CPU-second of the receiver. */
  pass(bodies: Uint8Array[]): Promise<Measured>;
  /** Stops the receiver (SIGINT), checks what it kept after `requests` requests, and cleans up. */
  stop(requests: number): Promise<void>;
}

async function startReceiverProcess(receiver: ReceiverProcess, contentType: string): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'frametail-bench-receive-'));
  const out = join(dir, 'spans.jsonl');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, receiver.args(port, out), {
    cwd: ROOT,
    env: { ...process.env, FRAMETAIL_RECEIVER_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), stderr.includes(receiver.ready) && resolve()));
      child.once('exit', () => reject(new Error(`receiver exited: ${stderr}`)));
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
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
  return {
    async pass(bodies) {
      const cpuStarted = cpuSecondsOf(child.pid!);
      const started = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next < bodies.length) await send(bodies[next++]!);
      }));
      const seconds = (performance.now() - started) / 1000;
      const cpu = cpuSecondsOf(child.pid!) - cpuStarted;
      const spans = bodies.length * SPANS_PER_REQUEST;
      if (process.env.BENCH_INGEST_VERBOSE) console.log(`    ${receiver.ready} pass ${bodies.length}: ${fmt(spans / seconds)} wall ${fmt(spans / cpu)} cpu`);
      return { spansPerSecond: spans / seconds, spansPerCpuSecond: spans / cpu };
    },
    async stop(requests) {
      try {
        agent.destroy();
        const exited = new Promise((resolve) => child.once('close', resolve));
        child.kill('SIGINT');
        await exited;
        receiver.check?.(out, requests);
      } finally {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Spans per second through `frametail receive` and through the plain receiver, both running at once in
 * their own child processes and sent the same bodies by this process, with IN_FLIGHT requests in flight; and
 * per CPU-second of the receiving process. Their passes alternate (ours, plain, ours, …), so a machine
 * whose load changes during the run slows both alike; each side's best of `passes` passes over every body
 * (after WARMUP_REQUESTS warm each JIT).
 */
async function bothReceivers(contentType: string, bodies: Uint8Array[], passes: number): Promise<{ received: Measured; plain: Measured }> {
  const ours = await startReceiverProcess(FRAMETAIL_RECEIVE, contentType);
  let plain: Running;
  try {
    plain = await startReceiverProcess(PLAIN_RECEIVER, contentType);
  } catch (error) {
    await ours.stop(0).catch(() => undefined);
    throw error;
  }
  const best = (a: Measured, b: Measured): Measured => ({
    spansPerSecond: Math.max(a.spansPerSecond, b.spansPerSecond),
    spansPerCpuSecond: Math.max(a.spansPerCpuSecond, b.spansPerCpuSecond),
  });
  const none: Measured = { spansPerSecond: 0, spansPerCpuSecond: 0 }; // wall and CPU each at their best pass
  const result = { received: none, plain: none };
  try {
    const warmup = bodies.slice(0, WARMUP_REQUESTS);
    await ours.pass(warmup);
    await plain.pass(warmup);
    for (let pass = 0; pass < passes; pass++) {
      result.received = best(result.received, await ours.pass(bodies));
      result.plain = best(result.plain, await plain.pass(bodies));
    }
  } finally {
    await plain.stop(0);
    await ours.stop(WARMUP_REQUESTS + passes * bodies.length);
  }
  return result;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Prints the section; `bodies` are the same OTLP requests as JSON and as protobuf. */
export async function receiverIngestAcrossProcesses(bodies: { json: Uint8Array[]; protobuf: Uint8Array[] }, passes = PASSES): Promise<void> {
  console.log(
    `\nreceiver ingest across processes: \`frametail receive --out FILE\` vs a plain decoding receiver (scripts/bench-plain-receiver.ts), ` +
      `each in its own child process, this process the client (${fmt(SPANS_PER_REQUEST)} spans/request, ${fmt(bodies.json.length)} requests, ${IN_FLIGHT} in flight, best of ${passes} passes each, the two receivers' passes alternating)`,
  );
  console.log(
    '  frametail receive: checks the bearer token (SHA-256, constant time), reads the body, decodes and checks it (OTLP/HTTP, node:http)\n' +
      '    and appends every span as a results span line to FILE (the bytes lines.ts\'s spanLinesJson gives), then answers an ExportTraceServiceResponse;\n' +
      '  plain: checks the bearer token (string compare), reads the body, JSON.parse (JSON) or protobufjs ExportTraceServiceRequest.decode (protobuf),\n' +
      '    keeps nothing, writes nothing, answers `{}`. Same bodies, same client, same HTTP path; CPU is the receiving process\'s user + system time.',
  );
  const rows = [
    { label: 'OTLP JSON    ', type: 'application/json', list: bodies.json, plain: 'JSON.parse' },
    { label: 'OTLP protobuf', type: 'application/x-protobuf', list: bodies.protobuf, plain: 'protobufjs decode' },
  ];
  let worst = Infinity;
  let worstCpu = Infinity;
  for (const row of rows) {
    if (ONLY && !row.type.endsWith(ONLY)) continue;
    const { received, plain } = await bothReceivers(row.type, row.list, passes);
    const ratio = received.spansPerSecond / plain.spansPerSecond;
    const cpuRatio = received.spansPerCpuSecond / plain.spansPerCpuSecond;
    worst = Math.min(worst, ratio);
    worstCpu = Math.min(worstCpu, cpuRatio);
    console.log(
      `  ${row.label}  frametail receive ${fmt(received.spansPerSecond).padStart(9)} spans/s wall, ${fmt(received.spansPerCpuSecond).padStart(9)} per receiver CPU-s` +
        `   plain ${row.plain}: ${fmt(plain.spansPerSecond).padStart(9)} spans/s wall, ${fmt(plain.spansPerCpuSecond).padStart(9)} per CPU-s` +
        `   ratio ${ratio.toFixed(2)}× wall, ${cpuRatio.toFixed(2)}× CPU`,
    );
  }
  console.log(
    `  target ≥ 0.8× of the plain decode: ${Math.min(worst, worstCpu) >= 0.8 ? 'met' : 'NOT met'} (worst ${worst.toFixed(2)}× wall, ${worstCpu.toFixed(2)}× CPU; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const requests = Number(process.argv[2] ?? 300);
  const json = Array.from({ length: requests }, (_, i) => Buffer.from(JSON.stringify(otlpRequest(i))));
  const proto = Array.from({ length: requests }, (_, i) => toProtobuf(otlpRequest(i)));
  await receiverIngestAcrossProcesses({ json, protobuf: proto });
}
