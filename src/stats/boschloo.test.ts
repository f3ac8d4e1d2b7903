import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boschloo } from './boschloo.js';
import { fisherExact } from './fisher.js';
import { expectClose, loadReference, type ReferenceCase } from './reference.test-support.js';
import type { Alternative } from './types.js';

type Table = { a: number; b: number; c: number; d: number };
const reference = loadReference<ReferenceCase<Table & { alternative: Alternative }, { p: number; statistic: number }>[]>('boschloo');

describe('boschloo against scipy.stats.boschloo_exact(n=1024)', () => {
  it.each(reference)('$call', ({ call, input, output }) => {
    const result = boschloo(input.a, input.b, input.c, input.d, input.alternative);
    expectClose(result.statistic, output.statistic, 1e-9, call);
    expectClose(result.p, output.p, 1e-6, call);
  });

  it('gives p = 1 for an empty column instead of scipy’s NaN', () => {
    expect(boschloo(0, 4, 0, 6, 'greater').p).toBe(1);
  });

  it('compares columns: more failures in column 1 is "greater"', () => {
    // column 1 (a, c) = 9 of 10 in row 0, column 2 (b, d) = 2 of 10
    expect(boschloo(9, 2, 1, 8, 'greater').p).toBeLessThan(0.01);
    expect(boschloo(9, 2, 1, 8, 'less').p).toBeGreaterThan(0.9);
  });
});

describe('boschloo on pooled margins (the rows of each margin are kept for the next call)', () => {
  it('gives the same p, to the last bit, whether its margins were just computed, kept, or pushed out by others', () => {
    const first = boschloo(3, 9, 237, 231, 'less').p;
    const kept = boschloo(3, 9, 237, 231, 'less').p;
    const sameMargins = boschloo(4, 8, 236, 232, 'less').p;
    // Three other margins push the first out of the two kept.
    for (const n of [100, 110, 130]) boschloo(1, 5, n - 1, n - 5, 'less');
    expect(kept).toBe(first);
    expect(boschloo(3, 9, 237, 231, 'less').p).toBe(first);
    expect(boschloo(4, 8, 236, 232, 'less').p).toBe(sameMargins);
    expect(first).toBeLessThan(sameMargins);
  });
});

const count = fc.integer({ min: 0, max: 12 });
describe('boschloo properties', () => {
  it('p in [0, 1], never above Fisher’s p (Boschloo is uniformly more powerful)', () => {
    fc.assert(
      fc.property(count, count, count, count, fc.constantFrom<Alternative>('greater', 'less'), (a, b, c, d, alt) => {
        fc.pre(a + c > 0 && b + d > 0);
        const { p } = boschloo(a, b, c, d, alt);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(fisherExact(a, b, c, d, alt).p + 1e-9);
      }),
      { numRuns: 60 },
    );
  });
});
