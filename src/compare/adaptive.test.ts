import { describe, expect, it } from 'vitest';
import { normalQuantile, normalSf } from '../stats/normal.js';
import { alphaAtRounds, cellsNeedingMoreRounds, crossingProbability, lookAlphas, perLookAlpha } from './adaptive.js';
import { compareResults } from './compare.js';
import { resultsFixture } from './results-fixture.js';
import { DEFAULT_GATE } from './settings.js';

describe('lookAlphas', () => {
  // Reference values: Lan–DeMets O'Brien–Fleming-type spending α(t) = 2 − 2Φ(z₁₋α/₂/√t), each look's c_k
  // solved from scipy.stats.multivariate_normal (corr(Z_j, Z_k) = √(n_j/n_k)) and scipy.optimize.brentq.
  it.each([
    [[5, 10, 20], 0.05, [0.0000885754, 0.00554353, 0.0482399]],
    [[10, 20], 0.05, [0.0055746, 0.0482457]],
    [[5, 10, 15, 20], 0.05, [0.0000885754, 0.00554353, 0.0218963, 0.0427001]],
    [[5, 10, 20], 0.025, [0.00000736681, 0.00152263, 0.0244993]],
  ])('matches the spending boundary for looks %j at α %s', (looks, alpha, expected) => {
    const alphas = lookAlphas(looks, alpha);
    expect(alphas).toHaveLength(expected.length);
    alphas.forEach((a, k) => expect(a / expected[k]!).toBeCloseTo(1, 4));
  });

  it('spends exactly α over the schedule: the boundary is crossed with probability α under no change', () => {
    const looks = [5, 10, 20];
    const c = lookAlphas(looks, 0.05).map((a) => normalQuantile(1 - a));
    expect(crossingProbability(looks, c)).toBeCloseTo(0.05, 6);
  });

  it('tests the first look at the spending function’s α(t), nearly nothing at a quarter of the rounds', () => {
    // 2 − 2Φ(1.959964/√0.25) = 2·P(Z > 3.919928)
    expect(lookAlphas([5, 10, 20], 0.05)[0]! / (2 * normalSf(3.919928))).toBeCloseTo(1, 5);
  });

  it('is α itself for a single look, whatever the order or repeats of the looks', () => {
    expect(lookAlphas([20], 0.05)).toEqual([0.05]);
    expect(lookAlphas([20, 5, 10, 10], 0.05)).toEqual(lookAlphas([5, 10, 20], 0.05));
  });
});

describe('perLookAlpha', () => {
  it('is the last look’s α of the spending boundary (what a cell that ran the whole schedule is tested at)', () => {
    expect(perLookAlpha([5, 10, 20], 0.05)).toBe(lookAlphas([5, 10, 20], 0.05)[2]);
    expect(perLookAlpha([20], 0.05)).toBe(0.05);
  });
});

describe('crossingProbability', () => {
  it('computes a single look’s crossing probability as the normal upper tail', () => {
    expect(crossingProbability([7], 1.7)).toBeCloseTo(normalSf(1.7), 8);
  });

  it('matches the published Pocock constant for 3 equally spaced looks (c = 1.992 at one-sided 0.05)', () => {
    // Jennison & Turnbull (2000), Table 2.1: C_P(3, α = 0.10 two-sided) = 1.992.
    expect(crossingProbability([1, 2, 3], 1.992)).toBeCloseTo(0.05, 3);
  });

  it('matches the published O’Brien–Fleming constant for 3 equally spaced looks (C_B = 2.004 at one-sided 0.025)', () => {
    // Jennison & Turnbull (2000), Table 2.3: C_B(3, α = 0.05 two-sided) = 2.004; boundary C_B·√(K/k).
    expect(crossingProbability([1, 2, 3], [2.004 * Math.sqrt(3), 2.004 * Math.sqrt(3 / 2), 2.004])).toBeCloseTo(0.025, 4);
  });
});

describe('alphaAtRounds', () => {
  const looks = [5, 10, 20];
  const alphas = [0.001, 0.01, 0.04];
  it('gives a cell the α of the last look its rounds reached', () => {
    expect([3, 5, 9, 10, 19, 20, 25].map((r) => alphaAtRounds(looks, alphas, r))).toEqual([0.001, 0.001, 0.001, 0.01, 0.01, 0.04, 0.04]);
  });
});

describe('cellsNeedingMoreRounds', () => {
  const noisy = [1000, 1100, 900, 1050, 950];
  const report = compareResults({
    base: resultsFixture('base', { 'a/x': noisy, 'a/y': Array<number>(5).fill(1000) }),
    head: resultsFixture('head', { 'a/x': [1000, 1250, 850, 1150, 990], 'a/y': Array<number>(5).fill(1000) }),
    gate: DEFAULT_GATE,
    adaptive: { looks: [5, 10, 20] },
  });

  it('gives only inconclusive cells the next look’s rounds', () => {
    expect(report.cells.map((c) => [c.variant, c.verdict, c.stop])).toEqual([
      ['x', 'inconclusive', 'fixed'],
      ['y', 'unchanged', 'decided'],
    ]);
    expect(cellsNeedingMoreRounds(report, [5, 10, 20])).toEqual({ cells: [{ input: 'a', variant: 'x' }], nextRounds: 10 });
  });

  it('returns null once the schedule is exhausted', () => {
    expect(cellsNeedingMoreRounds(report, [3, 5])).toEqual({ cells: [], nextRounds: null });
  });
});
