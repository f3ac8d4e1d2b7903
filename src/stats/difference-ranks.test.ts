import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differencesAtRanks } from './difference-ranks.js';

/** The plain way: every difference, then Float64Array's sort, read at each rank. */
function atRanksBySort(x: readonly number[], y: readonly number[], ranks: readonly number[]): number[] {
  const all: number[] = [];
  for (const yj of y) for (const xi of x) all.push(yj - xi);
  const sorted = Float64Array.from(all).sort();
  return ranks.map((rank) => sorted[rank]!);
}

const sameBits = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** Two samples and some ranks of their n1·n2 differences (the Hodges–Lehmann reads a median pair and two bounds per level). */
function samplesAndRanks(value: fc.Arbitrary<number>, maxLength = 60) {
  return fc
    .tuple(fc.array(value, { minLength: 1, maxLength }), fc.array(value, { minLength: 1, maxLength }))
    .chain(([x, y]) => fc.tuple(fc.constant(x), fc.constant(y), fc.array(fc.nat(x.length * y.length - 1), { minLength: 1, maxLength: 6 })));
}

describe('differencesAtRanks', () => {
  it('is bit for bit the sorted differences at each rank: ties, −0 and +0, infinities, NaN, sizes 1..60', () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 1e-9, -1e-9),
      fc.double({ min: 6, max: 8, noNaN: true }).map((v) => Math.round(Math.log(v) * 1e9) / 1e9),
    );
    fc.assert(
      fc.property(samplesAndRanks(value), ([x, y, ranks]) => {
        expect(sameBits(differencesAtRanks(x, y, ranks), atRanksBySort(x, y, ranks))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is the same on log latencies with many ties and signed zeros, where the window is searched', () => {
    // Few distinct values (ties across rows and columns), −0 from logs that round to zero, both signs of zero.
    const value = fc.oneof(fc.constantFrom(0, -0, 0.001, -0.001, 0.002), fc.integer({ min: 0, max: 4 }).map((v) => Math.round(Math.log(1 + v / 10) * 1e9) / 1e9));
    fc.assert(
      fc.property(samplesAndRanks(value), ([x, y, ranks]) => {
        expect(sameBits(differencesAtRanks(x, y, ranks), atRanksBySort(x, y, ranks))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads the median and both bounds of a 20-against-20 cell, whatever their order", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 6, max: 8, noNaN: true }), { minLength: 20, maxLength: 20 }), fc.array(fc.double({ min: 6, max: 8, noNaN: true }), { minLength: 20, maxLength: 20 }), (x, y) => {
        const ranks = [199, 200, 138, 261, 0, 399];
        expect(sameBits(differencesAtRanks(x, y, ranks), atRanksBySort(x, y, ranks))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('orders −0 before +0 as the sort does', () => {
    // Differences of [0, −0, 1] from [−0, 0, 0, 0, 0, 0, 0, 0, 0]: many zeros of both signs, one window.
    const x = [0, -0, 1];
    const y = [-0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0];
    const ranks = Array.from({ length: x.length * y.length }, (_, i) => i);
    expect(sameBits(differencesAtRanks(x, y, ranks), atRanksBySort(x, y, ranks))).toBe(true);
    expect(Object.is(differencesAtRanks(x, y, [25])[0], -0)).toBe(true);
  });
});
