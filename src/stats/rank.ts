import { sortedCopy } from './order-statistic.js';

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
 *
 * A value's mid rank is (1 + #below + #below-or-equal)/2: for a few values, read off their indexes sorted by
 * insertion; for more, off one native sort of the values by binary search (a comparator sort of indexes costs
 * several times more, and every cell ranks several samples).
 */
export function averageRanks(values: readonly number[]): Ranking {
  const n = values.length;
  if (n <= INSERTION_LIMIT) return averageRanksByInsertion(values);
  const sorted = sortedCopy(values);
  // NaN is unordered: only the comparator sort gives it the place rankdata's callers have always seen.
  if (n > 0 && Number.isNaN(sorted[n - 1])) return averageRanksByComparator(values);
  // Each tie group's mid rank, stored at the group's first index in `sorted`: a value's rank is then read
  // at the number of values below it (one binary search, no closure per value: every cell ranks several samples).
  const tieSizes: number[] = [];
  const midRankAt = new Array<number>(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && sorted[end] === sorted[start]) end++;
    tieSizes.push(end - start);
    midRankAt[start] = (start + 1 + end) / 2;
    start = end;
  }
  const ranks = new Array<number>(n);
  for (let i = 0; i < n; i++) ranks[i] = midRankAt[countBelow(sorted, values[i] as number)] as number;
  return { ranks, tieSizes };
}

/** Up to this many values, `averageRanksByInsertion`: a cell's samples of a few dozen rounds. */
const INSERTION_LIMIT = 48;

/**
 * `averageRanks` of a few values: their indexes sorted by value by insertion, then each group of equal
 * values (=== puts −0 with +0, as the sort does) given its mid rank in one walk, without the binary search
 * per value (it was most of the Spearman check that every paired cell makes).
 */
function averageRanksByInsertion(values: readonly number[]): Ranking {
  const n = values.length;
  const order = insertionOrder;
  for (let i = 0; i < n; i++) {
    const value = values[i] as number;
    if (value !== value) return averageRanksByComparator(values);
    let j = i - 1;
    while (j >= 0 && (values[order[j] as number] as number) > value) {
      order[j + 1] = order[j] as number;
      j--;
    }
    order[j + 1] = i;
  }
  const tieSizes: number[] = [];
  const ranks = new Array<number>(n);
  for (let start = 0; start < n; ) {
    const value = values[order[start] as number];
    let end = start + 1;
    while (end < n && values[order[end] as number] === value) end++;
    tieSizes.push(end - start);
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k] as number] = midRank;
    start = end;
  }
  return { ranks, tieSizes };
}

/** The indexes `averageRanksByInsertion` sorts, kept between calls (it is not re-entered): no array per sample. */
const insertionOrder = new Int32Array(INSERTION_LIMIT);

/** The number of entries of ascending `sorted` below `value`. */
function countBelow(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function averageRanksByComparator(values: readonly number[]): Ranking {
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

/**
 * What a two-sample rank test reads of `averageRanks([...x, ...y])`: the sum of x's mid ranks and the sizes
 * of the tie groups, in ascending order of value. Read off both samples sorted, in one merge, instead of
 * ranking the pooled sample (a sort of the pooled values and a binary search per value: Mann–Whitney ranks
 * two samples in every cell of a matrix). The sum is the same to the last bit: mid ranks are multiples of
 * ½, so every partial sum is exact whatever the order. A NaN leaves it to `averageRanks`.
 */
export function rankSumOfFirst(x: readonly number[], y: readonly number[]): { rankSum: number; tieSizes: number[] } {
  const xs = ascendingOrSorted(x);
  const ys = ascendingOrSorted(y);
  const n1 = xs.length;
  const n2 = ys.length;
  if ((n1 > 0 && Number.isNaN(xs[n1 - 1])) || (n2 > 0 && Number.isNaN(ys[n2 - 1]))) {
    const { ranks, tieSizes } = averageRanks([...x, ...y]);
    let rankSum = 0;
    for (let i = 0; i < n1; i++) rankSum += ranks[i] as number;
    return { rankSum, tieSizes };
  }
  const tieSizes: number[] = [];
  let rankSum = 0;
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    // The smallest value left, then how many of each sample equal it (=== groups −0 with +0, as the sort does).
    const value = j >= n2 || (i < n1 && (xs[i] as number) <= (ys[j] as number)) ? (xs[i] as number) : (ys[j] as number);
    const start = i + j;
    let inX = 0;
    while (i < n1 && xs[i] === value) {
      i++;
      inX++;
    }
    while (j < n2 && ys[j] === value) j++;
    const size = i + j - start;
    tieSizes.push(size);
    rankSum += inX * ((2 * start + 1 + size) / 2);
  }
  return { rankSum, tieSizes };
}

/** `values` itself when already ascending (a caller that sorted its samples once), else a sorted copy. */
function ascendingOrSorted(values: readonly number[]): ArrayLike<number> {
  for (let i = 1; i < values.length; i++) if (!((values[i - 1] as number) <= (values[i] as number))) return sortedCopy(values);
  return values;
}

/** Σ (t³ − t) over tie groups: the tie correction term of the rank tests' variances. */
export function tieCorrectionTerm(tieSizes: readonly number[]): number {
  return tieSizes.reduce((sum, t) => sum + (t * t * t - t), 0);
}
