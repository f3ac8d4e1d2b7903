import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadReference, type ReferenceCase } from './reference.test-support.js';
import type { Alternative, MethodChoice, TestMethod } from './types.js';
import { wilcoxonSignedRank } from './wilcoxon.js';

const reference = loadReference<
  ReferenceCase<
    { d: number[]; alternative: Alternative; method: MethodChoice },
    { statistic: number; p: number; method: TestMethod; n: number }
  >[]
>('wilcoxon');

describe('wilcoxonSignedRank against scipy.stats.wilcoxon / exhaustive sign flips', () => {
  it.each(reference)('$call', ({ call, input, output }) => {
    const result = wilcoxonSignedRank(input.d, input.alternative, input.method);
    expect(result.method, call).toBe(output.method);
    expect(result.n, call).toBe(output.n);
    expectClose(result.statistic, output.statistic, 1e-12, call);
    expectClose(result.p, output.p, 1e-9, call);
  });
});

describe('wilcoxonSignedRank edge cases', () => {
  it('gives p = 1 with n = 0 for no differences or only zeros, without throwing', () => {
    expect(wilcoxonSignedRank([], 'greater')).toEqual({ statistic: 0, p: 1, method: 'exact', n: 0 });
    expect(wilcoxonSignedRank([0, 0, 0], 'two-sided').p).toBe(1);
  });

  it('drops zero differences (Wilcox) so they neither help nor hurt', () => {
    const withZeros = wilcoxonSignedRank([0, 0.3, 0, 0.5, -0.1, 0.7], 'greater');
    const withoutZeros = wilcoxonSignedRank([0.3, 0.5, -0.1, 0.7], 'greater');
    expect(withZeros).toEqual(withoutZeros);
  });

  it('one positive difference is not evidence at 5%: p = 1/2', () => {
    expect(wilcoxonSignedRank([0.2], 'greater').p).toBe(0.5);
  });
});

const differences = fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 0, maxLength: 14 });
const alternative = fc.constantFrom<Alternative>('greater', 'less', 'two-sided');
const method = fc.constantFrom<MethodChoice>('auto', 'exact', 'asymptotic');

describe('wilcoxonSignedRank properties', () => {
  it('gives p in [0, 1] and W+ within [0, n(n+1)/2]', () => {
    fc.assert(
      fc.property(differences, alternative, method, (d, alt, m) => {
        const result = wilcoxonSignedRank(d, alt, m);
        expect(result.p).toBeGreaterThanOrEqual(0);
        expect(result.p).toBeLessThanOrEqual(1);
        expect(result.statistic).toBeGreaterThanOrEqual(0);
        expect(result.statistic).toBeLessThanOrEqual((result.n * (result.n + 1)) / 2);
      }),
    );
  });

  it('negating the differences swaps greater and less', () => {
    fc.assert(
      fc.property(differences, method, (d, m) => {
        const flipped = d.map((v) => -v);
        expect(wilcoxonSignedRank(flipped, 'less', m).p).toBeCloseTo(wilcoxonSignedRank(d, 'greater', m).p, 12);
        expect(wilcoxonSignedRank(flipped, 'two-sided', m).p).toBeCloseTo(wilcoxonSignedRank(d, 'two-sided', m).p, 12);
      }),
    );
  });

  it('turning a negative difference positive never raises the "greater" p-value (exact)', () => {
    fc.assert(
      fc.property(differences, fc.nat(), (d, pick) => {
        const negatives = d.flatMap((v, i) => (v < 0 ? [i] : []));
        fc.pre(negatives.length > 0);
        const i = negatives[pick % negatives.length] as number;
        const moved = d.map((v, j) => (j === i ? -v : v));
        expect(wilcoxonSignedRank(moved, 'greater', 'exact').p).toBeLessThanOrEqual(wilcoxonSignedRank(d, 'greater', 'exact').p + 1e-12);
      }),
    );
  });
});
