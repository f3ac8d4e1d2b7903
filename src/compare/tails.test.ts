/**
 * Issue #10 in compare: flaky runs, a grown slow tail, early stopping that waits for the success rate, and
 * an `unchanged` claim adjusted for the looks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareResults, MATRIX_WEIGHTS, taroneFamily, type CompareInput } from './compare.js';
import { constantLookLevel } from './adaptive.js';
import { resultsFixture, type RoundValue } from './results-fixture.js';
import { DEFAULT_GATE } from './settings.js';
import { hodgesLehmannShift } from '../stats/hodges-lehmann.js';

/** Twenty rounds of noise around 1 (±5%), two unrelated orders. */
const NOISE = [1.0, 0.97, 1.03, 0.99, 1.02, 0.98, 1.01, 1.04, 0.96, 1.005, 0.995, 1.025, 0.975, 1.015, 0.985, 1.035, 0.965, 1.045, 0.955, 1.01];
const OTHER = [...NOISE].reverse().map((n, i) => n * (i % 2 === 0 ? 1.002 : 0.998));
const rounds = (ms: number, noise = NOISE) => noise.map((n) => ms * n);

function compare(base: Record<string, RoundValue[]>, head: Record<string, RoundValue[]>, extra: Partial<CompareInput> = {}) {
  return compareResults({ base: resultsFixture('base', base), head: resultsFixture('head', head), gate: DEFAULT_GATE, ...extra });
}

describe('flaky runs', () => {
  it('does not fail an unchanged PR whose cells each lose a run or two on head, and says the failures are within chance', () => {
    const cells = ['a/x', 'a/y', 'b/x', 'b/y'];
    const base = Object.fromEntries(cells.map((c, i) => [c, rounds(1000 * (i + 1))]));
    const head = Object.fromEntries(cells.map((c, i) => [c, [...rounds(1000 * (i + 1), OTHER).slice(0, 19), 'failed' as const]]));
    const report = compare(base, head);
    expect(report.verdict).toBe('pass');
    for (const cell of report.cells) expect(cell.success!.reason).toMatch(/1 new failure, within chance/);
    // The same data under the strict guard the gate used to default to: every cell fails.
    const strict = compare(base, head, { gate: { ...DEFAULT_GATE, maxNewFailures: 0 } });
    expect(strict.summary.regression).toBe(4);
  });

  it('still fails a PR whose head fails far more often across the matrix', () => {
    const cells = ['a/x', 'a/y', 'b/x', 'b/y', 'c/x', 'c/y'];
    const base = Object.fromEntries(cells.map((c) => [c, rounds(1000)]));
    // Head: 3 of 20 runs fail in every cell (18 of 120), base none.
    const head = Object.fromEntries(cells.map((c) => [c, [...rounds(1000, OTHER).slice(0, 17), 'failed' as const, 'timeout' as const, 'failed' as const]]));
    const report = compare(base, head);
    expect(report.pooledSuccess).toMatchObject({ verdict: 'regression', base: { ok: 120 }, head: { ok: 102 } });
    expect(report.verdict).toBe('fail');
  });
});

describe('early stopping waits for the success rate', () => {
  it('keeps a cell with more failures on head inconclusive before the last look, and settles it at the last', () => {
    const base = { 'a/x': rounds(1000).slice(0, 10) };
    const head = { 'a/x': [...rounds(1000, OTHER).slice(0, 9), 'failed' as const] };
    const early = compare(base, head, { adaptive: { looks: [5, 10, 20] } });
    expect(early.cells[0]!.success).toMatchObject({ verdict: 'inconclusive', newFailures: 1 });
    expect(early.cells[0]!.verdict).toBe('inconclusive');
    const last = compare(base, head, { adaptive: { looks: [5, 10] } });
    expect(last.cells[0]!.success!.verdict).toBe('unchanged');
  });
});

