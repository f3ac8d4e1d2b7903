import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runLineSchema } from './format.js';
import { fastRunLine, slimRunLine } from './run-line.js';

describe('fastRunLine', () => {
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 3 }), fc.double(), fc.integer({ min: -3, max: 3 }));
  const line = fc.record(
    {
      type: fc.constant('run'),
      id: maybe(fc.string({ maxLength: 5 })),
      side: maybe(fc.constantFrom('base', 'head', 'both')),
      input: maybe(fc.constantFrom('a', '', 'constructor')),
      variant: maybe(fc.constantFrom('v', '')),
      round: maybe(fc.integer({ min: -1, max: 9 })),
      status: maybe(fc.constantFrom('completed', 'failed', 'timeout', 'ok')),
      latencyMs: maybe(fc.double()),
      wallMs: maybe(fc.double()),
      granularity: maybe(fc.constantFrom('coarse', 'fine', 'medium')),
      phase: maybe(fc.constantFrom('measure', 'warmup', 'attribution', 'other')),
      traceId: maybe(fc.string({ maxLength: 4 })),
      spans: maybe(fc.integer({ min: -1, max: 9 })),
      exitCode: maybe(fc.integer({ min: -1, max: 255 })),
      error: maybe(fc.string({ maxLength: 5 })),
      startedAt: maybe(fc.string({ maxLength: 5 })),
      extra: maybe(fc.string()),
    },
    { requiredKeys: ['type'] },
  );

  it('accepts exactly what runLineSchema accepts, with the same kept fields', () => {
    fc.assert(
      fc.property(line, (value) => {
        const fast = fastRunLine(value as Record<string, unknown>);
        const parsed = runLineSchema.safeParse(value);
        expect(fast === undefined).toBe(!parsed.success);
        if (parsed.success) expect(fast).toEqual(slimRunLine(parsed.data));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the error and exit code of a failed run, not of a completed one', () => {
    const base = { type: 'run', id: 'r', side: 'head', input: 'a', variant: 'v', exitCode: 3, error: 'boom', wallMs: 5, traceId: 't', startedAt: 's' };
    expect(fastRunLine({ ...base, status: 'failed', latencyMs: null })).toEqual({ type: 'run', id: 'r', side: 'head', input: 'a', variant: 'v', status: 'failed', latencyMs: null, granularity: 'coarse', phase: 'measure', exitCode: 3, error: 'boom' });
    expect(fastRunLine({ ...base, status: 'completed', latencyMs: 4 })).toEqual({ type: 'run', id: 'r', side: 'head', input: 'a', variant: 'v', status: 'completed', latencyMs: 4, granularity: 'coarse', phase: 'measure' });
  });
});
