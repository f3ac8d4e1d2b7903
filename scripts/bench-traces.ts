// `npm run bench:traces`: how fast the trace path is, each figure next to a plain JSON.parse of the same
// bytes. (1) spans per second ingested by the OTLP receiver over loopback, client and receiver sharing one
// process (one core), for OTLP JSON and protobuf; (2) time and peak RSS to parse and analyze a generated
// Chrome trace of one million events, each measured in a fresh child process so peak RSS is its own.
// Targets (issue 4): ≥ 200,000 spans/s ingested; 1M events in ≤ 5 s with ≤ 1 GiB peak RSS.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import protobuf from 'protobufjs';
import { analyzeRun } from '../src/traces/analyze.js';
import { parseTraceFile } from '../src/traces/files.js';
import descriptor from '../src/traces/otlp/otlp-trace.descriptor.json' with { type: 'json' };
import { startReceiver } from '../src/traces/receiver.js';
import { receiverIngestAcrossProcesses } from './bench-receiver-ingest.js';

const SPANS_PER_REQUEST = 1000;
const REQUESTS = 300;
const CHROME_EVENTS = Number(process.env.BENCH_CHROME_EVENTS ?? 1_000_000);

/** One OTLP request of SPANS_PER_REQUEST spans (a root and its nested descendants, a few attributes each). */
function otlpRequest(batch: number) {
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

function toProtobuf(json: ReturnType<typeof otlpRequest>): Uint8Array {
  const Request = protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType(
    'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  );
  const withBytes = structuredClone(json);
  for (const span of withBytes.resourceSpans[0]!.scopeSpans[0]!.spans as unknown as Record<string, unknown>[]) {
    for (const key of ['traceId', 'spanId', 'parentSpanId']) span[key] = Buffer.from(span[key] as string, 'hex');
  }
  return Request.encode(Request.fromObject(withBytes)).finish();
}

/** Spans per second of wall time, and per second of this process's CPU time (the one-core figure on a busy machine). */
async function ingestRate(contentType: string, bodies: Uint8Array[]): Promise<{ wall: number; cpu: number }> {
  let received = 0;
  const receiver = await startReceiver({ token: 't', maxBodyBytes: 16 << 20, onSpans: (_run, spans) => (received += spans.length) });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const send = (body: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      const req = request(receiver.endpoint, {
        method: 'POST', agent,
        headers: { 'content-type': contentType, authorization: 'Bearer t', 'content-length': body.length },
      }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  for (const body of bodies.slice(0, 20)) await send(body); // warm-up
  received = 0;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  // Four requests in flight, as a BatchSpanProcessor with concurrent exports would.
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < bodies.length) await send(bodies[next++]!);
  }));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  agent.destroy();
  await receiver.close();
  if (received !== bodies.length * SPANS_PER_REQUEST) throw new Error(`received ${received} spans`);
  return { wall: received / seconds, cpu: received / ((cpu.user + cpu.system) / 1e6) };
}

function plainParseRate(bodies: Uint8Array[]): number {
  const started = performance.now();
  for (const body of bodies) JSON.parse(Buffer.from(body).toString('utf8'));
  return (bodies.length * SPANS_PER_REQUEST) / ((performance.now() - started) / 1000);
}

/** A PyTorch-profiler-like trace: steps on 8 threads of 2 processes, each with nested X and B/E events, epoch µs with fractions. */
function chromeTrace(events: number): string {
  const parts: string[] = [];
  const threads = 8;
  let ts = 1_700_000_000_000_000;
  for (let n = 0; n < events; ) {
    const pid = 1000 + ((n >> 3) % 2);
    const tid = (n >> 3) % threads;
    parts.push(`{"name":"ProfilerStep#${(n >> 6) % 10}","ph":"X","ts":${ts},"dur":200.5,"pid":${pid},"tid":${tid},"cat":"cpu_op"}`);
    parts.push(`{"name":"aten::conv2d","ph":"B","ts":${ts + 10.25},"pid":${pid},"tid":${tid},"args":{"Input Dims":[[1,3,224,224]],"External id":${n}}}`);
    parts.push(`{"name":"aten::convolution","ph":"X","ts":${ts + 12},"dur":80.125,"pid":${pid},"tid":${tid},"cat":"cpu_op"}`);
    parts.push(`{"name":"aten::_convolution","ph":"X","ts":${ts + 13},"dur":70,"pid":${pid},"tid":${tid},"cat":"cpu_op"}`);
    parts.push(`{"ph":"E","ts":${ts + 150},"pid":${pid},"tid":${tid}}`);
    parts.push(`{"name":"aten::relu","ph":"X","ts":${ts + 160.5},"dur":20,"pid":${pid},"tid":${tid},"cat":"cpu_op"}`);
    parts.push(`{"name":"cudaLaunchKernel","ph":"X","ts":${ts + 165},"dur":5,"pid":${pid},"tid":${tid},"cat":"cuda_runtime"}`);
    parts.push(`{"name":"marker","ph":"i","ts":${ts + 190},"pid":${pid},"tid":${tid},"s":"t"}`);
    n += 8;
    ts += 250;
  }
  return `{"traceEvents":[\n${parts.join(',\n')}\n],"displayTimeUnit":"ms"}\n`;
}

