import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadReference, type ReferenceCase } from '../stats/reference.test-support.js';
import { smallestSuccessP, testSuccess, type SuccessTestName } from './success.js';

type Margins = { baseTotal: number; headTotal: number; failures: number };
const reference = loadReference<(ReferenceCase<Margins, { p: number; minOverTables?: number }> & { callAll?: string })[]>('smallest-success-p');

/** The success test (Boschloo's by default, the cells'; Barnard's is the pooled test's) of a table with `headFailures` of the `failures` on head. */
function tableOf({ baseTotal, headTotal, failures }: Margins, headFailures: number, test: SuccessTestName = 'boschloo') {
  return testSuccess({ ok: baseTotal - (failures - headFailures), total: baseTotal }, { ok: headTotal - headFailures, total: headTotal }, test)!;
}

describe('smallestSuccessP against scipy.stats.boschloo_exact (scripts/reference/make_pooled_success_fixtures.py)', () => {
  it.each(reference)('$call', ({ call, input, output }) => {
    const some = tableOf(input, Math.max(0, input.failures - input.baseTotal));
    expectClose(smallestSuccessP(some), output.p, 1e-6, call);
    // For small margins scipy's minimum over every table with these margins is the same number.
    if (output.minOverTables !== undefined) expectClose(smallestSuccessP(some), output.minOverTables, 1e-6, call);
  });

  it('reaches 0.0118 for 6 failures in 120 + 120 runs, where Fisher’s bound (the extreme table’s hypergeometric mass) says 0.0146', () => {
    const test = tableOf({ baseTotal: 120, headTotal: 120, failures: 6 }, 3);
    expect(test.minP).toBeCloseTo(0.01462, 4);
    expect(smallestSuccessP(test)).toBeCloseTo(0.0118338, 6);
  });
});

describe('smallestSuccessP properties', () => {
  // Boschloo's (the cells'): minP is Fisher's bound above it; Barnard's (the pooled test's): minP is the smallest p itself.
  it.each(['boschloo', 'barnard'] as const)('%s: is attained, is at most every p the margins allow, and at most minP (enumerating every table)', (test) => {
    const side = fc.integer({ min: 1, max: 14 });
    fc.assert(
      fc.property(side, side, fc.integer({ min: 1, max: 28 }), (baseTotal, headTotal, wanted) => {
        const failures = Math.min(wanted, baseTotal + headTotal - 1);
        const margins = { baseTotal, headTotal, failures };
        const lowest = Math.max(0, failures - baseTotal);
        const highest = Math.min(failures, headTotal);
        const tables = Array.from({ length: highest - lowest + 1 }, (_, i) => tableOf(margins, lowest + i, test));
        const smallest = smallestSuccessP(tables[0]!);
        for (const t of tables) {
          expect(smallestSuccessP(t)).toBe(smallest); // a function of the margins only
          if (test === 'barnard') expect(t.minP).toBe(smallest);
          expect(smallest).toBeLessThanOrEqual(t.p * (1 + 1e-9));
        }
        expect(smallest).toBeCloseTo(Math.min(...tables.map((t) => t.p)), 12);
        expect(smallest).toBeLessThanOrEqual(tables[0]!.minP * (1 + 1e-9));
      }),
      { numRuns: 40 },
    );
  });

  it('for Barnard’s test: 0.01226 for 5 failures in 120 + 120 runs (scipy.stats.barnard_exact([[0,5],[120,115]], alternative="less", pooled=True, n=1024))', () => {
    expect(smallestSuccessP(tableOf({ baseTotal: 120, headTotal: 120, failures: 5 }, 2, 'barnard'))).toBeCloseTo(0.0122572, 6);
  });

  it('above 4,000 runs is Fisher’s exact test, whose work grows with the failures only: a 4,000,000-run pool answers at once', () => {
    // scipy.stats.fisher_exact([[0,5],[3000,2995]], alternative='less').pvalue
    const sparse = testSuccess({ ok: 3000, total: 3000 }, { ok: 2995, total: 3000 }, 'barnard')!;
    expect(sparse.test).toBe('fisher');
    expect(sparse.p).toBeCloseTo(0.031197921, 8);
    expect(sparse.minP).toBeCloseTo(sparse.p, 12);
    // scipy.stats.fisher_exact([[30,50],[1999970,1999950]], alternative='less').pvalue
    const huge = testSuccess({ ok: 1_999_970, total: 2_000_000 }, { ok: 1_999_950, total: 2_000_000 }, 'barnard')!;
    expect(huge.test).toBe('fisher');
    expect(huge.p).toBeCloseTo(0.0164954378, 9);
    expect(testSuccess({ ok: 1995, total: 2000 }, { ok: 1990, total: 2000 }, 'barnard')!.test).toBe('barnard');
  });

  it('is 1 when no run failed', () => {
    expect(smallestSuccessP(testSuccess({ ok: 20, total: 20 }, { ok: 20, total: 20 })!)).toBe(1);
  });
});
