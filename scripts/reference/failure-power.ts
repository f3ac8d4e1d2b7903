/**
 * `npx tsx scripts/reference/failure-power.ts`: what a pooled one-sided exact test on 120 + 120 runs (a 6-cell
 * matrix at 20 rounds) catches of bench:gate's failure-rate changes at a given level, before multiplicity and
 * early stopping: Σ over tables of P(table) · [p ≤ level], base failures ~ Bin(120, p_base), head failures ~
 * Bin(120, p_head), for Boschloo's test and for Barnard's with the pooled Wald statistic (the pooled test's).
 * `boschloo` and `barnard` are checked against scipy.stats.boschloo_exact / barnard_exact (fixtures/stats).
 * docs/statistics.md, "Flaky runs".
 */
import { barnard } from '../../src/stats/barnard.js';
import { boschloo } from '../../src/stats/boschloo.js';

const binomialPmf = (n: number, p: number) => {
  const out: number[] = [];
  let c = 1;
  for (let k = 0; k <= n; k++) {
    out.push(c * p ** k * (1 - p) ** (n - k));
    c = (c * (n - k)) / (k + 1);
  }
  return out;
};
const N = 120;
const levels = [0.018, 0.012458, 0.0123, 0.0118, 0.0089, 0.0058];
const tests = [
  ['Boschloo', boschloo],
  ['Barnard (pooled)', barnard],
] as const;
const changes = [
  [0.02, 0.1],
  [0, 0.05],
] as const;
for (const [name, test] of tests) {
  for (const [base, head] of changes) {
    const pb = binomialPmf(N, base);
    const ph = binomialPmf(N, head);
    const power = levels.map(() => 0);
    for (let xb = 0; xb <= N; xb++) {
      for (let xh = 0; xh <= N; xh++) {
        const weight = pb[xb]! * ph[xh]!;
        if (weight < 1e-10) continue;
        const { p } = test(xb, xh, N - xb, N - xh, 'less');
        levels.forEach((level, i) => {
          if (p <= level) power[i] = power[i]! + weight;
        });
      }
    }
    console.log(`${name}: failures ${base * 100}% → ${head * 100}%, ${N} + ${N} runs: ${levels.map((l, i) => `level ${l}: ${(power[i]! * 100).toFixed(1)}%`).join(', ')}`);
  }
}
