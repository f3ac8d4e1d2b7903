import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunLine } from '../results/format.js';
import { expectClose, loadReference, type ReferenceCase } from '../stats/reference.test-support.js';
import { groupCells, summarizeSide, type CellOrder } from './cells.js';

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

describe('summarizeSide: samples in round order', () => {
  it('orders the samples by round whatever the file order, and takes the median of all of them', () => {
    const side = summarizeSide([run(300, 3), run(100, 1), run(200, 2), run(400, 4)]);
    expect(side.samplesMs).toEqual([100, 200, 300, 400]);
    expect(side.medianMs).toBe(250);
  });
});

describe('groupCells: task order', () => {
  const cellRun = (input: string, variant: string, side: 'base' | 'head'): RunLine =>
    ({ type: 'run', id: `${side}-${input}-${variant}`, side, input, variant, round: 1, status: 'completed', latencyMs: 1, granularity: 'coarse', phase: 'measure' }) as RunLine;

  it("puts the config's inputs × variants first, then other cells as they first appear (base, then head)", () => {
    const base = [cellRun('b', 'y', 'base'), cellRun('z', 'x', 'base'), cellRun('a', 'y', 'base')];
    const head = [cellRun('a', 'x', 'head'), cellRun('q', 'q', 'head'), cellRun('b', 'y', 'head')];
    const cells = groupCells(base, head, { inputs: ['a', 'b'], variants: ['x', 'y'] });
    expect(cells.map((c) => `${c.input}/${c.variant}:${c.presence}`)).toEqual(['a/x:added', 'a/y:removed', 'b/y:both', 'z/x:removed', 'q/q:added']);
  });

  it('is the order of looking up every input × variant of the config, on any runs', () => {
    const byDefinition = (cells: ReturnType<typeof groupCells>, order: CellOrder) => {
      const listed = order.inputs.flatMap((input) => order.variants.flatMap((variant) => cells.filter((c) => c.input === input && c.variant === variant)));
      return [...listed, ...cells.filter((c) => !listed.includes(c))];
    };
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    fc.assert(
      fc.property(fc.array(fc.tuple(id, id, fc.boolean()), { maxLength: 30 }), fc.uniqueArray(id), fc.uniqueArray(id), (runs, inputs, variants) => {
        const lines = runs.map(([input, variant, head]) => cellRun(input, variant, head ? 'head' : 'base'));
        const base = lines.filter((r) => r.side === 'base');
        const head = lines.filter((r) => r.side === 'head');
        const order = { inputs, variants };
        // Without an order the cells come in order of appearance; the order only moves listed cells to the front.
        expect(groupCells(base, head, order)).toEqual(byDefinition(groupCells(base, head), order));
      }),
      { numRuns: 300 },
    );
  });
});
