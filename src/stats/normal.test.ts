import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalSf } from './normal.js';
import { expectClose, loadReference, type ReferenceCase } from './reference.test-support.js';

const reference = loadReference<{
  tails: ReferenceCase<{ z: number }, { cdf: number; sf: number }>[];
  quantiles: ReferenceCase<{ p: number }, { quantile: number }>[];
}>('normal');

describe('normal distribution against scipy.special.ndtr / ndtri', () => {
  it.each(reference.tails)('$call', ({ call, input, output }) => {
    expectClose(normalCdf(input.z), output.cdf, 1e-13, call);
    expectClose(normalSf(input.z), output.sf, 1e-13, call);
  });

  it.each(reference.quantiles)('$call', ({ call, input, output }) => {
    expectClose(normalQuantile(input.p), output.quantile, 1e-13, call);
  });

  it('keeps relative accuracy in the far upper tail instead of rounding 1 − cdf to 0', () => {
    expect(normalSf(20)).toBeGreaterThan(0);
    expect(normalSf(37)).toBeGreaterThan(5e-300);
  });

  it('handles the ends of the domain', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalSf(-Infinity)).toBe(1);
  });
});

describe('normal distribution properties', () => {
  it('quantile inverts the cdf (on the lower tail, where p carries the precision)', () => {
    fc.assert(
      fc.property(fc.double({ min: -37, max: 0, noNaN: true }), (z) => {
        expect(Math.abs(normalQuantile(normalCdf(z)) - z)).toBeLessThan(1e-12 * Math.abs(z) + 1e-15);
        expect(Math.abs(-normalQuantile(normalSf(-z)) + z)).toBeLessThan(1e-12 * Math.abs(z) + 1e-15);
      }),
    );
  });

  it('cdf and sf are complementary, symmetric and monotone', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), (z, step) => {
        expect(normalCdf(z) + normalSf(z)).toBeCloseTo(1, 14);
        expect(normalCdf(z)).toBe(normalSf(-z));
        expect(normalCdf(z + step)).toBeGreaterThanOrEqual(normalCdf(z));
      }),
    );
  });
});
