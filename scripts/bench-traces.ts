// `npm run bench:traces`: how fast the trace path is, each figure next to a plain JSON.parse of the same
// bytes. (1) spans per second ingested by the OTLP receiver over loopback, client and receiver sharing one
// process (one core), for OTLP JSON and protobuf (BENCH_SKIP_INGEST=1 leaves it out); (2) CPU time and peak
// RSS of `frametail traces FILE` on generated 58 MB legacy-torch, Kineto and OTLP JSON files, each in a fresh
// child process so peak RSS is its own, against JSON.parse of the same bytes, their runs alternating so load
// that comes and goes on a shared machine falls on both (target, issue 11: within 2×);
// (3) the same on span chains 1k, 10k and 100k deep (issue 13: linear in depth).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { renderTraces } from '../src/traces/command.js';
import { parseTraceFile } from '../src/traces/files.js';
import { readTraceFile } from '../src/traces/read-file.js';
import { startReceiver } from '../src/traces/receiver.js';
import { otlpRequest, receiverIngestAcrossProcesses, SPANS_PER_REQUEST, toProtobuf } from './bench-receiver-ingest.js';

const REQUESTS = 300;
// Sizes of issue 11's measurement: a 58 MB legacy torch trace has 522k events; the others are sized to match.
const LEGACY_EVENTS = Number(process.env.BENCH_LEGACY_EVENTS ?? 522_000);
const KINETO_EVENTS = Number(process.env.BENCH_KINETO_EVENTS ?? 300_000);
const OTLP_SPANS = Number(process.env.BENCH_OTLP_SPANS ?? 145_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const CHAIN_DEPTHS = (process.env.BENCH_CHAIN_DEPTHS ?? '1000,10000,100000').split(',').map(Number);

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

/** PyTorch's legacy exporter: one line, `{"name": …, "ph": "X", …}` with spaces, whole µs, a range per step over nested aten ops. */
function legacyTorchTrace(events: number): string {
  const parts: string[] = [];
  const ev = (name: string, ts: number, dur: number) =>
    `{"name": "${name}", "ph": "X", "ts": ${ts}, "dur": ${dur}, "tid": 1, "pid": "CPU functions", "args": {}}`;
  let ts = 100;
  for (let n = 0; n < events; n += 10) {
    parts.push(ev(`step#${(n / 10) % 50}`, ts, 400));
    parts.push(ev('aten::zeros', ts + 1, 3), ev('aten::empty', ts + 1, 1), ev('aten::zero_', ts + 3, 0));
    parts.push(ev('aten::linear', ts + 10, 300), ev('aten::t', ts + 11, 5), ev('aten::matmul', ts + 20, 280));
    parts.push(ev('aten::mm', ts + 21, 278), ev('aten::resolve_conj', ts + 30, 1), ev('aten::relu', ts + 320, 60));
    ts += 410;
  }
  return `[${parts.join(', ')}]`;
}

/** libkineto's layout: categories, args, epoch µs with 3 decimals, a GPU stream, ac2g flows from each launch to its kernel. */
function kinetoTrace(events: number): string {
  const parts: string[] = [];
  const pid = 4242;
  let ts = 1_790_000_000_000_000;
  const t = (x: number) => x.toFixed(3);
  parts.push(`{"ph": "X", "cat": "Trace", "ts": ${t(ts - 10)}, "dur": ${t(events * 50)}, "pid": "Spans", "tid": "PyTorch Profiler", "name": "PyTorch Profiler (0)", "args": {"Op count": 0}}`);
  for (let n = 0; n < events; n += 8) {
    const id = n;
    const cpu = (cat: string, name: string, at: number, dur: number) =>
      `{"ph": "X", "cat": "${cat}", "name": "${name}", "pid": ${pid}, "tid": ${pid}, "ts": ${t(at)}, "dur": ${t(dur)}, "args": {"External id": ${id}, "Record function id": 0, "Ev Idx": ${n}}}`;
    parts.push(cpu('user_annotation', `ProfilerStep#${(n / 8) % 100}`, ts, 380.25));
    parts.push(cpu('cpu_op', 'aten::linear', ts + 10.125, 300.5), cpu('cpu_op', 'aten::matmul', ts + 20.5, 280.25));
    parts.push(cpu('cpu_op', 'aten::mm', ts + 21.75, 278.125), cpu('cuda_runtime', 'cudaLaunchKernel', ts + 100.5, 5.25));
    parts.push(`{"ph": "X", "cat": "kernel", "name": "volta_sgemm_128x64_nn", "pid": 0, "tid": 7, "ts": ${t(ts + 110)}, "dur": ${t(150.5)}, "args": {"queued": 0, "device": 0, "context": 1, "stream": 7, "correlation": ${id}, "registers per thread": 126, "shared memory": 12288, "grid": [40, 1, 1], "block": [256, 1, 1]}}`);
    parts.push(`{"ph": "s", "id": ${id}, "pid": ${pid}, "tid": ${pid}, "ts": ${t(ts + 100.5)}, "cat": "ac2g", "name": "ac2g"}`);
    parts.push(`{"ph": "f", "id": ${id}, "pid": 0, "tid": 7, "ts": ${t(ts + 110)}, "cat": "ac2g", "name": "ac2g", "bp": "e"}`);
    ts += 400;
  }
  return `{\n  "schemaVersion": 1,\n  "deviceProperties": [],\n  "traceEvents": [\n  ${parts.join(',\n  ')}\n]}`;
}

/** OTLP JSON (the file exporter's shape): requests of 1000 spans, hex ids, string nanosecond times, a few attributes. */
function otlpFile(spans: number): string {
  const requests = Math.ceil(spans / SPANS_PER_REQUEST);
  const all = Array.from({ length: requests }, (_, i) => otlpRequest(i).resourceSpans[0]!);
  return JSON.stringify({ resourceSpans: all });
}

/** A chain of spans `depth` deep, each inside the one before (Chrome trace). */
function chainTrace(depth: number): string {
  const parts: string[] = [];
  for (let i = 0; i < depth; i++) parts.push(`{"name":"level-${i % 7}","ph":"X","ts":${i},"dur":${2 * (depth - i)},"pid":1,"tid":1}`);
  return `[${parts.join(',')}]`;
}

/** Child process: one measurement, printed as JSON on stdout; CPU and wall time count from the first byte read. */
async function child(mode: string, file: string): Promise<void> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let detail: Record<string, unknown>;
  if (mode === 'traces') {
    // What `frametail traces FILE` does: bounded read, parse, analyze, render the table.
    const bytes = await readTraceFile(file, { followSymlinks: true });
    const { spans, warnings } = parseTraceFile(bytes, file);
    const text = renderTraces([{ file, spans, warnings }], { json: false });
    detail = { spans: spans.length, outputBytes: text.length };
  } else {
    const parsed = JSON.parse(readFileSync(file).toString('utf8')) as unknown[] | { traceEvents?: unknown[]; resourceSpans?: unknown[] };
    detail = { items: Array.isArray(parsed) ? parsed.length : (parsed.traceEvents ?? parsed.resourceSpans)!.length };
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({ seconds, cpuSeconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, ...detail }));
}

