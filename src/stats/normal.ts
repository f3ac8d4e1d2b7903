/**
 * Standard normal distribution: density, both tails and the quantile, to close to double precision.
 *
 * Tails: for |z| < 1.5 Marsaglia's series Φ(z) = ½ + φ(z)·(z + z³/3 + z⁵/(3·5) + …), whose terms are
 * all positive (G. Marsaglia, "Evaluating the Normal Distribution", J. Stat. Softw. 11(4), 2004);
 * beyond, Laplace's continued fraction for the Mills ratio Q(z)/φ(z) = 1/(z+1/(z+2/(z+3/(z+…))))
 * (Abramowitz & Stegun 26.2.14), evaluated with the modified Lentz method, so the upper tail keeps
 * its relative accuracy down to underflow (Q(37) ≈ 6e-300). Agrees with scipy.special.ndtr to
 * 1e-13 relative over the whole range, ~1e-15 for |z| < 5 (fixtures/stats/normal.json).
 * simple-statistics' errorFunction is not used: its error is about 3e-8 absolute (erfc(3) off by
 * 6e-8 relative), far too coarse for p-values in the tail.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const SERIES_LIMIT = 1.5;

/** Standard normal density φ(z). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_2PI;
}

/** Σ z^(2n+1)/(1·3·…·(2n+1)), so that Φ(z) = ½ + φ(z)·series (Marsaglia 2004). */
function marsagliaSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let k = 3; Math.abs(term) > 1e-17 * Math.abs(sum); k += 2) {
    term *= z2 / k;
    sum += term;
  }
  return sum;
}

/**
 * Mills ratio Q(z)/φ(z) for z ≥ SERIES_LIMIT by Laplace's continued fraction (modified Lentz);
 * converges to 1e-16 within about 180 terms at z = 1.5 and 50 at z = 3.
 */
function millsRatio(z: number): number {
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let j = 1; j < 300; j++) {
    d = z + j * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = z + j / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / f;
}

/** Upper tail Q(z) = P(Z > z) for z ≥ 0, with full relative accuracy. */
function upperTailNonNegative(z: number): number {
  if (z < SERIES_LIMIT) return 0.5 - normalPdf(z) * marsagliaSeries(z);
  return normalPdf(z) * millsRatio(z);
}

/** Survival function P(Z > z) of the standard normal, accurate far into the upper tail. NaN → NaN. */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 0;
  if (z === -Infinity) return 1;
  if (z >= 0) return upperTailNonNegative(z);
  if (-z < SERIES_LIMIT) return 0.5 + normalPdf(z) * marsagliaSeries(-z);
  return 1 - upperTailNonNegative(-z);
}

/** Cumulative distribution P(Z ≤ z) of the standard normal, accurate far into the lower tail. */
export function normalCdf(z: number): number {
  return normalSf(-z);
}

// P. J. Acklam's rational approximation of the normal quantile (relative error < 1.15e-9),
// published 2003 on his home page "An algorithm for computing the inverse normal cumulative
// distribution function"; refined below by Halley steps against normalCdf.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function horner(coefficients: readonly number[], x: number): number {
  let acc = 0;
  for (const c of coefficients) acc = acc * x + c;
  return acc;
}

/** Acklam's starting value for p in (0, ½]. */
function acklamLowerHalf(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return horner(C, q) / (horner(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(A, r) * q) / (horner(B, r) * r + 1);
}

/**
 * Quantile (inverse CDF) of the standard normal: the z with P(Z ≤ z) = p, to about 1e-15 relative.
 * Acklam's approximation followed by Halley steps on normalCdf (which is accurate in the lower
 * tail); the upper half uses the exact symmetry z(p) = −z(1−p) (1−p is exact for p ≥ ½).
 * p = 0 → −Infinity, p = 1 → +Infinity, p outside [0, 1] or NaN → NaN.
 */
export function normalQuantile(p: number): number {
  // A comparison asks for the same few levels once per cell (z₀.₉₉ of the shared-noise check, the look's α):
  // the last ones asked are kept, so 100,000 cells cost a few Halley iterations, not 100,000.
  const known = quantiles.get(p);
  if (known !== undefined) return known;
  const z = computeQuantile(p);
  if (quantiles.size >= QUANTILES_KEPT) quantiles.delete(quantiles.keys().next().value as number);
  quantiles.set(p, z);
  return z;
}

const QUANTILES_KEPT = 64;
const quantiles = new Map<number, number>();

function computeQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -computeQuantile(1 - p);
  let x = acklamLowerHalf(p);
  for (let step = 0; step < 4; step++) {
    const e = normalCdf(x) - p;
    const u = (e / p) * (p * SQRT_2PI * Math.exp(0.5 * x * x));
    if (!Number.isFinite(u)) break;
    const next = x - u / (1 + 0.5 * x * u);
    if (Math.abs(next - x) <= 1e-16 * Math.abs(x)) {
      x = next;
      break;
    }
    x = next;
  }
  return x;
}
