import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundsShareNoise } from './shift-test.js';

const pairsOf = (base: number[], head: number[]) => base.map((b, i) => ({ base: b, head: head[i]! }));
const rounds = Array.from({ length: 10 }, (_, i) => 1000 + 100 * i);

describe('roundsShareNoise', () => {
  it('computes Spearman r as scipy does, ties included', () => {
    // scipy.stats.spearmanr([10,12,12,15,11,14,13,16], [20,23,22,25,21,26,24,27]).statistic
    const { r, shared } = roundsShareNoise(pairsOf([10, 12, 12, 15, 11, 14, 13, 16], [20, 23, 22, 25, 21, 26, 24, 27]));
    expect(r).toBeCloseTo(0.9700772721497398, 12);
    expect(shared).toBe(true);
  });

  it('pairs 10 rounds from r ≈ 0.72 on: atanh(r)·√(7/1.06) against z₀.₉₉ = 2.326', () => {
    // Σd² = 42 → r = 0.7455 (z 2.47, shared); Σd² = 50 → r = 0.6970 (z 2.21, not shared).
    const at = (ranks: number[]) => roundsShareNoise(pairsOf(rounds, ranks.map((k) => 1000 + 100 * (k - 1))));
    expect(at([3, 1, 6, 5, 4, 7, 2, 8, 9, 10])).toMatchObject({ shared: true });
    expect(at([1, 3, 6, 2, 9, 4, 7, 8, 5, 10])).toMatchObject({ shared: false });
    expect(at([3, 1, 6, 5, 4, 7, 2, 8, 9, 10]).r).toBeCloseTo(0.7454545454545454, 12);
  });

  it('never pairs fewer than 4 rounds, nor rounds that move against each other', () => {
    expect(roundsShareNoise(pairsOf([1, 2, 3], [1, 2, 3])).shared).toBe(false);
    expect(roundsShareNoise(pairsOf(rounds, [...rounds].reverse())).shared).toBe(false);
    expect(roundsShareNoise(pairsOf(rounds, rounds)).shared).toBe(true);
  });

  it('does not depend on a change of latency or on swapping the sides', () => {
    const latency = fc.double({ min: 1, max: 1e5, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(latency, latency), { minLength: 4, maxLength: 30 }), fc.double({ min: 0.2, max: 5, noNaN: true }), (values, factor) => {
        const pairs = values.map(([base, head]) => ({ base, head }));
        const decided = roundsShareNoise(pairs);
        expect(roundsShareNoise(pairs.map((p) => ({ base: p.base, head: p.head * factor }))).shared).toBe(decided.shared);
        expect(roundsShareNoise(pairs.map((p) => ({ base: p.head, head: p.base }))).r).toBeCloseTo(decided.r, 12);
      }),
      { numRuns: 100 },
    );
  });
});
