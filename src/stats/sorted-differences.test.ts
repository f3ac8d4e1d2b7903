import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedDifferences } from './sorted-differences.js';

/** The plain way: every difference, then Float64Array's sort. */
function sortedBySort(x: readonly number[], y: readonly number[]): Float64Array {
  const all: number[] = [];
  for (const yj of y) for (const xi of x) all.push(yj - xi);
  return Float64Array.from(all).sort();
}

const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('sortedDifferences', () => {
  it('is bit for bit the sort of every difference: ties, −0 and +0, infinities, NaN', () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom(0, -0, Infinity, -Infinity, 1e-9, -1e-9),
      fc.double({ min: 6, max: 8, noNaN: true }).map((v) => Math.round(Math.log(v) * 1e9) / 1e9),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 25 }), fc.array(value, { maxLength: 25 }), (x, y) => {
        expect(sameBits(sortedDifferences(x, y), sortedBySort(x, y))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is the same for samples too large for insertion sort and the scratch arrays', () => {
    const value = fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom(0, -0, 1));
    fc.assert(
      fc.property(fc.array(value, { minLength: 33, maxLength: 50 }), fc.array(value, { minLength: 90, maxLength: 130 }), (x, y) => {
        expect(sameBits(sortedDifferences(x, y), sortedBySort(x, y))).toBe(true);
        expect(sameBits(sortedDifferences(y, x), sortedBySort(y, x))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('orders −0 before +0 as the sort does', () => {
    const sorted = sortedDifferences([0, -0, 1], [-0, 0]);
    expect(Array.from(sorted, (v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(['-1', '-1', '-0', '0', '0', '0']);
  });
});
