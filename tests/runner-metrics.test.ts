import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResults } from '../src/results/read.js';
import { runSide } from '../src/runner/run-side.js';
import { defaultTraceBackend } from '../src/runner/trace-backend.js';
import { testConfig } from './helpers/config.js';

// A pipeline that writes a coarse trace file whose model call sits two levels below the root, and metric
// lines; `cost` only in round 1, so round 2 has it missing.
const SCRIPT = `
const fs = require('node:fs'), path = require('node:path');
const [, traceId, parentId] = process.env.TRACEPARENT.split('-');
const t0 = 1700000000000000000n;
const ns = (ms) => String(t0 + BigInt(ms) * 1000000n);
const s = (id, parent, name, a, b, attrs = []) => ({ traceId, spanId: id.repeat(16), parentSpanId: parent, name, startTimeUnixNano: ns(a), endTimeUnixNano: ns(b), attributes: attrs });
const attr = (key, value) => ({ key, value: typeof value === 'string' ? { stringValue: value } : { intValue: String(value) } });
const spans = [
  s('1', parentId, 'generate', 0, 1000),
  s('2', '1'.repeat(16), 'model.generate', 100, 900),
  s('3', '2'.repeat(16), 'model.request', 150, 750, [attr('gen_ai.operation.name', 'generate_content'), attr('gen_ai.provider.name', 'acme'), attr('gen_ai.usage.output_tokens', 300)]),
  s('4', '3'.repeat(16), 'http.post', 200, 700),
  s('5', '2'.repeat(16), 'vendor.upload', 760, 880),
];
fs.writeFileSync(path.join(process.env.FRAMETAIL_TRACE_DIR, 'trace.json'), JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }));
const lines = [JSON.stringify({ name: 'bytes', value: 4096, unit: 'B' }), 'oops'];
if (process.env.FRAMETAIL_ROUND === '1') lines.push(JSON.stringify({ name: 'cost', value: 0.25, unit: 'USD' }));
fs.writeFileSync(process.env.FRAMETAIL_METRICS_FILE, lines.join('\\n') + '\\n');
const keep = Buffer.alloc(64e6, 1);
setTimeout(() => keep.length, 150);
`;

describe('runner: per-run metrics', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records own and model time (model spans deeper than the root\'s children kept at coarse, by GenAI attribute or tracing.model-spans), configured metrics, peak memory and missing values', async () => {
    dir = await mkdtemp(join(tmpdir(), 'frametail-run-metrics-'));
    await writeFile(join(dir, 'pipeline.cjs'), SCRIPT);
    const config = testConfig({ variants: ['only'], command: [process.execPath, join(dir, 'pipeline.cjs')], run: { latency: 'root' }, tracing: { 'model-spans': ['vendor.*'] } });
    config.metrics = [
      { name: 'cost', unit: 'USD', direction: 'lower', gate: true, file: true },
      { name: 'bytes', unit: 'B', direction: 'lower', gate: false, file: true },
      { name: 'tokens', unit: 'tokens', direction: 'lower', gate: false, 'span-attribute': { name: 'gen_ai.usage.output_tokens', aggregate: 'sum' } },
      { name: 'rss', unit: 'MB', direction: 'lower', gate: false, builtin: 'peak-rss' },
    ];
    const warnings: string[] = [];
    const result = await runSide({ config, checkoutDir: process.cwd(), side: 'head', outDir: join(dir, 'out'), rounds: 2, traceBackend: await defaultTraceBackend(), warn: (w) => warnings.push(w) });
    const read = parseResults(readFileSync(result.file, 'utf8'), result.file);
    expect(read.runs).toHaveLength(2);
    const [first, second] = read.runs;
    expect(first!.latencyMs).toBe(1000);
    // model.request (600 ms, GenAI) and vendor.upload (120 ms, named by tracing.model-spans), both below model.generate.
    expect(first!.metrics).toMatchObject({ modelMs: 720, ownMs: 280, cost: 0.25, bytes: 4096, tokens: 300 });
    expect(first!.metrics!.rss).toBeGreaterThan(64);
    expect(first!.missingMetrics).toBeUndefined();
    expect(second!.metrics).not.toHaveProperty('cost');
    expect(second!.missingMetrics).toEqual(['cost']);
    expect(read.spans.filter((s) => s.run === first!.id).map((s) => s.name).sort()).toEqual(['generate', 'model.generate', 'model.request', 'vendor.upload']);
    expect(warnings).toContain(`${first!.id}: FRAMETAIL_METRICS_FILE:2: not a JSON object; the line is ignored`);
  });
});
