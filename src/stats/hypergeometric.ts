/** A hypergeometric distribution tabulated over its whole support. */
export interface HypergeometricTable {
  /** Smallest possible count. */
  readonly min: number;
  /** pmf[i] = P(X = min + i). */
  readonly pmf: Float64Array;
}

/**
 * Distribution of X, the number of marked items in a draw of `draws` items without replacement
 * from `total` items of which `marked` are marked (scipy.stats.hypergeom(M=total, n=marked,
 * N=draws)). Computed by the ratio P(x+1)/P(x) = (marked−x)(draws−x)/((x+1)(total−marked−draws+x+1))
 * outward from the mode, then normalised, so every probability has close to full relative
 * accuracy (no log-gamma differences); far tails may underflow to 0.
 */
export function hypergeometricTable(total: number, marked: number, draws: number): HypergeometricTable {
  const min = Math.max(0, draws - (total - marked));
  const max = Math.min(draws, marked);
  const pmf = new Float64Array(max - min + 1);
  const mode = Math.min(max, Math.max(min, Math.floor(((draws + 1) * (marked + 1)) / (total + 2))));
  const ratio = (x: number): number => ((marked - x) * (draws - x)) / ((x + 1) * (total - marked - draws + x + 1));
  pmf[mode - min] = 1;
  for (let x = mode; x < max; x++) pmf[x + 1 - min] = (pmf[x - min] as number) * ratio(x);
  for (let x = mode - 1; x >= min; x--) pmf[x - min] = (pmf[x + 1 - min] as number) / ratio(x);
  let sum = 0;
  for (const value of pmf) sum += value;
  for (let i = 0; i < pmf.length; i++) pmf[i] = (pmf[i] as number) / sum;
  return { min, pmf };
}

/** P(X ≤ x) summed from the lower tail. */
export function hypergeometricCdf(table: HypergeometricTable, x: number): number {
  let sum = 0;
  for (let i = 0; i <= Math.min(x - table.min, table.pmf.length - 1); i++) sum += table.pmf[i] as number;
  return sum;
}

/** P(X ≥ x) summed from the upper tail. */
export function hypergeometricSf(table: HypergeometricTable, x: number): number {
  let sum = 0;
  for (let i = Math.max(0, x - table.min); i < table.pmf.length; i++) sum += table.pmf[i] as number;
  return sum;
}
