import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { farOutSidesP, type FarOutStratum } from './far-out-sides.js';
import { expectClose, loadReference, type ReferenceCase } from './reference.test-support.js';

const reference = loadReference<ReferenceCase<{ strata: FarOutStratum[] }, { p: number }>[]>('far-out-sides');

describe('farOutSidesP against scipy (hypergeom / binom pmfs convolved)', () => {
  it.each(reference)('$call #%#', ({ call, input, output }) => {
    expectClose(farOutSidesP(input.strata), output.p, 1e-11, call);
  });

  it('is 1 without a far-out value and for the least extreme count', () => {
    expect(farOutSidesP([])).toBe(1);
    expect(farOutSidesP([{ paired: false, total: 20, head: 10, farOut: 0, headFarOut: 0 }])).toBe(1);
    expect(farOutSidesP([{ paired: true, farOut: 4, headFarOut: 0 }])).toBeCloseTo(1, 12);
  });

  it('gives 1/2^f when all f far-out rounds of a paired cell are head', () => {
    expect(farOutSidesP([{ paired: true, farOut: 6, headFarOut: 6 }])).toBeCloseTo(1 / 64, 14);
  });
});

/** Every way to place `farOut` far-out values among a cell's values, with its probability under no change. */
function outcomes(stratum: FarOutStratum): { headFarOut: number; probability: number }[] {
  const choose = (n: number, k: number) => {
    let c = 1;
    for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
    return c;
  };
  return Array.from({ length: stratum.farOut + 1 }, (_, h) => {
    const probability = stratum.paired
      ? choose(stratum.farOut, h) / 2 ** stratum.farOut
      : (choose(stratum.head, h) * choose(stratum.total - stratum.head, stratum.farOut - h)) / choose(stratum.total, stratum.farOut);
    return { headFarOut: h, probability };
  }).filter((o) => o.probability > 0);
}

describe('farOutSidesP is exact: P(p ≤ t) ≤ t under no change, over every outcome', () => {
  const stratum = fc.oneof(
    fc.record({ paired: fc.constant(true as const), farOut: fc.integer({ min: 0, max: 5 }), headFarOut: fc.constant(0) }),
    fc
      .record({ base: fc.integer({ min: 1, max: 12 }), head: fc.integer({ min: 1, max: 12 }), farOut: fc.integer({ min: 0, max: 5 }) })
      .map(({ base, head, farOut }) => ({ paired: false as const, total: base + head, head, farOut: Math.min(farOut, base + head), headFarOut: 0 })),
  );
  it('for 1–3 cells and thresholds 0.01–0.2', () => {
    fc.assert(
      fc.property(fc.array(stratum, { minLength: 1, maxLength: 3 }), fc.double({ min: 0.01, max: 0.2, noNaN: true }), (strata, t) => {
        // Enumerate every combination of the cells' outcomes.
        let rejected = 0;
        const walk = (i: number, chosen: FarOutStratum[], probability: number) => {
          if (i === strata.length) {
            if (farOutSidesP(chosen) <= t) rejected += probability;
            return;
          }
          for (const o of outcomes(strata[i]!)) walk(i + 1, [...chosen, { ...strata[i]!, headFarOut: o.headFarOut }], probability * o.probability);
        };
        walk(0, [], 1);
        expect(rejected).toBeLessThanOrEqual(t + 1e-12);
      }),
      { numRuns: 200 },
    );
  });
});

describe('farOutSidesP prunes only decided partial sums', () => {
  /** The whole convolution, summed over every count at or above the observed one: the definition. */
  function byDefinition(strata: FarOutStratum[]): number {
    let pmf = [1];
    let observed = 0;
    for (const stratum of strata) {
      observed += stratum.headFarOut;
      const own = outcomes(stratum);
      const next = new Array<number>(pmf.length + stratum.farOut).fill(0);
      pmf.forEach((a, i) => own.forEach(({ headFarOut, probability }) => (next[i + headFarOut]! += a * probability)));
      pmf = next;
    }
    return Math.min(1, pmf.slice(observed).reduce((a, b) => a + b, 0));
  }

  it('gives the whole convolution’s p for any strata, paired or not, extreme counts included', () => {
    const stratum = fc.oneof(
      fc.integer({ min: 0, max: 6 }).chain((farOut) => fc.record({ paired: fc.constant(true as const), farOut: fc.constant(farOut), headFarOut: fc.integer({ min: 0, max: farOut }) })),
      fc.record({ head: fc.integer({ min: 1, max: 12 }), base: fc.integer({ min: 1, max: 12 }) }).chain(({ head, base }) =>
        fc.integer({ min: 0, max: Math.min(6, head + base) }).chain((farOut) =>
          fc.record({
            paired: fc.constant(false as const),
            total: fc.constant(head + base),
            head: fc.constant(head),
            farOut: fc.constant(farOut),
            headFarOut: fc.integer({ min: Math.max(0, farOut - base), max: Math.min(farOut, head) }),
          }),
        ),
      ),
    );
    fc.assert(
      fc.property(fc.array(stratum, { maxLength: 10 }), (strata) => {
        const expected = byDefinition(strata);
        expect(Math.abs(farOutSidesP(strata) - expected)).toBeLessThanOrEqual(1e-12 * expected + 1e-300);
      }),
      { numRuns: 300 },
    );
  });
});
