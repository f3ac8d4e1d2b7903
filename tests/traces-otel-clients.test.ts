import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellsOf, planRuns } from '../src/plan/plan.js';
import { runEnv } from '../src/runner/env.js';
import { startReceiver, type Receiver } from '../src/traces/receiver.js';
import type { Span } from '../src/traces/span.js';
import { testConfig } from './helpers/config.js';

const client = fileURLToPath(new URL('../fixtures/traces/otel-client.mjs', import.meta.url));
const TOKEN = 'per-job-token-0123456789';
const REMOTE_PARENT = '00f067aa0ba902b7';

let receiver: Receiver;
const received: { runId: string | null; spans: Span[] }[] = [];
beforeAll(async () => {
  receiver = await startReceiver({ token: TOKEN, maxBodyBytes: 4 << 20, onSpans: (runId, spans) => received.push({ runId, spans }) });
});
afterAll(() => receiver.close());

interface Made { name: string; traceId: string; spanId: string; parentSpanId: string | null; startNs: string; endNs: string }

const config = testConfig({ run: { env: { OTEL_SERVICE_NAME: 'videogen', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=ci' } } });
const plannedRun = planRuns({ cells: cellsOf(config).slice(0, 1), sides: ['head'], firstRound: 1, lastRound: 1, warmup: 0, granularity: 'fine' })[0]!;

/**
 * Runs the instrumented child with exactly the environment the runner gives a run (runEnv), plus `extraEnv`;
 * returns the run id its spans must be filed under and the spans it says it made.
 */
async function runClient(kind: 'json' | 'proto' | 'grpc', traceId: string, extraEnv: Record<string, string>): Promise<{ runId: string; made: Made[] }> {
  const run = { ...plannedRun, id: `run-${traceId.slice(0, 8)}` };
  const env = runEnv({
    baseEnv: { PATH: process.env.PATH, ...extraEnv },
    config,
    run,
    traceDir: '/nonexistent',
    trace: { traceId, parentSpanId: REMOTE_PARENT },
    receiver: { url: receiver.url, endpoint: receiver.endpoint, token: TOKEN },
  });
  const { stdout } = await promisify(execFile)(process.execPath, [client, kind], { env });
  return { runId: run.id, made: JSON.parse(stdout.trim().split('\n').pop()!) as Made[] };
}

describe.each([
  ['json', '@opentelemetry/exporter-trace-otlp-http', {}, '4bf92f3577b34da6a3ce929d0e0e4736'],
  ['proto', '@opentelemetry/exporter-trace-otlp-proto', {}, '0af7651916cd43dd8448eb211c80319c'],
  ['grpc', '@opentelemetry/exporter-trace-otlp-grpc', {}, '6e0c63257de34c926f9efcd03927272e'],
  ['grpc', '@opentelemetry/exporter-trace-otlp-grpc, grpc-encoding gzip', { OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }, '2f6ba8c54fa8e8d9a2e6fd1b3b5a7c11'],
] as const)('spans from %s (%s) in a child process', (kind, _exporter, extraEnv, traceId) => {
  it('arrive attributed to the run with the ids, names, parent links and nanosecond times the SDK made', async () => {
    const { runId, made } = await runClient(kind, traceId, extraEnv);
    expect(made).toHaveLength(4);

    const spans = received.filter((r) => r.runId === runId).flatMap((r) => r.spans);
    const got = spans.map((s) => ({
      name: s.name, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, startNs: String(s.startNs), endNs: String(s.endNs),
    }));
    expect(got.sort((a, b) => a.name.localeCompare(b.name))).toEqual(made.sort((a, b) => a.name.localeCompare(b.name)));

    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(byName.generate!.traceId).toBe(traceId);
    expect(byName.generate!.parentSpanId).toBe(REMOTE_PARENT);
    expect(byName.generate!.startNs).toBe(1_700_000_000_000_000_123n);
    expect(byName.generate!.endNs).toBe(1_700_000_000_100_000_456n);
    expect(byName['cache.lookup']!.parentSpanId).toBe(byName.preprocess!.spanId);
    expect(byName['cache.lookup']!.endNs).toBe(1_700_000_000_003_999_999n);
    expect(byName['cache.lookup']!.code).toEqual({ file: 'pipeline/cache.py', line: 12, function: 'lookup' });
    expect(byName.denoise!.status).toBe('error');
    expect(byName.generate!.resource).toMatchObject({ 'frametail.run.id': runId, 'service.name': 'videogen', 'deployment.environment': 'ci' });
  });
});
