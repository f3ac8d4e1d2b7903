import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fisherExact } from './fisher.js';
import { expectClose, loadReference, type ReferenceCase } from './reference.test-support.js';
import type { Alternative } from './types.js';

type Table = { a: number; b: number; c: number; d: number };
const reference = loadReference<ReferenceCase<Table & { alternative: Alternative }, { p: number }>[]>('fisher');

describe('fisherExact against scipy.stats.fisher_exact', () => {
  it.each(reference)('$call', ({ call, input, output }) => {
    expectClose(fisherExact(input.a, input.b, input.c, input.d, input.alternative).p, output.p, 1e-9, call);
  });

  it('gives p = 1 for an empty row or column, as scipy', () => {
    expect(fisherExact(0, 0, 3, 4, 'greater').p).toBe(1);
    expect(fisherExact(0, 5, 0, 2, 'two-sided').p).toBe(1);
  });
});

const count = fc.integer({ min: 0, max: 15 });
describe('fisherExact properties', () => {
  it('p in [0, 1]; swapping the columns swaps greater and less; two-sided ≥ the smaller one-sided p', () => {
    fc.assert(
      fc.property(count, count, count, count, (a, b, c, d) => {
        const greater = fisherExact(a, b, c, d, 'greater').p;
        const less = fisherExact(a, b, c, d, 'less').p;
        const twoSided = fisherExact(a, b, c, d, 'two-sided').p;
        for (const p of [greater, less, twoSided]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        expect(fisherExact(b, a, d, c, 'less').p).toBeCloseTo(greater, 12);
        expect(twoSided).toBeGreaterThanOrEqual(Math.min(greater, less) - 1e-12);
      }),
    );
  });
});
