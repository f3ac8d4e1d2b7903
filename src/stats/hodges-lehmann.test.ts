import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hodgesLehmannPaired, hodgesLehmannPairedAt, hodgesLehmannShift, hodgesLehmannShiftAt } from './hodges-lehmann.js';
import { expectClose, loadReference, type ReferenceCase } from './reference.test-support.js';
import type { TestMethod } from './types.js';

interface Expected {
  estimate: number;
  low: number | null;
  high: number | null;
  k: number;
  method: TestMethod;
}
const reference = loadReference<{
  shift: ReferenceCase<{ x: number[]; y: number[]; confidence: number }, Expected>[];
  paired: ReferenceCase<{ d: number[]; confidence: number }, Expected>[];
}>('hodges-lehmann');

function check(actual: { estimate: number; low: number; high: number; k: number; method: TestMethod }, expected: Expected, call: string): void {
  expect(actual.k, call).toBe(expected.k);
  expect(actual.method, call).toBe(expected.method);
  expectClose(actual.estimate, expected.estimate, 1e-12, call);
  expectClose(actual.low, expected.low ?? -Infinity, 1e-12, call);
  expectClose(actual.high, expected.high ?? Infinity, 1e-12, call);
}

describe('Hodges–Lehmann against numpy order statistics and scipy null distributions', () => {
  it.each(reference.shift)('$call', ({ call, input, output }) => {
    check(hodgesLehmannShift(input.x, input.y, input.confidence), output, call);
  });
  it.each(reference.paired)('$call', ({ call, input, output }) => {
    check(hodgesLehmannPaired(input.d, input.confidence), output, call);
  });
});

describe('Hodges–Lehmann edge cases', () => {
  it('gives NaN, not an exception, for an empty sample', () => {
    expect(hodgesLehmannShift([], [1], 0.9).estimate).toBeNaN();
    expect(hodgesLehmannPaired([], 0.9).low).toBeNaN();
  });

  it('is unbounded when the samples are too small for the confidence', () => {
    const result = hodgesLehmannShift([1, 2], [3, 4], 0.9);
    expect(result.estimate).toBe(2);
    expect([result.low, result.high]).toEqual([-Infinity, Infinity]);
  });

  it('all-equal differences give a zero-width interval at that value', () => {
    expect(hodgesLehmannPaired([0.1, 0.1, 0.1, 0.1, 0.1, 0.1], 0.9)).toMatchObject({ estimate: 0.1, low: 0.1, high: 0.1 });
  });
});

const sample = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 15 });
const confidence = fc.double({ min: 0.5, max: 0.99, noNaN: true });

describe('Hodges–Lehmann properties', () => {
  it('the interval contains the estimate and is equivariant under shifting y', () => {
    fc.assert(
      fc.property(sample, sample, confidence, fc.double({ min: -3, max: 3, noNaN: true }), (x, y, level, shift) => {
        const result = hodgesLehmannShift(x, y, level);
        expect(result.low).toBeLessThanOrEqual(result.estimate);
        expect(result.estimate).toBeLessThanOrEqual(result.high);
        const shifted = hodgesLehmannShift(x, y.map((v) => v + shift), level);
        expect(shifted.estimate).toBeCloseTo(result.estimate + shift, 9);
      }),
    );
  });

  it('the paired interval contains the estimate and widens with the confidence', () => {
    fc.assert(
      fc.property(sample, confidence, (d, level) => {
        const narrow = hodgesLehmannPaired(d, level);
        const wide = hodgesLehmannPaired(d, Math.min(0.999, level + 0.05));
        expect(narrow.low).toBeLessThanOrEqual(narrow.estimate);
        expect(narrow.estimate).toBeLessThanOrEqual(narrow.high);
        expect(wide.low).toBeLessThanOrEqual(narrow.low);
        expect(wide.high).toBeGreaterThanOrEqual(narrow.high);
      }),
    );
  });

  it('one sort serves several confidences: each is what a call at that confidence alone gives', () => {
    fc.assert(
      fc.property(sample, sample, fc.array(confidence, { minLength: 1, maxLength: 3 }), (x, y, levels) => {
        expect(hodgesLehmannShiftAt(x, y, levels)).toEqual(levels.map((level) => hodgesLehmannShift(x, y, level)));
        expect(hodgesLehmannPairedAt(y, levels)).toEqual(levels.map((level) => hodgesLehmannPaired(y, level)));
      }),
    );
  });
});
