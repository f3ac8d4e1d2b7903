import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Report } from '../report/model.js';
import { familyLookAlphas } from './adaptive.js';
import { compareResults, type CompareInput } from './compare.js';
import { verdictSentence as headline } from '../report/headline.js';
import { exitCodeFor } from './gate.js';
import { mergeFixtures, resultsFixture, type RoundValue } from './results-fixture.js';
import { DEFAULT_GATE } from './settings.js';

/** Ten rounds of run-to-run noise around 1 (about ±4%), fixed so every test sees the same data. */
const NOISE = [1.0, 0.97, 1.03, 0.99, 1.02, 0.98, 1.01, 1.04, 0.96, 1.005];
const OTHER_NOISE = [0.99, 1.02, 0.985, 1.03, 0.97, 1.01, 1.0, 0.965, 1.035, 0.995];
const rounds = (medianMs: number, noise = NOISE, factor = 1) => noise.map((n) => medianMs * n * factor);

/** Every number anywhere in the report is finite (JSON would silently turn NaN and Infinity into null). */
function expectAllFinite(value: unknown, path = 'report'): void {
  if (typeof value === 'number') expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
  else if (Array.isArray(value)) value.forEach((v, i) => expectAllFinite(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectAllFinite(v, `${path}.${k}`);
}

function compare(base: Record<string, RoundValue[]>, head: Record<string, RoundValue[]>, extra: Partial<CompareInput> = {}): Report {
  return compareResults({ base: resultsFixture('base', base), head: resultsFixture('head', head), gate: DEFAULT_GATE, ...extra });
}

describe('compareResults: latency', () => {
  it('flags a clear +30% slowdown over 10 rounds as a regression and fails the PR', () => {
    const report = compare({ 'pirouette/wide': rounds(8000) }, { 'pirouette/wide': rounds(8000, OTHER_NOISE, 1.3) });
    const cell = report.cells[0]!;
    // The two noise columns are not correlated, so the rounds share no noise: unpaired test.
    expect(cell.latency).toMatchObject({ test: 'mann-whitney', method: 'exact', n: { base: 10, head: 10 }, verdict: 'regression' });
    expect(cell.latency!.ratio).toBeGreaterThan(1.25);
    expect(cell.latency!.ratio).toBeLessThan(1.35);
    expect(cell.latency!.ciLow).toBeGreaterThan(1.05);
    // Every head run slower than every base run: the exact one-sided p is 1/C(20, 10).
    expect(cell.latency!.p).toBeCloseTo(1 / 184756, 10);
    expect(report.verdict).toBe('fail');
    expect(exitCodeFor(report)).toBe(1);
    expect(headline(report)).toMatch(/^1 latency regression: pirouette × wide \+\d\d% \(8\.0 s → 10\.\d s\)$/);
  });

  it('pairs rounds that share noise and compares rounds that do not unpaired, saying why', () => {
    // A busy API: every run of a round is slowed alike (up to 30%), both sides, and head is +10%.
    const load = [1.0, 1.2, 0.9, 1.1, 0.8, 1.3, 0.95, 1.05, 0.85, 1.15];
    const base = rounds(1000).map((v, i) => v * load[i]!);
    const head = rounds(1000, OTHER_NOISE, 1.1).map((v, i) => v * load[i]!);
    const shared = compare({ 'a/x': base }, { 'a/x': head }).cells[0]!;
    // scipy.stats.spearmanr(base, head).statistic = 0.9848: the rounds share noise.
    expect(shared.latency).toMatchObject({ test: 'wilcoxon-signed-rank', n: { pairs: 10 }, verdict: 'regression' });
    const independent = compare({ 'a/x': rounds(1000) }, { 'a/x': rounds(1000, OTHER_NOISE, 1.1) }).cells[0]!;
    // spearmanr(NOISE, OTHER_NOISE).statistic = −0.903: nothing shared, so pairing would only cost.
    expect(independent.latency!.test).toBe('mann-whitney');
    expect(independent.notes).toContain('unpaired test: rounds share no clear noise (Spearman r -0.90, 10 rounds)');
    // The same runs without rounds: the load swamps the +10% and the unpaired test cannot find it.
    const unpaired = compareResults({ base: resultsFixture('base', { 'a/x': base }, { noRounds: true }), head: resultsFixture('head', { 'a/x': head }, { noRounds: true }), gate: DEFAULT_GATE });
    expect(unpaired.cells[0]!.latency).toMatchObject({ test: 'mann-whitney', verdict: 'inconclusive' });
  });

  it('does not flag an A/A comparison', () => {
    const report = compare(
      { 'pirouette/wide': rounds(8000), 'pirouette/closeup': rounds(5000, OTHER_NOISE) },
      { 'pirouette/wide': rounds(8000, OTHER_NOISE), 'pirouette/closeup': rounds(5000) },
    );
    for (const cell of report.cells) expect(cell.verdict).not.toBe('regression');
    expect(report.verdict).not.toBe('fail');
    expect(exitCodeFor(report)).toBe(0);
  });

  it('calls identical, zero-variance sides unchanged, with finite numbers and a note', () => {
    const same = Array<number>(8).fill(1200);
    const report = compare({ 'a/x': same }, { 'a/x': same });
    const cell = report.cells[0]!;
    expect(cell.latency).toMatchObject({ ratio: 1, ciLow: 1, ciHigh: 1, p: 1, verdict: 'unchanged' });
    expect(cell.notes.join(' ')).toMatch(/same latency/);
    expectAllFinite(report);
    expect(report.verdict).toBe('pass');
  });

  it('uses Mann-Whitney when the sides ran different rounds, and says so', () => {
    const report = compareResults({
      base: resultsFixture('base', { 'a/x': rounds(1000) }),
      head: resultsFixture('head', { 'a/x': rounds(1000, OTHER_NOISE, 1.5).slice(0, 7) }, { firstRound: 4 }),
      gate: DEFAULT_GATE,
    });
    const cell = report.cells[0]!;
    expect(cell.latency).toMatchObject({ test: 'mann-whitney', n: { base: 10, head: 7 }, verdict: 'regression' });
    expect(cell.notes).toContain('the sides ran different rounds: unpaired test');
  });

  it('reports an improvement when head is clearly faster', () => {
    const report = compare({ 'a/x': rounds(1000) }, { 'a/x': rounds(1000, OTHER_NOISE, 0.7) });
    expect(report.cells[0]!.latency!.verdict).toBe('improvement');
    expect(report.verdict).toBe('pass');
    expect(headline(report)).toBe('No regression; 1 latency improvement: a × x −30% (1.0 s → 698 ms)');
  });

  it('needs the median to grow by min-abs-ms before it calls a regression', () => {
    const base = { 'a/x': rounds(100) };
    const head = { 'a/x': rounds(100, OTHER_NOISE, 1.3) };
    expect(compare(base, head).cells[0]!.latency!.verdict).toBe('regression');
    const lenient = compare(base, head, { gate: { ...DEFAULT_GATE, minAbsMs: 50 } });
    expect(lenient.cells[0]!.latency!.verdict).toBe('inconclusive');
    expect(lenient.cells[0]!.latency!.reason).toMatch(/min-abs-ms 50/);
  });

  it('leaves warm-up and attribution runs out of latency statistics', () => {
    const base = mergeFixtures(resultsFixture('base', { 'a/x': rounds(1000) }), resultsFixture('base', { 'a/x': [50, 50] }, { phase: 'warmup' }));
    const head = mergeFixtures(
      resultsFixture('head', { 'a/x': rounds(1000, OTHER_NOISE) }),
      resultsFixture('head', { 'a/x': [9000, 9000, 9000] }, { phase: 'attribution', granularity: 'fine' }),
    );
    const report = compareResults({ base, head, gate: DEFAULT_GATE });
    expect(report.cells[0]!.base.runs).toBe(10);
    expect(report.cells[0]!.head.runs).toBe(10);
    expect(report.cells[0]!.verdict).not.toBe('regression');
    expect(report.sides.head.runs).toBe(10);
  });

  it('adjusts p over every cell and metric (q ≥ p) and uses the per-look α when adaptive', () => {
    const base = { 'a/x': rounds(1000), 'a/y': rounds(2000), 'b/x': rounds(3000) };
    const head = { 'a/x': rounds(1000, OTHER_NOISE, 1.2), 'a/y': rounds(2000, OTHER_NOISE), 'b/x': rounds(3000, OTHER_NOISE) };
    const report = compare(base, head, { adaptive: { looks: [5, 10, 20] } });
    for (const cell of report.cells) expect(cell.latency!.q).toBeGreaterThanOrEqual(cell.latency!.p);
    // Three latency tests and no success test that can reject (no run failed): the boundary at α/3, ×3.
    const alphas = familyLookAlphas([5, 10, 20], DEFAULT_GATE.alpha, 3);
    expect(report.gate.lookAlphas).toEqual(alphas);
    expect(report.gate.perLookAlpha).toBe(alphas[2]);
    expect(alphas[0]).toBeLessThan(1e-5);
    // 10 rounds reached the look at 10, so the cells are judged at that look's α, not the last one's.
    expect(report.cells[0]!.latency!.reason).toContain(`≤ ${Number(alphas[1]!.toPrecision(2))}`);
    expect(compare(base, head).gate.perLookAlpha).toBe(DEFAULT_GATE.alpha);
    expect(compare(base, head).gate.lookAlphas).toBeUndefined();
  });
});

describe('compareResults: the Benjamini–Hochberg family', () => {
  const base = { 'a/x': rounds(1000), 'a/y': rounds(2000), 'b/x': rounds(3000) };
  const head = { 'a/x': rounds(1000, OTHER_NOISE, 1.2), 'a/y': rounds(2000, OTHER_NOISE), 'b/x': rounds(3000, OTHER_NOISE) };
  // BH by hand: q_(i) = min over j ≥ i of p_(j)·m/j.
  const bh = (ps: number[]) => ps.map((p) => Math.min(1, ...ps.filter((o) => o >= p).map((o) => (o * ps.length) / ps.filter((x) => x <= o).length)));

  it('holds only tests that can reject: with no failed run, the latency tests alone', () => {
    const report = compare(base, head);
    const ps = report.cells.map((c) => c.latency!.p);
    report.cells.forEach((c, i) => expect(c.latency!.q).toBeCloseTo(bh(ps)[i]!, 12));
    // A success test with no failure on either side has p = 1 and q = 1, outside the family.
    for (const cell of report.cells) expect(cell.success).toMatchObject({ p: 1, q: 1, verdict: 'unchanged' });
  });

  it('takes in the cell success tests whose failures could reach significance (Tarone); the pooled one has its own share of α', () => {
    const withFailures = { ...head, 'b/x': [...rounds(3000, OTHER_NOISE).slice(0, 2), ...Array<RoundValue>(8).fill('failed')] };
    const report = compare(base, withFailures);
    const ps = [...report.cells.map((c) => c.latency!.p), report.cells[2]!.success!.p];
    const q = bh(ps);
    report.cells.forEach((c, i) => expect(c.latency!.q).toBeCloseTo(q[i]!, 12));
    expect(report.cells[2]!.success!.q).toBeCloseTo(q[3]!, 12);
    expect(report.cells[2]!.success!.verdict).toBe('regression');
    // Three cells and the pooled test weighing fourteen: the pooled test at 14/17 of α, the cells' family at 3/17.
    expect(report.pooledSuccess!.alphaShare).toBeCloseTo(14 / 17, 12);
    expect(report.pooledSuccess!.q).toBeCloseTo(report.pooledSuccess!.p / (14 / 17), 12);
    expect(report.gate.perLookAlpha).toBeCloseTo((DEFAULT_GATE.alpha * 3) / 17, 12);
  });

  it('leaves out a success test whose one failed run could never be significant', () => {
    const withFailure = { ...head, 'b/x': [...rounds(3000, OTHER_NOISE).slice(0, 9), 'failed' as const] };
    const report = compare(base, withFailure);
    // With 1 failure in 20 runs the smallest possible p is about 0.5: far above α/4, so only the latency tests count.
    const ps = report.cells.map((c) => c.latency!.p);
    report.cells.forEach((c, i) => expect(c.latency!.q).toBeCloseTo(bh(ps)[i]!, 12));
    expect(report.cells[2]!.success).toMatchObject({ q: 1, verdict: 'unchanged', newFailures: 1 });
    expect(report.pooledSuccess!.q).toBe(1);
  });
});

describe('compareResults: far-out runs', () => {
  it('sets a rare cold start aside, reports it per side and says why in the notes', () => {
    const twenty = [...NOISE, ...OTHER_NOISE];
    const base = twenty.map((n, i) => 8000 * n * (i === 4 ? 3.5 : 1));
    const head = [...twenty].reverse().map((n) => 8000 * n * 1.1);
    const cell = compare({ 'a/x': base }, { 'a/x': head }).cells[0]!;
    expect(cell.latency).toMatchObject({ test: 'mann-whitney', n: { base: 19, head: 20 }, farOut: { base: 1, head: 0 }, verdict: 'regression' });
    expect(cell.notes).toContain(
      "1 far-out run (1 base) set aside from the latency test: beyond 3 interquartile ranges of both sides' log latencies (at most 1 run in 10 may be)",
    );
    // The runs and the median still count every run: only the test leaves the cold start out.
    expect(cell.base.runs).toBe(20);
    expect(compare({ 'a/x': base.map((ms, i) => (i === 4 ? 8000 : ms)) }, { 'a/x': head }).cells[0]!.latency!.farOut).toBeUndefined();
  });
});

describe('compareResults: success rate', () => {
  it('makes a cell whose head never completes a success regression, not a crash', () => {
    const report = compare({ 'a/x': rounds(1000) }, { 'a/x': Array<RoundValue>(10).fill('failed') });
    const cell = report.cells[0]!;
    expect(cell.latency).toBeNull();
    expect(cell.success).toMatchObject({ newFailures: 10, verdict: 'regression', head: { ok: 0, total: 10, rate: 0 } });
    expect(cell.verdict).toBe('regression');
    expect(cell.notes).toContain('all head runs failed (10 of 10): latency cannot be compared');
    expect(report.verdict).toBe('fail');
    expect(headline(report)).toBe('1 success-rate regression: a × x 10/10 → 0/10 completed');
  });

  it('counts timeouts as failures, leaves 2 new failures in 10 to the exact test, and applies max-new-failures only when set', () => {
    // Head follows the base's round-to-round noise, so the rounds are paired and the failed rounds drop out.
    const head: RoundValue[] = [...rounds(1000, NOISE.map((n, i) => n * (i % 2 === 0 ? 1.004 : 0.996))).slice(0, 8), 'timeout', 'failed'];
    const byDefault = compare({ 'a/x': rounds(1000) }, { 'a/x': head });
    expect(byDefault.cells[0]!.success).toMatchObject({ newFailures: 2, verdict: 'unchanged' });
    expect(byDefault.cells[0]!.success!.reason).toMatch(/2 new failures, within chance/);
    expect(byDefault.gate.maxNewFailures).toBeNull();
    const strict = compare({ 'a/x': rounds(1000) }, { 'a/x': head }, { gate: { ...DEFAULT_GATE, maxNewFailures: 0 } });
    expect(strict.cells[0]!.success).toMatchObject({ newFailures: 2, verdict: 'regression' });
    expect(strict.cells[0]!.success!.reason).toMatch(/2 new failures > max-new-failures 0/);
    // scipy.stats.boschloo_exact([[0, 2], [10, 8]], alternative='less').pvalue
    expect(strict.cells[0]!.success!.p).toBeCloseTo(0.1316738, 6);
    const lenient = compare({ 'a/x': rounds(1000) }, { 'a/x': head }, { gate: { ...DEFAULT_GATE, maxNewFailures: 2 } });
    expect(lenient.cells[0]!.success!.verdict).toBe('unchanged');
    expect(lenient.cells[0]!.latency!.n.pairs).toBe(8);
    expect(lenient.cells[0]!.notes).toContain('2 rounds left out of the paired test: a side did not complete');
  });

  it('explains a cell whose base runs all failed and compares success only', () => {
    const report = compare({ 'a/x': Array<RoundValue>(6).fill('failed') }, { 'a/x': rounds(1000).slice(0, 6) });
    const cell = report.cells[0]!;
    expect(cell.latency).toBeNull();
    expect(cell.notes).toContain('all base runs failed (6 of 6): latency cannot be compared');
    expect(cell.success!.verdict).toBe('improvement');
    expect(cell.verdict).toBe('inconclusive');
  });

  it('pools the success rate over the matrix', () => {
    const report = compare(
      { 'a/x': rounds(1000), 'a/y': rounds(1000) },
      { 'a/x': [...rounds(1000).slice(0, 9), 'failed'], 'a/y': rounds(1000, OTHER_NOISE) },
      { gate: { ...DEFAULT_GATE, maxNewFailures: 1 } },
    );
    expect(report.pooledSuccess).toMatchObject({ base: { ok: 20, total: 20 }, head: { ok: 19, total: 20 }, newFailures: 1, verdict: 'unchanged' });
  });
});

describe('compareResults: cells and inputs', () => {
  it('reports cells present on one side only as added or removed, and keeps comparing the rest', () => {
    const report = compare({ 'a/x': rounds(1000), 'a/old': rounds(1000) }, { 'a/x': rounds(1000, OTHER_NOISE), 'a/new': rounds(1000) });
    expect(report.cells.map((c) => [c.variant, c.presence])).toEqual([
      ['x', 'both'],
      ['old', 'removed'],
      ['new', 'added'],
    ]);
    expect(report.summary).toMatchObject({ cells: 1, added: 1, removed: 1 });
    expect(report.cells[2]!.notes).toEqual(['added cell: only head has runs, nothing to compare']);
  });

  it('orders cells as the config does (inputs × variants), then the rest in order of appearance', () => {
    const base = { 'b/y': rounds(1), 'a/y': rounds(1), 'z/z': rounds(1), 'a/x': rounds(1) };
    const report = compare(base, base, { cellOrder: { inputs: ['a', 'b'], variants: ['x', 'y'] } });
    expect(report.cells.map((c) => `${c.input}/${c.variant}`)).toEqual(['a/x', 'a/y', 'b/y', 'z/z']);
  });

  it('carries the files’ warnings and warns about an empty side', () => {
    const report = compareResults({
      base: resultsFixture('base', {}, { warnings: ['base.jsonl:3: latencyMs: -1 is negative; the run is ignored'] }),
      head: resultsFixture('head', { 'a/x': rounds(1000) }),
      gate: DEFAULT_GATE,
    });
    expect(report.warnings).toEqual([
      'base.jsonl: no run lines: the base side is empty',
      'no cell has runs on both sides: nothing to compare',
      'base.jsonl:3: latencyMs: -1 is negative; the run is ignored',
    ]);
    expect(report.summary.cells).toBe(0);
    expect(report.verdict).toBe('inconclusive');
    expect(headline(report)).toBe('Nothing to compare: no cell has runs on both sides');
  });

  it('takes a file holding only the other side as this side, with a warning', () => {
    const report = compareResults({ base: resultsFixture('head', { 'a/x': rounds(1000) }), head: resultsFixture('head', { 'a/x': rounds(1000, OTHER_NOISE) }), gate: DEFAULT_GATE });
    expect(report.summary.cells).toBe(1);
    expect(report.warnings).toEqual(['head.jsonl: no run has side "base"; all its runs are used as the base side']);
  });

  it('gives a byte-identical report for the same inputs', () => {
    const make = () => compare({ 'a/x': rounds(1000), 'b/x': [...rounds(900), 'failed'] }, { 'a/x': rounds(1000, OTHER_NOISE, 1.1), 'b/x': rounds(900, OTHER_NOISE) });
    expect(JSON.stringify(make())).toBe(JSON.stringify(make()));
  });
});

describe('compareResults: fail-on', () => {
  const slower = () => compare({ 'a/x': rounds(1000) }, { 'a/x': rounds(1000, OTHER_NOISE, 1.3) }, { gate: { ...DEFAULT_GATE, failOn: ['never'] } });
  const unsure = (failOn: typeof DEFAULT_GATE.failOn) =>
    compare({ 'a/x': [1000, 1100, 900] }, { 'a/x': [1050, 1000, 1200] }, { gate: { ...DEFAULT_GATE, failOn } });

  it('never fails with fail-on never, but does not call a regression a pass', () => {
    expect(slower().verdict).toBe('inconclusive');
    expect(exitCodeFor(slower())).toBe(0);
  });

  it('passes inconclusive cells by default and fails them with fail-on inconclusive', () => {
    expect(unsure(['regression']).cells[0]!.verdict).toBe('inconclusive');
    expect(unsure(['regression']).verdict).toBe('inconclusive');
    expect(exitCodeFor(unsure(['regression']))).toBe(0);
    expect(unsure(['regression', 'inconclusive']).verdict).toBe('fail');
    expect(headline(unsure(['regression']))).toBe('Inconclusive: 1 of 1 cell undecided after 3 rounds; no regression found');
  });
});

describe('compareResults: properties', () => {
  // Latencies at 0.1 ms resolution, as a runner records them.
  const latency = fc.integer({ min: 500, max: 500_000 }).map((tenths) => tenths / 10);
  const side = fc.array(fc.oneof({ weight: 9, arbitrary: latency }, { weight: 1, arbitrary: fc.constantFrom<RoundValue>('failed', 'timeout') }), { minLength: 1, maxLength: 14 });

  it('gives the same verdicts, p and ratios when every latency is scaled by a constant', () => {
    fc.assert(
      fc.property(side, side, fc.constantFrom(0.001, 0.5, 3, 1000), (base, head, k) => {
        const scale = (values: RoundValue[]) => values.map((v) => (typeof v === 'number' ? v * k : v));
        const gate = { ...DEFAULT_GATE, minAbsMs: 0 };
        const a = compare({ 'a/x': base }, { 'a/x': head }, { gate });
        const b = compare({ 'a/x': scale(base) }, { 'a/x': scale(head) }, { gate });
        expect(b.cells[0]!.verdict).toBe(a.cells[0]!.verdict);
        expect(b.cells[0]!.latency?.p).toBe(a.cells[0]!.latency?.p);
        expect(b.cells[0]!.latency?.method).toBe(a.cells[0]!.latency?.method);
        if (a.cells[0]!.latency) expect(b.cells[0]!.latency!.ratio / a.cells[0]!.latency.ratio).toBeCloseTo(1, 7);
      }),
      { numRuns: 60 },
    );
  });

  it('turns a latency regression into an improvement when the sides are swapped, and the ratio into its inverse', () => {
    // Whatever test the cell gets (paired only when the rounds share noise), swapping base and head mirrors it.
    fc.assert(
      fc.property(fc.array(latency, { minLength: 6, maxLength: 12 }), fc.double({ min: 1.3, max: 3, noNaN: true }), (base, factor) => {
        const head = base.map((v, i) => v * factor * (1 + ((i % 3) - 1) * 0.01));
        const forward = compare({ 'a/x': base }, { 'a/x': head }).cells[0]!.latency!;
        const backward = compare({ 'a/x': head }, { 'a/x': base }).cells[0]!.latency!;
        // One-sided rules: a regression one way is an improvement the other way, and vice versa. (Other
        // verdicts need not mirror: `unchanged` says a slowdown is ruled out, which a faster head can be.)
        expect(forward.verdict).not.toBe('improvement');
        expect(backward.verdict === 'improvement').toBe(forward.verdict === 'regression');
        expect(backward.test).toBe(forward.test);
        expect(backward.ratio * forward.ratio).toBeCloseTo(1, 7);
      }),
      { numRuns: 40 },
    );
  });

  it('finds a 30% slowdown of every round, paired or not', () => {
    const noisyRounds = [50, 46926, 50, 50, 50, 64.4, 51, 49, 8000, 52];
    const steadyRounds = [8000, 8100, 7950, 8050, 7900, 8020, 7980, 8060, 8010, 7990];
    for (const base of [noisyRounds, steadyRounds]) {
      const head = base.map((v, i) => v * 1.3 * (1 + ((i % 3) - 1) * 0.01));
      expect(compare({ 'a/x': base }, { 'a/x': head }).cells[0]!.latency!.verdict).toBe('regression');
    }
  });

  it('never produces NaN or a crash, whatever completes or fails', () => {
    fc.assert(
      fc.property(side, side, fc.boolean(), (base, head, pairedRounds) => {
        const report = compareResults({
          base: resultsFixture('base', { 'a/x': base }),
          head: resultsFixture('head', { 'a/x': head }, pairedRounds ? {} : { firstRound: 100 }),
          gate: DEFAULT_GATE,
        });
        expectAllFinite(report);
      }),
      { numRuns: 80 },
    );
  });
});
