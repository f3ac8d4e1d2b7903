import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom, seedFrom } from './random.js';

const draw = (seed: string, count: number): number[] => {
  const next = seededRandom(seed);
  return Array.from({ length: count }, next);
};

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    expect(draw('exp_0123456789ab', 50)).toEqual(draw('exp_0123456789ab', 50));
    expect(draw('exp_0123456789ab', 50)).not.toEqual(draw('exp_0123456789ac', 50));
  });

  it('stays in [0, 1) and looks uniform: decile counts of 20 000 draws within 5% of 2 000', () => {
    const counts = new Array<number>(10).fill(0);
    for (const u of draw('uniformity', 20_000)) {
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      counts[Math.floor(u * 10)]! += 1;
    }
    for (const count of counts) expect(Math.abs(count - 2000)).toBeLessThan(100);
  });

  it('gives values in [0, 1) for any seed, including the empty string', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        for (const u of draw(seed, 5)) {
          expect(u).toBeGreaterThanOrEqual(0);
          expect(u).toBeLessThan(1);
        }
      }),
    );
  });
});

describe('seedFrom', () => {
  it('is unambiguous about where parts end', () => {
    expect(seedFrom('a', 'bc')).not.toBe(seedFrom('ab', 'c'));
    expect(seedFrom('a|b')).not.toBe(seedFrom('a', 'b'));
    expect(seedFrom('x', 'y')).toBe(seedFrom('x', 'y'));
  });
});
