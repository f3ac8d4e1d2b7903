/** Average ranks of a sample and the sizes of its groups of tied values. */
export interface Ranking {
  /** 1-based ranks in input order; tied values share the mean of the ranks they span. */
  readonly ranks: number[];
  /** Size of every group of equal values (1 for an untied value). */
  readonly tieSizes: number[];
}

/**
 * Ranks `values` ascending, giving ties their average ("mid") rank, as scipy.stats.rankdata(method='average').
 * Used by the rank tests for the statistic and the tie correction Σ(t³ − t).
 */
export function averageRanks(values: readonly number[]): Ranking {
  const order = values.map((_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number));
  const ranks = new Array<number>(values.length).fill(0);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end] as number] === values[order[start] as number]) end++;
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k] as number] = midRank;
    tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}

/** Σ (t³ − t) over tie groups: the tie correction term of the rank tests' variances. */
export function tieCorrectionTerm(tieSizes: readonly number[]): number {
  return tieSizes.reduce((sum, t) => sum + (t * t * t - t), 0);
}
