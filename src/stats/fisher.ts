import { hypergeometricCdf, hypergeometricSf, hypergeometricTable } from './hypergeometric.js';
import type { Alternative } from './types.js';

/** Relative slack under which two table probabilities count as equal in the two-sided sum. */
const EQUAL_PROBABILITY = 1e-7;

/**
 * Fisher's exact test on the 2×2 table [[a, b], [c, d]], as scipy.stats.fisher_exact(table,
 * alternative). Conditional on the margins, a is hypergeometric (total a+b+c+d, a+b marked,
 * a+c drawn). `'greater'`: P(X ≥ a) (odds ratio ad/bc > 1); `'less'`: P(X ≤ a); two-sided: the sum
 * of P(X = x) over every x no more probable than the observed a (relative slack 1e-7, as R's
 * fisher.test; scipy uses 1e-14 on its own rounding, which only matters for near-ties).
 * A zero row or column sum gives p = 1, as scipy. Counts must be non-negative integers.
 */
export function fisherExact(a: number, b: number, c: number, d: number, alternative: Alternative): { p: number } {
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) return { p: 1 };
  const table = hypergeometricTable(a + b + c + d, a + b, a + c);
  if (alternative === 'greater') return { p: Math.min(1, hypergeometricSf(table, a)) };
  if (alternative === 'less') return { p: Math.min(1, hypergeometricCdf(table, a)) };
  const observed = table.pmf[a - table.min] as number;
  let p = 0;
  for (const probability of table.pmf) if (probability <= observed * (1 + EQUAL_PROBABILITY)) p += probability;
  return { p: Math.min(1, p) };
}
