import { describe, expect, it } from 'vitest';
import { normalQuantile, normalSf } from '../stats/normal.js';
import { expectClose, loadReference, type ReferenceCase } from '../stats/reference.test-support.js';
import { alphaAtRounds, cellsNeedingMoreRounds, constantLookLevel, crossingProbability, familyLookAlphas, lookAlphas, perLookAlpha } from './adaptive.js';
import { compareResults } from './compare.js';
import { resultsFixture } from './results-fixture.js';
import { DEFAULT_GATE } from './settings.js';

const reference = loadReference<ReferenceCase<{ looks: number[]; alpha: number }, { alphas: number[] }>[]>('look-alphas');

describe('constantLookLevel (the level of the `unchanged` claim at every look)', () => {
  const constant = loadReference<ReferenceCase<{ looks: number[]; alpha: number }, { level: number }>[]>('constant-look-level');
  // Pocock's constant boundary: c with P(Z_k > c for some k) = α, scipy multivariate_normal + brentq; level = Φ(−c).
  it.each(constant)('$call', ({ call, input, output }) => {
    expectClose(constantLookLevel(input.looks, input.alpha), output.level, 1e-4, call);
  });

  it('is α itself for one look, and each look of three equal ones is tested at about 0.022 for α = 0.05', () => {
    expect(constantLookLevel([20], 0.05)).toBe(0.05);
    expect(constantLookLevel([5, 10, 20], 0.05)).toBeGreaterThan(0.02);
    expect(constantLookLevel([5, 10, 20], 0.05)).toBeLessThan(0.025);
    const c = normalQuantile(1 - constantLookLevel([5, 10, 20], 0.05));
    expect(crossingProbability([5, 10, 20], c)).toBeCloseTo(0.05, 6);
  });
});

describe('lookAlphas', () => {
  // Lan–DeMets O'Brien–Fleming-type spending α(t) = 2 − 2Φ(z₁₋α/₂/√t), each look's c_k solved from
  // scipy.stats.multivariate_normal (corr(Z_j, Z_k) = √(n_j/n_k)) and scipy.optimize.brentq.
  it.each(reference)('$call', ({ call, input, output }) => {
    const alphas = lookAlphas(input.looks, input.alpha);
    expect(alphas).toHaveLength(output.alphas.length);
    // Relative 1e-6 at the last look, which carries nearly all of α; early looks' tiny α to 1e-4.
    alphas.forEach((a, k) => expectClose(a, output.alphas[k]!, k === alphas.length - 1 ? 1e-6 : 1e-4, `${call} look ${k + 1}`));
  });

  it('spends exactly α over the schedule: the boundary is crossed with probability α under no change', () => {
    const looks = [5, 10, 20];
    const c = lookAlphas(looks, 0.05).map((a) => normalQuantile(1 - a));
    expect(crossingProbability(looks, c)).toBeCloseTo(0.05, 6);
  });

  it('spends α at the tiny levels of a large family too (α/m below 3e-5 once broke the first look into 0.5)', () => {
    const looks = [5, 10, 20];
    for (const alpha of [2.4e-5, 1e-6]) {
      const alphas = lookAlphas(looks, alpha);
      expect(alphas[0]!).toBeLessThan(alphas[1]!);
      expect(alphas[1]!).toBeLessThan(alphas[2]!);
      expect(alphas[2]!).toBeLessThanOrEqual(alpha);
      const c = alphas.map((a) => -normalQuantile(a));
      expect(crossingProbability(looks, c) / alpha).toBeCloseTo(1, 3);
    }
    // 60 cells × 12 tests each at α 0.018: every look's α stays far below 1.
    expect(familyLookAlphas(looks, 0.018, 720).every((a) => a < 0.018)).toBe(true);
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

describe('familyLookAlphas', () => {
  it('is the boundary at α/m scaled by m: what BH’s first step (Bonferroni) holds each of m tests to', () => {
    const six = reference.find((c) => c.input.alpha === 0.02 / 6 && c.input.looks.length === 3 && c.input.looks[2] === 20)!;
    familyLookAlphas([5, 10, 20], 0.02, 6).forEach((a, k) => expectClose(a, 6 * six.output.alphas[k]!, 1e-4, `6 × ${six.call}`));
  });

  it('keeps more of α for the last look the more tests share it (O’Brien–Fleming spends less early at smaller levels)', () => {
    const last = (m: number) => familyLookAlphas([5, 10, 20], 0.05, m)[2]! / 0.05;
    expect(last(1)).toBeCloseTo(0.9648, 3);
    expect(last(6)).toBeGreaterThan(last(1));
    expect(last(60)).toBeGreaterThan(last(6));
    expect(last(60)).toBeLessThan(1);
  });

  it('is lookAlphas itself for one test, and treats an empty family as one test', () => {
    expect(familyLookAlphas([5, 10, 20], 0.05, 1)).toEqual(lookAlphas([5, 10, 20], 0.05));
    expect(familyLookAlphas([5, 10, 20], 0.05, 0)).toEqual(lookAlphas([5, 10, 20], 0.05));
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
