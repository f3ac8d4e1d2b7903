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

/**
 * One-sided p = P(Σ head far-out ≥ observed) under no change; 1 when no stratum has a far-out value.
 *
 * The convolution keeps only the partial sums that are still undecided: a partial sum already at `observed` stays
 * there (counts only grow), so its mass is added to the p-value at once, and one that even all the remaining far-out
 * values on head could not lift to `observed` can never count, so it is dropped. Both are exact. The lowest partial
 * sums are also dropped while their mass is at most LOW_TAIL of the mass kept: a partial sum x reaches `observed`
 * with a probability R(x) that grows with x, so what they would add is at most LOW_TAIL · R(cut) · kept, and p is at
 * least kept · R(cut): the p-value is low by at most LOW_TAIL relatively per stratum (1e-13 over 100,000 cells).
 * This keeps the window's bottom a few standard deviations below the mean instead of at 0 (30,000 cells with one
 * far-out run each: 1.5 s, 3.4 s before); its top, the largest partial sums, is kept exactly, so the work still
 * grows faster than the cells.
 */
export function farOutSidesP(strata: readonly FarOutStratum[]): number {
  let observed = 0;
  let remaining = 0;
  for (const stratum of strata) {
    observed += stratum.headFarOut;
    remaining += stratum.farOut;
  }
  if (observed === 0) return 1;
  // pmf[i] = P(partial sum = offset + i) for the undecided partial sums, offset + i < observed.
  let pmf: Float64Array = Float64Array.of(1);
  let offset = 0;
  let reached = 0;
  for (const stratum of strata) {
    if (stratum.farOut === 0) continue;
    remaining -= stratum.farOut;
    const next = convolve(pmf, stratumPmf(stratum));
    let low = Math.max(offset, observed - remaining);
    low = offset + negligibleLowTail(next, low - offset, Math.min(next.length, observed - offset));
    for (let x = Math.max(observed, offset); x < offset + next.length; x++) reached += next[x - offset]!;
    pmf = low < observed ? next.slice(low - offset, Math.max(low - offset, Math.min(next.length, observed - offset))) : new Float64Array(0);
    offset = low;
    if (pmf.length === 0) break;
  }
  return Math.min(1, reached);
}

/** At most this share of the kept mass is dropped from the bottom of the window at each stratum. */
const LOW_TAIL = 1e-18;

/** The first index in [from, to) from which `pmf` is kept: the entries below it hold at most LOW_TAIL of the mass from there on. */
function negligibleLowTail(pmf: Float64Array, from: number, to: number): number {
  let kept = 0;
  for (let i = from; i < to; i++) kept += pmf[i]!;
  let dropped = 0;
  let i = from;
  while (i < to && dropped + pmf[i]! <= LOW_TAIL * (kept - dropped - pmf[i]!)) dropped += pmf[i++]!;
  return i;
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
