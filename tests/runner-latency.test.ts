import { describe, expect, it } from 'vitest';
import { runLatency } from '../src/runner/latency.js';
import type { Span } from '../src/traces/span.js';

const MS = 1_000_000n;
const T0 = 1_700_000_000_000n * MS;
const span = (spanId: string, parentSpanId: string | null, name: string, startMs: number, endMs: number): Span => ({
  traceId: 'a'.repeat(32), spanId, parentSpanId, name, startNs: T0 + BigInt(startMs) * MS, endNs: T0 + BigInt(endMs) * MS, status: 'ok', attributes: {},
});

// The app's root has Frametail's TRACEPARENT span as parent, which is never exported.
const spans = [span('1'.repeat(16), 'f'.repeat(16), 'generate', 0, 812), span('2'.repeat(16), '1'.repeat(16), 'encode', 100, 400), span('3'.repeat(16), '1'.repeat(16), 'encode', 450, 500)];

describe('runLatency', () => {
  it('root: the duration of the root span, not the wall time of the process', () => {
    expect(runLatency('root', spans, 1500)).toMatchObject({ latencyMs: 812, source: 'root' });
  });

  it('span:NAME: the longest span of that name', () => {
    expect(runLatency('span:encode', spans, 1500)).toMatchObject({ latencyMs: 300, source: 'span:encode' });
  });

  it('falls back to wall time when the span did not arrive, and wall is always wall', () => {
    expect(runLatency('root', [], 1500)).toMatchObject({ latencyMs: 1500, source: 'wall' });
    expect(runLatency('span:decode', spans, 1500)).toMatchObject({ latencyMs: 1500, source: 'wall' });
    expect(runLatency('wall', spans, 1500)).toMatchObject({ latencyMs: 1500, source: 'wall' });
  });
});
