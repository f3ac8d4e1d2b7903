/**
 * How often one cell's latency test rejects when nothing changed (docs/statistics.md, "Paired or unpaired"):
 * 20 rounds of independent log-normal runs (CV 10%, 2% of runs 2–5× slower), through the real testShift
 * and roundsShareNoise; per threshold, the rejection rate of Mann–Whitney alone, of the signed-rank test
 * alone and of the rule the gate uses (paired only when the rounds share noise).
 *
 * Usage: npx tsx scripts/reference/null-rate.ts [cells] [seed]
 */
import { roundsShareNoise, testShift } from '../../src/compare/shift-test.js';
import { seededRandom } from '../../src/stats/random.js';

const cells = Number(process.argv[2] ?? 60000);
const random = seededRandom(process.argv[3] ?? 'null-rate');
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const sigma = Math.sqrt(Math.log(1.01));
const run = () => 1000 * Math.exp(sigma * gaussian()) * (random() < 0.02 ? 2 + 3 * random() : 1);
const thresholds = [0.002, 0.004, 0.01, 0.02];
const rejected = { 'Mann–Whitney': [0, 0, 0, 0], 'signed-rank': [0, 0, 0, 0], 'the gate’s rule': [0, 0, 0, 0] };
let paired = 0;
for (let i = 0; i < cells; i++) {
  const pairs = Array.from({ length: 20 }, () => ({ base: run(), head: run() }));
  const unpairedP = testShift({ paired: false, base: pairs.map((p) => p.base), head: pairs.map((p) => p.head) })!.p;
  const pairedP = testShift({ paired: true, pairs })!.p;
  const shared = roundsShareNoise(pairs).shared;
  paired += shared ? 1 : 0;
  thresholds.forEach((t, k) => {
    rejected['Mann–Whitney'][k]! += unpairedP <= t ? 1 : 0;
    rejected['signed-rank'][k]! += pairedP <= t ? 1 : 0;
    rejected['the gate’s rule'][k]! += (shared ? pairedP : unpairedP) <= t ? 1 : 0;
  });
}
console.log(`${cells} cells under no change; the rounds were judged to share noise in ${((100 * paired) / cells).toFixed(2)}%`);
for (const [name, counts] of Object.entries(rejected)) {
  console.log(`${name.padEnd(16)} ${counts.map((c, k) => `p ≤ ${thresholds[k]}: ${((100 * c) / cells).toFixed(3)}%`).join('   ')}`);
}
