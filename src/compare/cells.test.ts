import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunLine } from '../results/format.js';
import { expectClose, loadReference, type ReferenceCase } from '../stats/reference.test-support.js';
import { groupCells, pairByRound, summarizeSide, type CellOrder } from './cells.js';

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

describe('pairByRound', () => {
  /** The definition of DESIGN §5: paired when every run has a round, each once, and both sides ran the same rounds; pairs by ascending round, both completed. */
  const byDefinition = (base: RunLine[], head: RunLine[]) => {
    const rounds = (runs: RunLine[]) => runs.map((r) => r.round);
    const unique = (runs: RunLine[]) => new Set(rounds(runs)).size === runs.length && runs.every((r) => r.round !== undefined);
    const same = [...rounds(base)].sort().join() === [...rounds(head)].sort().join();
    if (base.length === 0 || !unique(base) || !unique(head) || !same) return { paired: false, pairs: [] };
    const pairs = [...rounds(base)]
      .sort((x, y) => x! - y!)
      .map((round) => ({ round: round!, base: base.find((r) => r.round === round)!, head: head.find((r) => r.round === round)! }))
      .filter((p) => p.base.status === 'completed' && p.head.status === 'completed');
    return { paired: true, pairs };
  };
  const side = (rounds: (number | undefined)[], failed: boolean[], name: 'base' | 'head') =>
    rounds.map((round, i) => ({ ...run(i + 1, 0), id: `${name}${i}`, side: name, round, status: failed[i] ? 'failed' : 'completed' }) as RunLine);

  it('pairs runs listed in step (the runner writes rounds ascending) as it pairs them in any order', () => {
    const round = fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined, freq: 8 });
    fc.assert(
      fc.property(fc.array(round, { maxLength: 7 }), fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), fc.boolean(), fc.boolean(), (rounds, failed, shuffle, sameRounds) => {
        const baseRounds = sameRounds ? [...new Set(rounds)].sort((a, b) => (a ?? 0) - (b ?? 0)) : rounds;
        const headRounds = shuffle ? [...baseRounds].reverse() : baseRounds;
        const base = side(baseRounds, failed, 'base');
        const head = side(headRounds, [...failed].reverse(), 'head');
        expect(pairByRound(base, head)).toEqual(byDefinition(base, head));
        expect(pairByRound(base, side(rounds, failed, 'head'))).toEqual(byDefinition(base, side(rounds, failed, 'head')));
      }),
      { numRuns: 500 },
    );
  });

  it('pairs the usual in-step layout by round, leaving out rounds a side did not complete', () => {
    const base = side([1, 2, 3, 4], [false, true, false, false], 'base');
    const head = side([1, 2, 3, 4], [false, false, false, true], 'head');
    expect(pairByRound(base, head)).toEqual({ paired: true, pairs: [{ round: 1, base: base[0], head: head[0] }, { round: 3, base: base[2], head: head[2] }] });
    expect(pairByRound(base, side([1, 2, 3, 5], [], 'head')).paired).toBe(false);
    expect(pairByRound(base, side([1, 2, 2, 4], [], 'head')).paired).toBe(false);
  });
});
