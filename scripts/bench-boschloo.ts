/**
 * `npx tsx scripts/bench-boschloo.ts`: time of the pooled success test (one-sided Boschloo) on the margins of
 * bench:gate's 60-cell matrices (1,200 runs per side), the first call on new margins and later calls on the
 * same margins (the rows `src/stats/boschloo.ts` keeps), with the machine's load average beside the figures.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { boschloo } from '../src/stats/boschloo.js';

const load = (() => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
})();
const time = (f: () => void) => {
  const started = performance.now();
  f();
  return performance.now() - started;
};
const first = time(() => boschloo(24, 30, 1176, 1170, 'less'));
const tables = Array.from({ length: 20 }, (_, k) => [20 + (k % 7), 22 + k, 1180 - (k % 7), 1178 - k] as const);
const warm = time(() => tables.forEach(([a, b, c, d]) => boschloo(a, b, c, d, 'less'))) / tables.length;
const small = time(() => tables.forEach(([a, b]) => boschloo(a % 5, b % 9, 120 - (a % 5), 120 - (b % 9), 'less'))) / tables.length;
console.log(`pooled Boschloo, 1,200 + 1,200 runs: first call ${first.toFixed(0)} ms, later calls on the same margins ${warm.toFixed(0)} ms each; 120 + 120 runs: ${small.toFixed(1)} ms each (load average ${load})`);
