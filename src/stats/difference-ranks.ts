import { zerosInSortOrder } from './order-statistic.js';
import { ascending, merge, sortedDifferencesView } from './sorted-differences.js';

/**
 * The differences yⱼ − xᵢ at the 0-based `ranks` of their ascending order, bit for bit
 * `sortedDifferences(x, y)[rank]` (−0 before +0), in the order asked. The Hodges–Lehmann estimate reads
 * only its median and its bounds [D₍k₎, D₍N+1−k₎], which lie between ranks k − 1 and N − k: only the
 * differences in a window of values holding those ranks are merged (about half of a 20-against-20 cell's
 * 400, whose merge was a sixth of the comparison).
 *
 * With x and y sorted, row j of the differences, yⱼ − x₍ₙ₁₎ … yⱼ − x₍₁₎, is ascending, and each column
 * ascends with j (rounded subtraction is monotone): how many differences lie below a value is counted
 * in n1 + n2 steps, walking down the columns as the rows go up. The window's ends are differences of the
 * middle column found by binary search on that count; a value in it cannot be missed, as the count of
 * the differences below the window's low end says where the window starts in the sorted order.
 * Non-finite values (∞ − ∞ is NaN) and small samples take the full merge.
 */
export function differencesAtRanks(x: readonly number[], y: readonly number[], ranks: readonly number[]): number[] {
  const xs = ascending(x);
  const ys = ascending(y);
  if (xs.length * ys.length <= FULL_MERGE_LIMIT || !allFinite(xs) || !allFinite(ys)) {
    const sorted = sortedDifferencesView(x, y);
    return ranks.map((rank) => sorted[rank]!);
  }
  let lowest = ranks[0]!;
  let highest = ranks[0]!;
  for (let i = 1; i < ranks.length; i++) {
    lowest = Math.min(lowest, ranks[i]!);
    highest = Math.max(highest, ranks[i]!);
  }
  const low = windowLow(xs, ys, lowest);
  const high = windowHigh(xs, ys, highest);
  const window = differencesBetween(xs, ys, low.value, high);
  const values = new Array<number>(ranks.length);
  for (let i = 0; i < ranks.length; i++) values[i] = window[ranks[i]! - low.below]!;
  return values;
}

/** Below this many differences the window's searches cost more than merging them all. */
const FULL_MERGE_LIMIT = 64;

function allFinite(values: readonly number[]): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/**
 * The largest difference of the middle column with at most `rank` differences below it (−∞ if none): no
 * difference of rank ≥ `rank` lies below it. `below` counts the differences below it: where the window starts.
 */
function windowLow(xs: readonly number[], ys: readonly number[], rank: number): { value: number; below: number } {
  const middle = xs[xs.length >> 1]!;
  let found = -Infinity;
  let foundBelow = 0;
  let low = 0;
  let high = ys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const value = ys[mid]! - middle;
    const below = countDifferences(xs, ys, value, false);
    if (below <= rank) {
      found = value;
      foundBelow = below;
      low = mid + 1;
    } else high = mid;
  }
  return { value: found, below: foundBelow };
}

/** The smallest difference of the middle column with more than `rank` differences at or below it (+∞ if none). */
function windowHigh(xs: readonly number[], ys: readonly number[], rank: number): number {
  const middle = xs[xs.length >> 1]!;
  let low = 0;
  let high = ys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (countDifferences(xs, ys, ys[mid]! - middle, true) > rank) high = mid;
    else low = mid + 1;
  }
  return low === ys.length ? Infinity : ys[low]! - middle;
}

/**
 * How many differences yⱼ − xᵢ are below `value` (or at most `value`, `orEqual`): row j has `c` of them, and
 * `c` only falls as yⱼ grows.
 */
function countDifferences(xs: readonly number[], ys: readonly number[], value: number, orEqual: boolean): number {
  const n1 = xs.length;
  let c = n1;
  let total = 0;
  for (let j = 0; j < ys.length; j++) {
    const yj = ys[j]!;
    while (c > 0 && !(orEqual ? yj - xs[n1 - c]! <= value : yj - xs[n1 - c]! < value)) c--;
    total += c;
  }
  return total;
}

/**
 * Every difference in [low, high], ascending as the native sort orders them, at the start of the returned
 * array (scratch memory, which the next call overwrites; no view of it is made): each row's part is one
 * ascending run, and the runs are merged bottom-up.
 */
function differencesBetween(xs: readonly number[], ys: readonly number[], low: number, high: number): Float64Array {
  const n1 = xs.length;
  const n2 = ys.length;
  if (scratch[0].length < n1 * n2) scratch = [new Float64Array(n1 * n2), new Float64Array(n1 * n2)];
  if (runStarts.length < n2 + 1) runStarts = new Int32Array(n2 + 1);
  let runs = scratch[0];
  let merged = scratch[1];
  let count = 0;
  let runCount = 0;
  let zero = false;
  for (let j = 0; j < n2; j++) {
    const yj = ys[j]!;
    const start = count;
    for (let i = n1 - 1; i >= 0; i--) {
      const d = yj - xs[i]!;
      if (d < low) continue;
      if (d > high) break;
      if (d === 0) zero = true;
      runs[count++] = d;
    }
    if (count > start) runStarts[runCount++] = start;
  }
  runStarts[runCount] = count;
  for (let width = 1; width < runCount; width *= 2) {
    for (let run = 0; run < runCount; run += 2 * width) {
      merge(runs, merged, runStarts[run]!, runStarts[Math.min(run + width, runCount)]!, runStarts[Math.min(run + 2 * width, runCount)]!);
    }
    const swap = runs;
    runs = merged;
    merged = swap;
  }
  // Every zero lies in the window or none does (−0 and +0 compare alike with its ends).
  if (zero) zerosInSortOrder(runs.subarray(0, count));
  return runs;
}

// Kept between calls, as sortedDifferencesView's: a cell's test allocates no typed array.
let scratch: [Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0)];
let runStarts = new Int32Array(0);
