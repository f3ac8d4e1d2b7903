import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageRanks, rankSumOfFirst, tieCorrectionTerm } from './rank.js';

/** The definition: sort indexes by value, give each run of equal values the mean of the ranks it spans. */
function byDefinition(values: number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const ranks = new Array<number>(values.length).fill(0);
  const tieSizes: number[] = [];
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    for (let k = start; k < end; k++) ranks[order[k]!] = (start + 1 + end) / 2;
    tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}

describe('averageRanks', () => {
  it("gives scipy's mid ranks", () => {
    // scipy.stats.rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], method='average')
    const { ranks, tieSizes } = averageRanks([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]);
    expect(ranks).toEqual([4.5, 1.5, 6.0, 1.5, 8.0, 11.0, 3.0, 10.0, 8.0, 4.5, 8.0]);
    expect(tieSizes).toEqual([2, 1, 2, 1, 3, 1, 1]);
    expect(tieCorrectionTerm(tieSizes)).toBe(6 + 6 + 24);
  });

  it('is the comparator-sort definition on any sample, ties, signed zeros and infinities included', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-0, 0, Infinity, -Infinity, 0.1, 1e-9), fc.double({ noNaN: true }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 50 }), (values) => {
        expect(averageRanks(values)).toEqual(byDefinition(values));
      }),
      { numRuns: 500 },
    );
  });

  it('ranks the empty sample as empty', () => {
    expect(averageRanks([])).toEqual({ ranks: [], tieSizes: [] });
  });
});

describe('rankSumOfFirst', () => {
  /** What Mann–Whitney read before: the pooled sample ranked, x's ranks summed in input order. */
  function fromPooledRanks(x: number[], y: number[]): { rankSum: number; tieSizes: number[] } {
    const { ranks, tieSizes } = averageRanks([...x, ...y]);
    let rankSum = 0;
    for (let i = 0; i < x.length; i++) rankSum += ranks[i]!;
    return { rankSum, tieSizes };
  }
  const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-0, 0, Infinity, -Infinity, NaN, 0.1, 1e-9), fc.double());
  const sample = fc.array(value, { maxLength: 60 });

  it('is the pooled ranking summed over x, tie groups in the same order: ties, signed zeros, infinities, NaN', () => {
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        expect(rankSumOfFirst(x, y)).toEqual(fromPooledRanks(x, y));
      }),
      { numRuns: 2000 },
    );
  });

  it('is the same when the caller passes its samples sorted, and leaves them alone', () => {
    // Without NaN: with one, the pooled ranking itself depends on the input order (NaN is unordered).
    const ordered = fc.array(value.filter((v) => !Number.isNaN(v)), { maxLength: 60 });
    fc.assert(
      fc.property(ordered, ordered, (x, y) => {
        const xs = Array.from(Float64Array.from(x).sort());
        const ys = Array.from(Float64Array.from(y).sort());
        const copy = [xs.slice(), ys.slice()];
        expect(rankSumOfFirst(xs, ys)).toEqual(fromPooledRanks(x, y));
        expect([xs, ys]).toEqual(copy);
      }),
      { numRuns: 1000 },
    );
  });

  it('counts −0 and +0 as one tie group across the samples', () => {
    // Pooled [−0, 1, 0, 0]: the zeros share ranks 1–3 (mid rank 2), 1 has rank 4.
    expect(rankSumOfFirst([-0, 1], [0, 0])).toEqual({ rankSum: 6, tieSizes: [3, 1] });
  });
});
