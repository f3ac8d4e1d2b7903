/**
 * Adaptive repetitions (DESIGN §5): the gate looks at the data after 5, 10 and 20 rounds (by default)
 * and only inconclusive cells get more rounds. Looking several times gives a false alarm several
 * chances, so each look tests at its own, smaller α: a group-sequential boundary whose α is spent over
 * the looks by the Lan–DeMets O'Brien–Fleming-type spending function, so the whole schedule keeps the
 * false-alarm rate at α. docs/statistics.md explains it and why it replaced the constant Pocock boundary.
 */
import type { Report } from '../report/model.js';
import { normalQuantile, normalSf } from '../stats/normal.js';
import { normalizeLooks } from './settings.js';

const cache = new Map<string, number[]>();

/**
 * The one-sided α of each look after n₁ < … < n_K rounds (one entry per distinct look, in increasing
 * order), such that the probability of crossing the boundary at any look under no change is `alpha`.
 *
 * α is spent by the Lan–DeMets O'Brien–Fleming-type function α(t) = 2 − 2Φ(z₁₋α/₂ / √t) of the
 * information fraction t = n_k / n_K: almost nothing at the first looks (where 5 pairs cannot reject
 * anyway: the smallest exact signed-rank p is 1/32), nearly all of it at the last, so the last look tests
 * at almost the fixed-sample α while early looks still stop large changes. Look k's critical value c_k
 * solves P(Z₁ ≤ c₁, …, Z_{k−1} ≤ c_{k−1}, Z_k > c_k) = α(t_k) − α(t_{k−1}), where Z_k = S(n_k)/√n_k for a
 * Brownian motion S (the large-sample behaviour of rank statistics, information proportional to the
 * rounds); the per-look α is P(Z > c_k). For looks 5/10/20 at α 0.05: 0.0000886, 0.00554, 0.0482.
 * Deterministic; results are cached.
 */
export function lookAlphas(looks: readonly number[], alpha: number): number[] {
  const schedule = normalizeLooks(looks).filter((n) => n > 0);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (schedule.length <= 1) return [alpha];
  const key = `${schedule.join(',')}@${alpha}`;
  const cached = cache.get(key);
  if (cached !== undefined) return [...cached];
  const last = schedule[schedule.length - 1]!;
  const bounds: number[] = [];
  for (const n of schedule) {
    const spent = obrienFlemingSpending(n / last, alpha);
    if (bounds.length === 0) {
      // The first look alone: its α is the spending itself. From the upper tail directly: at small α (a family
      // of hundreds of tests) `1 - spent` rounds to 1 and its quantile to Infinity. Beyond 37 standard
      // deviations the boundary is never crossed in double precision.
      bounds.push(Math.min(37, -normalQuantile(spent)));
      continue;
    }
    let low = 0;
    let high = 12;
    for (let i = 0; i < 44; i++) {
      const c = (low + high) / 2;
      if (crossingProbability(schedule.slice(0, bounds.length + 1), [...bounds, c]) > spent) low = c;
      else high = c;
    }
    bounds.push((low + high) / 2);
  }
  const result = bounds.map(normalSf);
  cache.set(key, result);
  return [...result];
}

/**
 * The α of each look for a cell tested in a Benjamini–Hochberg family of `tests` tests: the spending
 * boundary at α/tests, the level BH holds the smallest p to (its first step is Bonferroni's), scaled by
 * `tests` so it compares with BH's q. Calibrating at α itself and letting BH divide would keep the early
 * looks' share of α at its size for α = 0.05 and overspend: the O'Brien–Fleming-type function spends a
 * smaller share early the smaller the level (look 10 of 5/10/20 gets 11% of α = 0.05 but 1% of 0.0033),
 * which is what each of six cells faces. Measured by bench:gate (40,000 unchanged 6-cell PRs): 2.03%
 * failed with the boundary at α, 1.92% without looks at all, and as many with this one.
 */
export function familyLookAlphas(looks: readonly number[], alpha: number, tests: number): number[] {
  const m = Math.max(1, tests);
  return lookAlphas(looks, alpha / m).map((a) => Math.min(1, a * m));
}

/**
 * The per-look α of the LAST look of `lookAlphas(looks, alpha)`: the level a cell that ran the whole
 * schedule is tested at (0.0482 for looks 5/10/20 at α 0.05). Kept as one number because the report's
 * `gate.perLookAlpha` and the callers read one; `lookAlphas` gives every look's.
 */
export function perLookAlpha(looks: readonly number[], alpha: number): number {
  const alphas = lookAlphas(looks, alpha);
  return alphas[alphas.length - 1]!;
}

