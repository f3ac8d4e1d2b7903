import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadReference, type ReferenceCase } from './reference.test-support.js';
import { wilsonInterval } from './wilson.js';

const reference = loadReference<
  ReferenceCase<{ successes: number; n: number; confidence: number }, { low: number; high: number }>[]
>('wilson');

describe("wilsonInterval against scipy.stats.binomtest(...).proportion_ci(method='wilson')", () => {
  it.each(reference)('$call', ({ call, input, output }) => {
    const { low, high } = wilsonInterval(input.successes, input.n, input.confidence);
    expectClose(low, output.low, 1e-12, call);
    expectClose(high, output.high, 1e-12, call);
  });

  it('n = 0 gives the uninformative [0, 1]', () => {
    expect(wilsonInterval(0, 0, 0.95)).toEqual({ low: 0, high: 1 });
  });
});

describe('wilsonInterval properties', () => {
  it('contains k/n, stays in [0, 1] and narrows as n grows at the same proportion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.5, max: 0.999, noNaN: true }), (n, fraction, level) => {
        const k = Math.round(fraction * n);
        const { low, high } = wilsonInterval(k, n, level);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(k / n);
        expect(high).toBeGreaterThanOrEqual(k / n);
        const larger = wilsonInterval(4 * k, 4 * n, level);
        expect(larger.high - larger.low).toBeLessThanOrEqual(high - low);
      }),
    );
  });
});
