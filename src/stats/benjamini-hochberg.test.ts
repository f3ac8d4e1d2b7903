import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { expectClose, loadReference, type ReferenceCase } from './reference.test-support.js';

const reference = loadReference<ReferenceCase<{ p: number[] }, { q: number[] }>[]>('benjamini-hochberg');

describe("benjaminiHochberg against scipy.stats.false_discovery_control(method='bh')", () => {
  it.each(reference)('$call', ({ call, input, output }) => {
    const q = benjaminiHochberg(input.p);
    expect(q).toHaveLength(output.q.length);
    q.forEach((value, i) => expectClose(value, output.q[i] as number, 1e-12, `${call}[${i}]`));
  });

  it('keeps NaN in place and leaves it out of the count m', () => {
    const q = benjaminiHochberg([0.01, NaN, 0.04]);
    expect(q[1]).toBeNaN();
    expect(q[0]).toBeCloseTo(0.02, 15);
    expect(q[2]).toBeCloseTo(0.04, 15);
    expect(benjaminiHochberg([])).toEqual([]);
  });
});

describe('benjaminiHochberg properties', () => {
  it('q ≥ p, q ≤ 1, and q is monotone in p', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (p) => {
        const q = benjaminiHochberg(p);
        p.forEach((pi, i) => {
          expect(q[i]).toBeGreaterThanOrEqual(pi);
          expect(q[i]).toBeLessThanOrEqual(1);
          p.forEach((pj, j) => {
            if (pi <= pj) expect(q[i]).toBeLessThanOrEqual(q[j] as number);
          });
        });
      }),
    );
  });
});
