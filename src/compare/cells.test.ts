import { describe, expect, it } from 'vitest';
import type { RunLine } from '../results/format.js';
import { expectClose, loadReference, type ReferenceCase } from '../stats/reference.test-support.js';
import { summarizeSide } from './cells.js';

const reference = loadReference<ReferenceCase<{ values: number[] }, { p90: number }>[]>('p90');

const run = (latencyMs: number, round: number): RunLine =>
  ({ type: 'run', id: `r${round}`, side: 'head', input: 'a', variant: 'x', round, status: 'completed', latencyMs, granularity: 'coarse', phase: 'measure' }) as RunLine;

describe('summarizeSide: p90 beside the median', () => {
  it.each(reference)('$call', ({ call, input, output }) => {
    const side = summarizeSide(input.values.map((ms, i) => run(ms, i + 1)));
    expectClose(side.p90Ms!, output.p90, 1e-13, call);
  });

  it('leaves failed runs out, and has no p90 without a completed run', () => {
    const failed = { ...run(0, 3), status: 'failed', latencyMs: null } as RunLine;
    expect(summarizeSide([run(100, 1), run(200, 2), failed]).p90Ms).toBeCloseTo(190, 12);
    expect(summarizeSide([failed]).p90Ms).toBeNull();
  });
});