describe('the unchanged claim is adjusted for the looks', () => {
  it('reads the upper end of a one-sided interval at the constant level of the schedule', () => {
    const base = { 'a/x': rounds(1000) };
    const head = { 'a/x': rounds(1000, OTHER) };
    const fixed = compare(base, head).cells[0]!.latency!;
    const adaptive = compare(base, head, { adaptive: { looks: [5, 10, 20] } }).cells[0]!.latency!;
    const level = constantLookLevel([5, 10, 20], 0.05);
    expect(fixed.ruledOut!.level).toBeCloseTo(0.05, 12);
    expect(adaptive.ruledOut!.level).toBeCloseTo(level, 12);
    const logs = (xs: number[]) => xs.map(Math.log);
    expect(adaptive.ruledOut!.above).toBeCloseTo(Math.exp(hodgesLehmannShift(logs(base['a/x']), logs(head['a/x']), 1 - 2 * level).high), 8);
    expect(adaptive.ruledOut!.above).toBeGreaterThan(fixed.ruledOut!.above);
    expect(fixed.ruledOut!.above).toBeCloseTo(fixed.ciHigh, 12);
    expect(adaptive.reason).toMatch(/^a slowdown above \+\d(\.\d)?% is ruled out \(97\.8% bound, adjusted for the looks\), below \+5%$/);
  });

  it('says how many more rounds would likely settle an inconclusive cell', () => {
    const report = compare({ 'a/x': rounds(1000).slice(0, 10) }, { 'a/x': rounds(1040, OTHER).slice(0, 10) }, { adaptive: { looks: [5, 10, 20] } });
    const latency = report.cells[0]!.latency!;
    expect(latency.verdict).toBe('inconclusive');
    expect(latency.roundsToSettle).toBeGreaterThan(0);
  });
});

