/**
 * An exact test of "head has more slow far-out values than chance gives it", over many cells at once: the
 * matrix-level tail test. Each cell (a stratum) contributes the number of its slow far-out values that are
 * head values. Under no change that count is, given the cell's values,
 *   - unpaired: hypergeometric — the far-out values are fixed by the pooled fences, and every assignment of
 *     `head` of the `total` values to head is equally likely (scipy.stats.hypergeom(M=total, n=head, N=farOut));
 *   - paired: binomial(farOut, ½) — each far-out round's sign is a fair coin (scipy.stats.binom(farOut, 0.5)).
 * The strata are independent, so the sum's distribution is the convolution of theirs, and the one-sided
 * p is P(Σ ≥ observed). It is a stratified exact test in the manner of Mantel–Haenszel's (Biometrics 1959),
 * conditional on each cell's values, so it keeps its level whatever the latency distribution.
 */
import { hypergeometricTable } from './hypergeometric.js';

export type FarOutStratum =
  | { paired: false; total: number; head: number; farOut: number; headFarOut: number }
  | { paired: true; farOut: number; headFarOut: number };

/** One-sided p = P(Σ head far-out ≥ observed) under no change; 1 when no stratum has a far-out value. */
export function farOutSidesP(strata: readonly FarOutStratum[]): number {
  let pmf: Float64Array = Float64Array.of(1);
  let observed = 0;
  for (const stratum of strata) {
    if (stratum.farOut === 0) continue;
    observed += stratum.headFarOut;
    pmf = convolve(pmf, stratumPmf(stratum));
  }
  let p = 0;
  for (let x = observed; x < pmf.length; x++) p += pmf[x]!;
  return Math.min(1, p);
}

/** pmf over 0…farOut of the stratum's head far-out count. */
function stratumPmf(stratum: FarOutStratum): Float64Array {
  const pmf = new Float64Array(stratum.farOut + 1);
  if (stratum.paired) {
    // Binomial(f, ½) by the recurrence C(f, x+1) = C(f, x)·(f − x)/(x + 1), scaled at the end.
    let c = 1;
    let sum = 0;
    for (let x = 0; x <= stratum.farOut; x++) {
      pmf[x] = c;
      sum += c;
      c = (c * (stratum.farOut - x)) / (x + 1);
    }
    for (let x = 0; x < pmf.length; x++) pmf[x] = pmf[x]! / sum;
    return pmf;
  }
  const table = hypergeometricTable(stratum.total, stratum.head, stratum.farOut);
  table.pmf.forEach((value, i) => (pmf[table.min + i] = value));
  return pmf;
}

function convolve(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    if (ai === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] = out[i + j]! + ai * b[j]!;
  }
  return out;
}
