import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedCopy, sortInPlace } from './order-statistic.js';

const sameBits = (a: ArrayLike<number>, b: Float64Array) => a.length === b.length && b.every((v, i) => Object.is(v, a[i]));

describe('sortedCopy', () => {
  it("is bit for bit Float64Array's sort: ties, −0 and +0, infinities, NaN, short and long samples", () => {
    const value = fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 1e-9));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 100 }), (values) => {
        expect(sameBits(sortedCopy(values), Float64Array.from(values).sort())).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('orders signed zeros as the native sort does and leaves its input alone', () => {
    const values = [0, -0, 1, -0, -1, 0];
    const sorted = sortedCopy(values);
    expect(Array.from(sorted).map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(['-1', '-0', '-0', '0', '0', '1']);
    expect(values).toEqual([0, -0, 1, -0, -1, 0]);
  });
});

describe('sortInPlace', () => {
  it("sorts its array in place, bit for bit as Float64Array's sort: ties, −0 and +0, infinities, NaN, short and long", () => {
    const value = fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 1e-9));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 100 }), (values) => {
        const expected = Float64Array.from(values).sort();
        const array = values.slice();
        expect(sortInPlace(array)).toBe(array);
        expect(sameBits(array, expected)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