describe('tails', () => {
  it('never calls a cell unchanged when the runs set aside are mostly head runs', () => {
    const base = rounds(1000);
    // Two head runs of twenty take 3× as long: a cache that now misses.
    const head = rounds(1000, OTHER).map((ms, i) => (i === 3 || i === 11 ? ms * 3 : ms));
    const cell = compare({ 'a/x': base }, { 'a/x': head }).cells[0]!;
    expect(cell.latency!.farOut).toEqual({ base: 0, head: 2 });
    expect(cell.latency!.verdict).toBe('inconclusive');
    expect(cell.latency!.reason).toMatch(/2 of the 2 far-out runs set aside are head's: the slow tail may have grown/);
    // One far-out base run and one head run: the tail did not move, and the cell may be unchanged.
    const even = compare({ 'a/x': base.map((ms, i) => (i === 5 ? ms * 3 : ms)) }, { 'a/x': head.map((ms, i) => (i === 11 ? ms / 3 : ms)) }).cells[0]!;
    expect(even.latency!.farOut).toEqual({ base: 1, head: 1 });
    expect(even.latency!.verdict).toBe('unchanged');
  });

  it('fails the PR when head gained a slow tail in every cell, with the matrix-level tail test', () => {
    const cells = ['a/x', 'a/y', 'b/x', 'b/y', 'c/x', 'c/y'];
    const base = Object.fromEntries(cells.map((c, k) => [c, rounds(1000 * (k + 1))]));
    const head = Object.fromEntries(cells.map((c, k) => [c, rounds(1000 * (k + 1), OTHER).map((ms, i) => (i % 10 === k % 3 ? ms * 3 : ms))]));
    const report = compare(base, head);
    expect(report.pooledTail).toMatchObject({ test: 'far-out-sides', base: 0, head: 12, verdict: 'regression' });
    // hypergeom: 12 of 12 far-out values on head, 2 in each cell of 40: (C(20,2)/C(40,2))^6.
    expect(report.pooledTail!.p).toBeCloseTo((190 / 780) ** 6, 12);
    expect(report.verdict).toBe('fail');
    for (const cell of report.cells) expect(cell.verdict).not.toBe('unchanged');
  });
});

describe("Tarone's rule", () => {
  it('keeps the smallest family whose members can all reach α over its size', () => {
    const t = (minP: number) => ({ minP });
    expect(taroneFamily([t(0), t(0), t(0.5), t(0.004)], 0.018)).toEqual([t(0), t(0), t(0.004)]);
    expect(taroneFamily([t(0), t(0.01)], 0.018)).toEqual([t(0)]);
    expect(taroneFamily([t(0.5)], 0.018)).toEqual([]);
  });

  it('is the rule as written (smallest k with at most k tests reaching α/k) on any input', () => {
    // The definition, cells² comparisons: the sorted sweep in taroneFamily must give the same tests in the same order.
    const byDefinition = <T extends { minP: number }>(tests: T[], alpha: number): T[] => {
      for (let k = 1; k <= tests.length; k++) {
        const reach = tests.filter((t) => t.minP <= alpha / k);
        if (reach.length <= k) return reach;
      }
      return [...tests];
    };
    // Small discrete p's (repeats, 0, exact multiples of α/k) as well as continuous ones, and NaN.
    const minP = fc.oneof(fc.constantFrom(0, 0.001, 0.0025, 0.005, 0.01, 0.05, 1, Number.NaN), fc.double({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(fc.array(minP, { maxLength: 60 }), fc.constantFrom(0.01, 0.05, 0.1, 0.018), (ps, alpha) => {
        const tests = ps.map((p, id) => ({ id, minP: p }));
        expect(taroneFamily(tests, alpha)).toEqual(byDefinition(tests, alpha));
      }),
      { numRuns: 500 },
    );
  });
});

describe('α shared between the cells and the matrix-level tests', () => {
  const CELLS = ['a/x', 'a/y', 'b/x', 'b/y', 'c/x', 'c/y'];
  const base = Object.fromEntries(CELLS.map((c, k) => [c, rounds(1000 * (k + 1))]));
  /** Head of every cell: `failed` of its 20 runs fail (the last ones), the rest follow other noise. */
  const headWith = (failed: number) => Object.fromEntries(CELLS.map((c, k) => [c, [...rounds(1000 * (k + 1), OTHER).slice(0, 20 - failed), ...Array<'failed'>(failed).fill('failed')]]));

  it('keeps all of α for the cells when no run failed and no far-out run exists', () => {
    const report = compare(base, headWith(0));
    expect(report.gate.perLookAlpha).toBe(DEFAULT_GATE.alpha);
    expect(report.pooledSuccess!.alphaShare).toBeUndefined();
    expect(report.pooledTail ?? null).toBeNull();
  });

  it('tests the pooled success rate at its own share of α when it can reach it (14 of 6 + 14), and the six cells at the rest', () => {
    // 12 of 120 head runs fail, none on base: six cells, the pooled test weighing fourteen.
    const report = compare(base, headWith(2));
    expect(report.pooledSuccess).toMatchObject({ test: 'barnard', verdict: 'regression', newFailures: 12 });
    expect(report.pooledSuccess!.alphaShare).toBeCloseTo(14 / 20, 12);
    expect(report.pooledSuccess!.q).toBeCloseTo(report.pooledSuccess!.p / (14 / 20), 12);
    expect(report.pooledSuccess!.reason).toMatch(/, at its own 70% share of α$/);
    expect(report.gate.perLookAlpha).toBeCloseTo((DEFAULT_GATE.alpha * 6) / 20, 12);
    expect(report.verdict).toBe('fail');
  });

  it('catches five failed head runs in 120 against none, at the last look too: the tail test that cannot reach its level leaves the pooled test its whole share', () => {
    // One failed head run in five of the six cells, and two slow (3×) head runs: a tail test that is a candidate but far from its level.
    const head = Object.fromEntries(
      CELLS.map((c, k) => {
        const runs: RoundValue[] = rounds(1000 * (k + 1), OTHER).map((ms, i) => (k < 2 && i === 4 ? ms * 3 : ms));
        return [c, k < 5 ? [...runs.slice(0, 19), 'failed' as const] : runs];
      }),
    );
    for (const adaptive of [undefined, { looks: [5, 10, 20] }]) {
      const report = compare(base, head, adaptive ? { adaptive } : {});
      expect(report.pooledTail).toMatchObject({ head: 2, q: 1 });
      expect(report.pooledTail!.alphaShare).toBeUndefined();
      // scipy.stats.barnard_exact([[0,5],[120,115]], alternative='less', pooled=True, n=1024).pvalue = 0.0122572, under
      // 14/20 · 0.018 = 0.0126 and under its last-look level 0.012458 (Boschloo's p would be 0.0227: missed).
      expect(report.pooledSuccess!.p).toBeCloseTo(0.0122572, 6);
      expect(report.pooledSuccess!.alphaShare).toBeCloseTo(14 / 20, 12);
      expect(report.pooledSuccess!.verdict).toBe('regression');
      expect(report.verdict).toBe('fail');
    }
  });

  it('gives the share back to the cells when the pooled test could not reach it (3 failed runs in 240)', () => {
    const head = { ...headWith(0), 'a/x': [...rounds(1000, OTHER).slice(0, 17), 'failed' as const, 'failed' as const, 'failed' as const] };
    const report = compare(base, head);
    expect(report.pooledSuccess).toMatchObject({ q: 1, newFailures: 3, verdict: 'unchanged' });
    expect(report.pooledSuccess!.alphaShare).toBeUndefined();
    expect(report.gate.perLookAlpha).toBe(DEFAULT_GATE.alpha);
  });

  it('leaves a tail test that could only just reach its own level in the cells’ family (its reach: a sixteenth of the level)', () => {
    // Seven slow head runs (3×), one in each cell and a second in a/x: the smallest possible p is 0.5⁵ · C(20,2)/C(40,2)
    // = 0.0076, under its own share of α (13/19 · 0.018 = 0.0123) but not under a sixteenth of it, and above α/7 in the family.
    const head = Object.fromEntries(CELLS.map((c, k) => [c, rounds(1000 * (k + 1), OTHER).map((ms, i) => (i === 3 || (k === 0 && i === 11) ? ms * 3 : ms))]));
    const report = compare(base, head);
    expect(report.pooledTail).toMatchObject({ head: 7, base: 0, q: 1, verdict: 'unchanged' });
    expect(report.pooledTail!.alphaShare).toBeUndefined();
    expect(report.gate.perLookAlpha).toBe(DEFAULT_GATE.alpha);
    // With a reach of the whole level it takes its share of α, and the cells keep the rest.
    const reaching = compare(base, head, { matrixWeights: { ...MATRIX_WEIGHTS, tailReach: 1 } });
    expect(reaching.pooledTail!.alphaShare).toBeCloseTo(13 / 19, 12);
    expect(reaching.pooledTail!.q).toBeCloseTo(reaching.pooledTail!.p / (13 / 19), 12);
    expect(reaching.gate.perLookAlpha).toBeCloseTo((DEFAULT_GATE.alpha * 6) / 19, 12);
  });

  it('never gives out more than α: the cells’ part and the matrix tests’ shares add up to α, whatever fails or is far out', () => {
    const perCell = fc.record({ failed: fc.integer({ min: 0, max: 6 }), slow: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(perCell, { minLength: 6, maxLength: 6 }), (spec) => {
        const head = Object.fromEntries(
          CELLS.map((c, k) => {
            const runs: RoundValue[] = rounds(1000 * (k + 1), OTHER).map((ms, i) => (i % 7 < spec[k]!.slow && i < 7 ? ms * 3 : ms));
            return [c, [...runs.slice(0, 20 - spec[k]!.failed), ...Array<'failed'>(spec[k]!.failed).fill('failed')]];
          }),
        );
        const report = compare(base, head);
        const shares = (report.pooledSuccess?.alphaShare ?? 0) + (report.pooledTail?.alphaShare ?? 0);
        expect(report.gate.perLookAlpha + shares * DEFAULT_GATE.alpha).toBeCloseTo(DEFAULT_GATE.alpha, 12);
      }),
      { numRuns: 25 },
    );
  });
});
