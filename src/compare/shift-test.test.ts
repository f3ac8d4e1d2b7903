import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mannWhitneyU } from '../stats/mann-whitney.js';
import { roundsShareNoise, testShift } from './shift-test.js';

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

describe('testShift: far-out runs', () => {
  // 20 log-normal-looking latencies per side (CV ≈ 10%), head 12% slower.
  const spread = [0.93, 1.08, 0.97, 1.12, 1.0, 0.9, 1.05, 0.95, 1.1, 1.02, 0.98, 1.06, 0.88, 1.01, 0.96, 1.09, 0.99, 1.04, 0.92, 1.15];
  const base = spread.map((x) => 8000 * x);
  const head = [...spread].reverse().map((x) => 8000 * 1.12 * x);

  it('sets a rare cold start aside, says so, and the slowdown it hid shows again', () => {
    const coldBase = base.map((ms, i) => (i === 3 ? ms * 4 : ms));
    const test = testShift({ paired: false, base: coldBase, head })!;
    expect(test.farOut).toEqual({ base: 1, head: 0 });
    expect(test.n).toEqual({ base: 19, head: 20 });
    // Without the fence the cold start outranks every head run.
    const unfenced = mannWhitneyU(head.map(Math.log), coldBase.map(Math.log), 'greater').p;
    expect(test.p).toBeLessThan(unfenced);
    expect(test.p).toBeCloseTo(testShift({ paired: false, base: base.filter((_, i) => i !== 3), head })!.p, 12);
  });

  it('sets nothing aside when no run is far out', () => {
    const test = testShift({ paired: false, base, head })!;
    expect(test.farOut).toBeUndefined();
    expect(test.n).toEqual({ base: 20, head: 20 });
  });

  it('keeps a side that moved far, even when it has few runs', () => {
    const test = testShift({ paired: false, base, head: [40000, 41000, 39500, 40500] })!;
    expect(test.farOut).toBeUndefined();
    expect(test.ratio).toBeGreaterThan(4.5);
    expect(test.p).toBeLessThan(1e-3);
  });

  it('keeps a second mode: 30% of head runs three times slower is the cell’s pattern, not an accident', () => {
    const bimodal = head.map((ms, i) => (i % 10 < 3 ? ms * 3 : ms));
    const test = testShift({ paired: false, base, head: bimodal })!;
    expect(test.farOut).toBeUndefined();
    expect(test.n.head).toBe(20);
  });

  it('sets aside a paired round whose ratio is far out, and counts it for the slower side', () => {
    const pairs = base.map((b, i) => ({ base: b, head: i === 7 ? head[i]! * 5 : head[i]! }));
    const test = testShift({ paired: true, pairs })!;
    expect(test.farOut).toEqual({ base: 0, head: 1 });
    expect(test.n).toEqual({ base: 19, head: 19, pairs: 19 });
  });

  // The fences come from what the null hypothesis leaves unchanged, so the test stays exact: over every
  // equally likely relabelling of the same data, P(p ≤ t) ≤ t for every t. (Distinct values: with ties the
  // rank tests fall back to the normal approximation, which is not exact with or without fences.)
  const latencies = (n: number) => fc.uniqueArray(fc.integer({ min: 900, max: 1100 }), { minLength: n, maxLength: n });

  it('stays exact unpaired: every split of the pooled runs into 5 base and 5 head', () => {
    let fenced = 0;
    fc.assert(
      fc.property(latencies(10), fc.double({ min: 3.01, max: 8, noNaN: true }), (values, cold) => {
        const pooled = values.map((x, i) => (i === 0 ? x * cold : x));
        const tests = splits(10, 5).map((headIdx) => {
          const isHead = new Set(headIdx);
          return testShift({ paired: false, base: pooled.filter((_, i) => !isHead.has(i)), head: pooled.filter((_, i) => isHead.has(i)) })!;
        });
        // Which runs are set aside depends on the pooled values only, so every split sets aside as many.
        expect(new Set(tests.map((t) => t.n.base + t.n.head)).size).toBe(1);
        fenced += tests[0]!.farOut ? 1 : 0;
        expectSuperUniform(tests.map((t) => t.p));
      }),
      { numRuns: 30 },
    );
    expect(fenced, 'the 3–8× run was set aside in some of the data sets').toBeGreaterThan(0);
  });

  it('stays exact paired: every swap of base and head within the rounds', () => {
    let fenced = 0;
    fc.assert(
      fc.property(latencies(8), latencies(8), fc.double({ min: 3.01, max: 8, noNaN: true }), (b, h, cold) => {
        const pairs = b.map((x, i) => ({ base: x, head: i === 2 ? h[i]! * cold : h[i]! }));
        const tests = Array.from({ length: 2 ** 8 }, (_, mask) =>
          testShift({ paired: true, pairs: pairs.map((p, i) => ((mask >> i) & 1 ? { base: p.head, head: p.base } : p)) })!,
        );
        // Whether rounds are set aside depends on |ratio| only, so every swap gets the same decision.
        expect(new Set(tests.map((t) => t.n.pairs)).size).toBe(1);
        fenced += tests[0]!.farOut ? 1 : 0;
        expectSuperUniform(tests.map((t) => t.p));
      }),
      { numRuns: 30 },
    );
    expect(fenced, 'the 3–8× round was set aside in some of the data sets').toBeGreaterThan(0);
  });
});

/** Every k-subset of 0…n−1. */
function splits(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (n < k) return [];
  return [...splits(n - 1, k), ...splits(n - 1, k - 1).map((s) => [...s, n - 1])];
}

function expectSuperUniform(ps: number[]): void {
  for (const t of new Set(ps)) {
    const share = ps.filter((p) => p <= t).length / ps.length;
    expect(share).toBeLessThanOrEqual(t + 1e-12);
  }
}