/** The per-look α for a cell that has run `rounds` rounds: that of the last look it reached (the first look's below it). */
export function alphaAtRounds(looks: readonly number[], alphas: readonly number[], rounds: number): number {
  const schedule = normalizeLooks(looks).filter((n) => n > 0);
  let index = 0;
  schedule.forEach((n, i) => {
    if (n <= rounds) index = i;
  });
  return alphas[Math.min(index, alphas.length - 1)]!;
}

const constantCache = new Map<string, number>();

/**
 * One one-sided level for every look such that the chance of crossing at ANY look of `looks` is `alpha`
 * (Pocock's constant boundary, on the same Brownian-motion model as `lookAlphas`). The `unchanged` claim
 * uses it: a cell that stops early because its interval's upper end fell below 1 + min-change gets that
 * chance at every look, so each look's interval is made wider until the whole schedule's chance of ruling
 * out a real slowdown is 5%, as one 90% interval's is (looks 5/10/20: about 0.022 per look instead of 0.05).
 * Equal levels, not O'Brien–Fleming's, because the early looks are where rounds are saved.
 */
export function constantLookLevel(looks: readonly number[], alpha: number): number {
  const schedule = normalizeLooks(looks).filter((n) => n > 0);
  if (schedule.length <= 1) return alpha;
  const key = `${schedule.join(',')}@${alpha}`;
  const cached = constantCache.get(key);
  if (cached !== undefined) return cached;
  let low = 0;
  let high = 12;
  for (let i = 0; i < 44; i++) {
    const c = (low + high) / 2;
    if (crossingProbability(schedule, c) > alpha) low = c;
    else high = c;
  }
  const level = normalSf((low + high) / 2);
  constantCache.set(key, level);
  return level;
}

/** Lan–DeMets O'Brien–Fleming-type spending: the one-sided α spent by information fraction t ∈ (0, 1]. */
export function obrienFlemingSpending(t: number, alpha: number): number {
  if (t >= 1) return alpha;
  return 2 * normalSf(normalQuantile(1 - alpha / 2) / Math.sqrt(t));
}

/**
 * P(Z_k > c_k for some k) for a standard Brownian motion observed at times `looks`, with one critical
 * value for all looks (a number) or one per look.
 */
export function crossingProbability(looks: readonly number[], c: number | readonly number[]): number {
  const POINTS = 401; // odd, for Simpson's rule
  let grid: number[] = [];
  let density: number[] = [];
  let previousTime = 0;
  looks.forEach((time, k) => {
    const bound = (typeof c === 'number' ? c : c[k]!) * Math.sqrt(time);
    const lowest = -10 * Math.sqrt(time);
    const step = (bound - lowest) / (POINTS - 1);
    const next = Array.from({ length: POINTS }, (_, i) => lowest + i * step);
    const variance = time - previousTime;
    const values = next.map((s) => {
      if (previousTime === 0) return gaussian(s, variance);
      let sum = 0;
      for (let j = 0; j < grid.length; j++) sum += density[j]! * gaussian(s - grid[j]!, variance);
      return sum;
    });
    // Fold Simpson weights into the density so the next look's sum is the integral.
    const weights = simpsonWeights(POINTS, step);
    density = values.map((v, i) => v * weights[i]!);
    grid = next;
    previousTime = time;
  });
  const stayedBelow = density.reduce((a, b) => a + b, 0);
  return 1 - stayedBelow;
}

function gaussian(x: number, variance: number): number {
  return Math.exp((-x * x) / (2 * variance)) / Math.sqrt(2 * Math.PI * variance);
}

function simpsonWeights(points: number, step: number): number[] {
  return Array.from({ length: points }, (_, i) => ((i === 0 || i === points - 1 ? 1 : i % 2 === 1 ? 4 : 2) * step) / 3);
}

/**
 * Which cells the adaptive loop runs again, and up to how many rounds: every inconclusive cell compared on
 * both sides whose rounds are below the next look. `nextRounds` is the smallest look above such a cell's
 * rounds; null when no cell needs more or the schedule is exhausted.
 */
export function cellsNeedingMoreRounds(report: Report, looks: readonly number[]): { cells: { input: string; variant: string }[]; nextRounds: number | null } {
  const schedule = normalizeLooks(looks);
  const waiting = report.cells.filter((c) => c.presence === 'both' && c.verdict === 'inconclusive');
  const nextLooks = waiting.map((c) => schedule.find((n) => n > c.rounds)).filter((n): n is number => n !== undefined);
  if (nextLooks.length === 0) return { cells: [], nextRounds: null };
  const nextRounds = Math.min(...nextLooks);
  return {
    cells: waiting.filter((c) => c.rounds < nextRounds).map((c) => ({ input: c.input, variant: c.variant })),
    nextRounds,
  };
}