type Measurement = { seconds: number; cpuSeconds: number; peakRssMiB: number } & Record<string, unknown>;

/** One measurement of `mode` on `file` in a fresh child process. */
async function runChild(mode: string, file: string): Promise<Measurement> {
  const script = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--child', mode, file], {
    maxBuffer: 1 << 20,
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Measurement;
}

/** The run with the median CPU time. */
function median(runs: Measurement[]): Measurement {
  return [...runs].sort((a, b) => a.cpuSeconds - b.cpuSeconds)[Math.floor(runs.length / 2)]!;
}

/** One measurement in a fresh child process, REPEATS times; the run with the median CPU time (the machine may be shared). */
async function measureInChild(mode: string, file: string): Promise<Measurement> {
  const runs = [];
  for (let r = 0; r < REPEATS; r++) runs.push(await runChild(mode, file));
  return median(runs);
}

/**
 * `frametail traces` and JSON.parse on the same file, REPEATS times each with their runs alternating
 * (traces, JSON.parse, traces, …), so load that comes and goes on a shared machine falls on both; each
 * side's run with the median CPU time.
 */
async function measurePair(file: string): Promise<{ traces: Measurement; plain: Measurement }> {
  const traces = [];
  const plain = [];
  for (let r = 0; r < REPEATS; r++) {
    traces.push(await runChild('traces', file));
    plain.push(await runChild('json-parse', file));
  }
  return { traces: median(traces), plain: median(plain) };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!, process.argv[4]!);
  if (process.env.BENCH_SKIP_INGEST === undefined) await ingest();
  await traceFiles();
}

/** (1) The receiver's ingest rate. */
async function ingest(): Promise<void> {
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
  await receiverIngestAcrossProcesses({ json: jsonBodies, protobuf: protoBodies });
}

/** (2) `frametail traces` on big files of each producer, and (3) on deep chains. */
async function traceFiles(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'frametail-bench-traces-'));
  try {
    console.log(`\n\`frametail traces FILE\` against a plain JSON.parse of the same bytes, each in a fresh child process, their runs alternating (CPU s, peak RSS; median of ${REPEATS})`);
    const files: [string, string][] = [
      ['legacy torch', legacyTorchTrace(LEGACY_EVENTS)],
      ['Kineto', kinetoTrace(KINETO_EVENTS)],
      ['OTLP JSON', otlpFile(OTLP_SPANS)],
    ];
    for (const [label, text] of files) {
      const file = join(dir, 'trace.json');
      writeFileSync(file, text);
      const { traces, plain } = await measurePair(file);
      const cpuRatio = traces.cpuSeconds / plain.cpuSeconds;
      const rssRatio = traces.peakRssMiB / plain.peakRssMiB;
      console.log(
        `  ${label.padEnd(12)} ${(text.length / 2 ** 20).toFixed(0).padStart(3)} MiB, ${fmt(traces.spans as number).padStart(7)} spans:` +
          ` traces ${traces.cpuSeconds.toFixed(2)} s ${traces.peakRssMiB.toFixed(0)} MiB, JSON.parse ${plain.cpuSeconds.toFixed(2)} s ${plain.peakRssMiB.toFixed(0)} MiB` +
          ` → ×${cpuRatio.toFixed(2)} CPU, ×${rssRatio.toFixed(2)} memory (target ≤ 2: ${cpuRatio <= 2 && rssRatio <= 2 ? 'met' : 'NOT met'})`,
      );
    }
    console.log(`\nspan chains (each span inside the one before): cost must grow linearly with depth`);
    let previous: { depth: number; cpu: number } | undefined;
    for (const depth of CHAIN_DEPTHS) {
      const file = join(dir, 'chain.json');
      writeFileSync(file, chainTrace(depth));
      const m = await measureInChild('traces', file);
      const growth = previous ? `, ×${(m.cpuSeconds / previous.cpu).toFixed(1)} CPU for ×${depth / previous.depth} depth` : '';
      console.log(`  ${fmt(depth).padStart(7)} deep: ${m.cpuSeconds.toFixed(2)} s CPU, peak RSS ${m.peakRssMiB.toFixed(0)} MiB, output ${fmt(m.outputBytes as number)} bytes${growth}`);
      previous = { depth, cpu: m.cpuSeconds };
    }
    console.log(`  (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
