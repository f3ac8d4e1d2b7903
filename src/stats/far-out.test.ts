import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAR_OUT_MIN_VALUES, farOutFences, quantileSorted, rareFarOut } from './far-out.js';
import { expectClose, loadReference, type ReferenceCase } from './reference.test-support.js';

type FenceCase = ReferenceCase<{ values: number[] }, { q1: number; q3: number; low: number; high: number }>;
type QuantileCase = ReferenceCase<{ values: number[]; p: number }, { quantile: number }>;
const reference = loadReference<(FenceCase | QuantileCase)[]>('far-out');
const fenceCases = reference.filter((c): c is FenceCase => 'q1' in c.output);
const quantileCases = reference.filter((c): c is QuantileCase => 'quantile' in c.output);

const sortedCopy = (values: readonly number[]) => Float64Array.from(values).sort();

describe('quantileSorted against numpy.quantile (linear interpolation)', () => {
  it.each(quantileCases)('$call', ({ call, input, output }) => {
    expectClose(quantileSorted(sortedCopy(input.values), input.p), output.quantile, 1e-13, call);
  });

  it.each(fenceCases)('quartiles of $call', ({ call, input, output }) => {
    const sorted = sortedCopy(input.values);
    expectClose(quantileSorted(sorted, 0.25), output.q1, 1e-12, call);
    expectClose(quantileSorted(sorted, 0.75), output.q3, 1e-12, call);
  });
});

describe('farOutFences against numpy', () => {
  it.each(fenceCases)('$call', ({ call, input, output }) => {
    const fences = farOutFences(input.values);
    if (output.q3 === output.q1) {
      expect(fences, 'no spread, no fences').toBeNull();
      return;
    }
    expectClose(fences!.low, output.low, 1e-12, call);
    expectClose(fences!.high, output.high, 1e-12, call);
  });

  it(`needs ${FAR_OUT_MIN_VALUES} values`, () => {
    expect(farOutFences([1, 2, 3, 4, 5, 6, 7])).toBeNull();
    expect(farOutFences([1, 2, 3, 4, 5, 6, 7, 8])).not.toBeNull();
  });
});

describe('rareFarOut', () => {
  // 38 log latencies of a 10%-CV cell and two 3× and 5× cold starts (the last fixture case).
  const cell = fenceCases.at(-1)!.input.values;

  it('finds the cold starts of a 10%-CV cell, and nothing else', () => {
    expect(rareFarOut(cell, 4)).toEqual([38, 39]);
  });

  it('returns none when more values are far out than allowed: they are the pattern, not accidents', () => {
    expect(rareFarOut(cell, 1)).toEqual([]);
  });

  it('never flags a value of a sample without spread', () => {
    expect(rareFarOut([5, 5, 5, 5, 5, 5, 5, 5, 5, 9], 3)).toEqual([]);
  });

  const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 0, maxLength: 60 });

  it('flags the same values whatever their order (so splitting them into base and head cannot matter)', () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: 0, max: 10 }), fc.integer(), (values, maxCount, seed) => {
        const order = values.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b);
        const shuffled = order.map((i) => values[i]!);
        const flagged = (xs: number[], idx: number[]) => idx.map((i) => xs[i]!).sort((a, b) => a - b);
        expect(flagged(shuffled, rareFarOut(shuffled, maxCount))).toEqual(flagged(values, rareFarOut(values, maxCount)));
      }),
    );
  });

  it('flags the same values after a shift or a positive scaling (a ratio on the log scale is a shift)', () => {
    fc.assert(
      fc.property(sample, fc.double({ min: -50, max: 50, noNaN: true }), fc.integer({ min: 1, max: 8 }), (values, shift, scale) => {
        const moved = values.map((x) => x * scale + shift);
        const a = rareFarOut(values, 6);
        const b = rareFarOut(moved, 6);
        // Rounding can move a value that sits exactly on a fence; off the fences the answer is the same.
        const fences = farOutFences(values);
        const onFence = (i: number) => fences !== null && (Math.abs(values[i]! - fences.high) < 1e-9 * (1 + Math.abs(fences.high)) || Math.abs(values[i]! - fences.low) < 1e-9 * (1 + Math.abs(fences.low)));
        if (values.some((_, i) => onFence(i))) return;
        expect(b).toEqual(a);
      }),
    );
  });

  it('never flags more than it may, and only values outside Q1 − 3·IQR … Q3 + 3·IQR', () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: 0, max: 10 }), (values, maxCount) => {
        const flagged = rareFarOut(values, maxCount);
        expect(flagged.length).toBeLessThanOrEqual(maxCount);
        const fences = farOutFences(values);
        for (const i of flagged) expect(values[i]! < fences!.low || values[i]! > fences!.high).toBe(true);
      }),
    );
  });
});
