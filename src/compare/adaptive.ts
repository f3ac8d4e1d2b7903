/**
 * Adaptive repetitions (DESIGN §5): the gate looks at the data after 5, 10 and 20 rounds (by default)
 * and only inconclusive cells get more rounds. Looking several times gives a false alarm several
 * chances, so each look tests at a smaller, constant per-look α (a Pocock boundary) calibrated for
 * the schedule so the whole schedule keeps the false-alarm rate at α. docs/statistics.md explains it.
 */
import type { Report } from '../report/model.js';
import { normalSf } from '../stats/normal.js';
import { normalizeLooks } from './settings.js';

const cache = new Map<string, number>();

/**
 * The per-look one-sided α of a constant (Pocock) boundary for looks after n₁ < … < n_K rounds, such that
 * the probability of crossing it at any look under no change is `alpha`.
 *
 * Under no change the standardized statistic at look k is Z_k = S(n_k)/√n_k for a Brownian motion S
 * (the large-sample behaviour of rank statistics, with information proportional to the rounds). The
 * crossing probability P(max_k Z_k > c) is computed by recursive numerical integration of the density
 * of S over the continuation region (Armitage, McPherson & Rowe 1969), and c is found by bisection.
 * For looks 5/10/20 at α 0.05 this gives 0.0218 (c = 2.018). Deterministic; results are cached.
 */
export function perLookAlpha(looks: readonly number[], alpha: number): number {
  const schedule = normalizeLooks(looks).filter((n) => n > 0);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (schedule.length <= 1) return alpha;
  const key = `${schedule.join(',')}@${alpha}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let low = 0;
  let high = 8;
  for (let i = 0; i < 60; i++) {
    const c = (low + high) / 2;
    if (crossingProbability(schedule, c) > alpha) low = c;
    else high = c;
  }
  const result = normalSf((low + high) / 2);
  cache.set(key, result);
  return result;
}

/** P(Z_k > c for some k) for a standard Brownian motion observed at times `looks`. */
export function crossingProbability(looks: readonly number[], c: number): number {
  const POINTS = 201; // odd, for Simpson's rule
  let grid: number[] = [];
  let density: number[] = [];
  let previousTime = 0;
  for (const time of looks) {
    const bound = c * Math.sqrt(time);
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
  }
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
