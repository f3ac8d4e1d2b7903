import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barnard } from './barnard.js';
import { boschloo } from './boschloo.js';
import { expectClose, loadReference, type ReferenceCase } from './reference.test-support.js';
import type { Alternative } from './types.js';

type Table = { a: number; b: number; c: number; d: number };
const reference = loadReference<ReferenceCase<Table & { alternative: Alternative }, { p: number; statistic: number }>[]>('barnard');

describe('barnard against scipy.stats.barnard_exact(pooled=True, n=1024)', () => {
  it.each(reference)('$call', ({ call, input, output }) => {
    const result = barnard(input.a, input.b, input.c, input.d, input.alternative);
    expectClose(result.statistic, output.statistic, 1e-12, call);
    expectClose(result.p, output.p, 1e-6, call);
  });

  it('gives p = 1 for an empty column', () => {
    expect(barnard(0, 4, 0, 6, 'greater').p).toBe(1);
  });

  it('reaches the pooled matrix test’s level with 5 failed head runs in 120 against none, where Boschloo needs 6', () => {
    // The reason the pooled success test is Barnard's (docs/statistics.md, "Flaky runs"): 0/120 vs 5/120.
    expect(barnard(0, 5, 120, 115, 'less').p).toBeLessThan(0.0124);
    expect(boschloo(0, 5, 120, 115, 'less').p).toBeGreaterThan(0.02);
  });
});

const count = fc.integer({ min: 0, max: 15 });
const alternative = fc.constantFrom<Alternative>('greater', 'less', 'two-sided');

/** Every table with the margins n1, n2, with its probability when both columns are Binomial(nᵢ, π). */
function tablesOf(n1: number, n2: number, pi: number): { x1: number; x2: number; probability: number }[] {
  const binomial = (n: number, k: number) => {
    let c = 1;
    for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
    return c * pi ** k * (1 - pi) ** (n - k);
  };
  const out = [];
  for (let x1 = 0; x1 <= n1; x1++) for (let x2 = 0; x2 <= n2; x2++) out.push({ x1, x2, probability: binomial(n1, x1) * binomial(n2, x2) });
  return out;
}

describe('barnard properties', () => {
  it('is an exact test: at every π, P(p ≤ t) ≤ t, enumerating every table (n ≤ 8)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), alternative, fc.constantFrom(0.01, 0.05, 0.2), (n1, n2, pi, alt, t) => {
        let rejected = 0;
        for (const { x1, x2, probability } of tablesOf(n1, n2, pi)) if (barnard(x1, x2, n1 - x1, n2 - x2, alt).p <= t) rejected += probability;
        expect(rejected).toBeLessThanOrEqual(t * (1 + 1e-9));
      }),
      { numRuns: 25 },
    );
  });

  it('p in [0, 1], a larger statistic never a larger one-sided p, and two-sided p at least the one-sided one', () => {
    fc.assert(
      fc.property(count, count, count, count, (a, b, c, d) => {
        fc.pre(a + c > 0 && b + d > 0);
        const greater = barnard(a, b, c, d, 'greater');
        const twoSided = barnard(a, b, c, d, 'two-sided');
        expect(greater.p).toBeGreaterThanOrEqual(0);
        expect(twoSided.p).toBeLessThanOrEqual(1);
        expect(twoSided.p).toBeGreaterThanOrEqual(Math.min(greater.p, barnard(a, b, c, d, 'less').p) - 1e-12);
        // One more event in column 1 (and one fewer in column 2's events) raises W: p can only fall.
        if (c > 0) expect(barnard(a + 1, b, c - 1, d, 'greater').p).toBeLessThanOrEqual(greater.p + 1e-12);
      }),
      { numRuns: 60 },
    );
  });
});
