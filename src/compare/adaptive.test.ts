import { describe, expect, it } from 'vitest';
import { normalSf } from '../stats/normal.js';
import { cellsNeedingMoreRounds, crossingProbability, perLookAlpha } from './adaptive.js';
import { compareResults } from './compare.js';
import { resultsFixture } from './results-fixture.js';
import { DEFAULT_GATE } from './settings.js';

describe('perLookAlpha', () => {
  // Reference values: the constant c with P(max_k Z_k > c) = α for a Brownian motion seen at the looks,
  // from scipy.stats.multivariate_normal (corr(Z_j, Z_k) = √(n_j/n_k)) and scipy.optimize.brentq.
  it.each([
    [[5, 10, 20], 0.05, 0.0218092],
    [[5, 10, 20], 0.025, 0.0103951],
    [[10, 20], 0.05, 0.0303673],
    [[5, 10, 15, 20], 0.05, 0.0193469],
  ])('matches the Pocock boundary for looks %j at α %s', (looks, alpha, expected) => {
    expect(perLookAlpha(looks, alpha)).toBeCloseTo(expected, 5);
  });

  it('matches the published Pocock constant for 3 equally spaced looks (c = 1.992 at one-sided 0.05)', () => {
    // Jennison & Turnbull (2000), Table 2.1: C_P(3, α = 0.10 two-sided) = 1.992.
    expect(perLookAlpha([1, 2, 3], 0.05)).toBeCloseTo(normalSf(1.992), 4);
  });

  it('is α itself for a single look, whatever the order or repeats of the looks', () => {
    expect(perLookAlpha([20], 0.05)).toBe(0.05);
    expect(perLookAlpha([20, 5, 10, 10], 0.05)).toBe(perLookAlpha([5, 10, 20], 0.05));
  });

  it('computes a single look’s crossing probability as the normal upper tail', () => {
    expect(crossingProbability([7], 1.7)).toBeCloseTo(normalSf(1.7), 8);
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