/** Child process: one measurement, printed as JSON on stdout. */
function child(mode: string, file: string): void {
  const started = performance.now();
  const bytes = readFileSync(file);
  let detail: Record<string, unknown>;
  if (mode === 'analyze') {
    const { spans, warnings } = parseTraceFile(bytes, file);
    const analysis = analyzeRun(spans, { tree: false });
    detail = { spans: spans.length, paths: analysis.metrics.length, warnings: warnings.length + analysis.warnings.length };
  } else {
    const parsed = JSON.parse(bytes.toString('utf8')) as { traceEvents: unknown[] };
    detail = { events: parsed.traceEvents.length };
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({ seconds, cpuSeconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, ...detail }));
}

async function measureInChild(mode: string, file: string): Promise<{ seconds: number; cpuSeconds: number; peakRssMiB: number } & Record<string, unknown>> {
  const script = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--child', mode, file], {
    maxBuffer: 1 << 20,
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!, process.argv[4]!);

  console.log(`receiver ingest over loopback (client and receiver in one process, ${fmt(SPANS_PER_REQUEST)} spans/request, ${fmt(REQUESTS)} requests)`);
  const jsonBodies = Array.from({ length: REQUESTS }, (_, i) => Buffer.from(JSON.stringify(otlpRequest(i))));
  const protoBodies = Array.from({ length: REQUESTS }, (_, i) => toProtobuf(otlpRequest(i)));
  const jsonRate = await ingestRate('application/json', jsonBodies);
  const protoRate = await ingestRate('application/x-protobuf', protoBodies);
  const parseRate = plainParseRate(jsonBodies);
  const rate = (r: { wall: number; cpu: number }) => `${fmt(r.wall).padStart(9)} spans/s wall, ${fmt(r.cpu).padStart(9)} spans/CPU-s`;
  console.log(`  OTLP JSON      ${rate(jsonRate)}   (plain JSON.parse of the same bodies: ${fmt(parseRate)} spans/s)`);
  console.log(`  OTLP protobuf  ${rate(protoRate)}   (bodies ${(protoBodies[0]!.length / 1024).toFixed(0)} KiB vs ${(jsonBodies[0]!.length / 1024).toFixed(0)} KiB JSON)`);
  console.log(`  target ≥ 200,000 spans/s: ${Math.min(jsonRate.wall, protoRate.wall) >= 200_000 ? 'met' : 'NOT met'} (wall time)`);
  await receiverIngestAcrossProcesses({ json: jsonBodies, protobuf: protoBodies }, SPANS_PER_REQUEST);

  const dir = mkdtempSync(join(tmpdir(), 'frametail-bench-traces-'));
  try {
    const file = join(dir, 'trace.json');
    writeFileSync(file, chromeTrace(CHROME_EVENTS));
    const size = readFileSync(file).length;
    console.log(`\nChrome trace of ${fmt(CHROME_EVENTS)} events (${(size / 2 ** 20).toFixed(0)} MiB), each in a fresh child process`);
    const analyzed = await measureInChild('analyze', file);
    const plain = await measureInChild('json-parse', file);
    console.log(`  read + parse + analyze  ${analyzed.seconds.toFixed(2)} s (CPU ${analyzed.cpuSeconds.toFixed(2)} s), peak RSS ${analyzed.peakRssMiB.toFixed(0)} MiB  (${fmt(analyzed.spans as number)} spans, ${analyzed.paths} paths, ${analyzed.warnings} warnings)`);
    console.log(`  read + plain JSON.parse ${plain.seconds.toFixed(2)} s (CPU ${plain.cpuSeconds.toFixed(2)} s), peak RSS ${plain.peakRssMiB.toFixed(0)} MiB`);
    const met = analyzed.seconds <= 5 && analyzed.peakRssMiB <= 1024;
    console.log(`  target ≤ 5 s and ≤ 1 GiB: ${met ? 'met' : 'NOT met'} (wall time; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
