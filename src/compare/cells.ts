/**
 * Groups run lines into cells (input × variant) per side, and pairs base and head runs by round.
 */
import type { RunLine, Side } from '../results/format.js';
import { arraySource, type RunSource } from '../results/run-store.js';
import type { SideSummary } from '../report/model.js';
import { latencySourceCounts } from './latency-source.js';
import { quantileSorted } from '../stats/far-out.js';
import { sortedCopy, sortedMedian } from '../stats/order-statistic.js';

export interface CellRuns {
  input: string;
  variant: string;
  presence: 'both' | 'added' | 'removed';
  /** Counted runs (phase `measure`) per side, in file order. */
  base: RunLine[];
  head: RunLine[];
  /** Fine re-runs for attribution (phase `attribution`): never in latency statistics, preferred for spans. */
  attribution: { base: RunLine[]; head: RunLine[] };
}

export interface CellOrder {
  inputs: string[];
  variants: string[];
}

/**
 * Cells in task order: the config's inputs × variants first, then any other cell in the order it first
 * appears (base file, then head file). Warm-up runs are dropped here; they never count.
 */
export function groupCells(base: RunLine[], head: RunLine[], order?: CellOrder): CellRuns[] {
  return groupSources(arraySource(base), arraySource(head), order).map((cell) => cellRunsOf(cell));
}

/**
 * groupCells over two sources whose cells build their runs anew at each read of `base`, `head` or
 * `attribution`: nothing holds every run at once. A reader takes `cellRunsOf(cell)` once and works on that.
 */
export function groupStoredCells(base: RunSource, head: RunSource, order?: CellOrder): CellRuns[] {
  return groupSources(base, head, order).map((cell) => new StoredCell(cell));
}

/** The runs of a cell from `groupStoredCells` (or any CellRuns) as plain arrays, built once. */
export function cellRunsOf(cell: CellRuns | GroupedCell): CellRuns {
  if (!(cell instanceof StoredCell) && !isGrouped(cell)) return cell;
  const grouped = cell instanceof StoredCell ? cell.grouped : cell;
  const { sources } = grouped;
  const runs = (side: Side, indexes: number[]) => {
    const source = sources[side];
    const list: RunLine[] = new Array(indexes.length);
    for (let i = 0; i < indexes.length; i++) list[i] = source.reading(indexes[i]!);
    return list;
  };
  return {
    input: grouped.input,
    variant: grouped.variant,
    presence: grouped.presence,
    base: runs('base', grouped.base),
    head: runs('head', grouped.head),
    attribution: { base: runs('base', grouped.attributionBase), head: runs('head', grouped.attributionHead) },
  };
}

/** A cell as grouping finds it: the indexes of its runs in each side's source. */
export interface GroupedCell {
  input: string;
  variant: string;
  presence: CellRuns['presence'];
  base: number[];
  head: number[];
  attributionBase: number[];
  attributionHead: number[];
  sources: Record<Side, RunSource>;
}

function isGrouped(cell: CellRuns | GroupedCell): cell is GroupedCell {
  return 'sources' in cell;
}

/** CellRuns whose run lists are built from the sources at each read (see groupStoredCells). */
class StoredCell implements CellRuns {
  readonly input: string;
  readonly variant: string;
  readonly presence: CellRuns['presence'];

  constructor(readonly grouped: GroupedCell) {
    this.input = grouped.input;
    this.variant = grouped.variant;
    this.presence = grouped.presence;
  }

  get base(): RunLine[] {
    return cellRunsOf(this).base;
  }

  get head(): RunLine[] {
    return cellRunsOf(this).head;
  }

  get attribution(): CellRuns['attribution'] {
    return cellRunsOf(this).attribution;
  }
}

function groupSources(base: RunSource, head: RunSource, order?: CellOrder): GroupedCell[] {
  const sources = { base, head };
  // Cells by input, then variant: no key string built per run. `found` keeps the order of first appearance.
  const byInput = new Map<string, Map<string, GroupedCell>>();
  const found: GroupedCell[] = [];
  let last: GroupedCell | undefined;
  let lastInput: string | undefined;
  let variants = new Map<string, GroupedCell>();
  const cellFor = (input: string, variant: string) => {
    // Runs of one cell often follow each other (a resumed or per-cell file): no lookup then.
    if (last && last.input === input && last.variant === variant) return last;
    // Runs of one input often do (the runner writes an input's variants together): one lookup then.
    if (input !== lastInput) {
      lastInput = input;
      const known = byInput.get(input);
      if (known) variants = known;
      else byInput.set(input, (variants = new Map()));
    }
    let cell = variants.get(variant);
    if (!cell) {
      cell = { input, variant, presence: 'both', base: [], head: [], attributionBase: [], attributionHead: [], sources };
      variants.set(variant, cell);
      found.push(cell);
    }
    return (last = cell);
  };
  const add = (source: RunSource, side: Side) => {
    // A store numbers its input × variant pairs: one look-up of a small integer per run, the names only
    // once per cell and side.
    const byKey = new Map<number, GroupedCell>();
    // Indexed: see countMeasured in compare.ts.
    for (let i = 0; i < source.length; i++) {
      const phase = source.phase(i);
      if (phase === 'warmup') continue;
      const key = source.cellKey ? source.cellKey(i) : -1;
      let cell = key >= 0 ? byKey.get(key) : undefined;
      if (!cell) {
        cell = cellFor(source.input(i), source.variant(i));
        if (key >= 0) byKey.set(key, cell);
      }
      if (phase === 'attribution') (side === 'base' ? cell.attributionBase : cell.attributionHead).push(i);
      else cell[side].push(i);
    }
  };
  add(base, 'base');
  add(head, 'head');

  // Sorting the cells found by their place in the order, rather than looking up every input × variant,
  // costs the cells there are, not the product of two long lists. Ids are unique in a config.
  const inputAt = indexOf(order?.inputs ?? []);
  const variantAt = indexOf(order?.variants ?? []);
  const placed: { cell: GroupedCell; input: number; variant: number }[] = [];
  const rest: GroupedCell[] = [];
  for (const cell of found) {
    const input = inputAt.get(cell.input);
    const variant = variantAt.get(cell.variant);
    if (input !== undefined && variant !== undefined) placed.push({ cell, input, variant });
    else rest.push(cell);
  }
  placed.sort((a, b) => a.input - b.input || a.variant - b.variant);
  const ordered = [...placed.map((p) => p.cell), ...rest];
  for (const cell of ordered) {
    const hasBase = cell.base.length + cell.attributionBase.length > 0;
    const hasHead = cell.head.length + cell.attributionHead.length > 0;
    cell.presence = hasBase && hasHead ? 'both' : hasHead ? 'added' : 'removed';
  }
  return ordered;
}

/** Each id's first place in `ids`. */
function indexOf(ids: readonly string[]): Map<string, number> {
  const at = new Map<string, number>();
  ids.forEach((id, i) => {
    if (!at.has(id)) at.set(id, i);
  });
  return at;
}

/** Counts, median and samples of one side of a cell. Samples keep round order (file order without rounds). */
export function summarizeSide(runs: RunLine[]): SideSummary {
  const latencySources = latencySourceCounts(runs);
  // One pass for the samples and the counts (the counts do not depend on the order): every cell of a
  // large matrix summarizes both sides, and each pass over the runs reads them from memory again.
  const samplesMs: number[] = [];
  let ok = 0;
  let failed = 0;
  let timeout = 0;
  const ordered = inRoundOrder(runs);
  for (let i = 0; i < ordered.length; i++) {
    const run = ordered[i]!;
    if (run.status === 'completed') {
      ok++;
      if (typeof run.latencyMs === 'number') samplesMs.push(run.latencyMs);
    } else if (run.status === 'failed') failed++;
    else if (run.status === 'timeout') timeout++;
  }
  const ascending = sortedCopy(samplesMs);
  return {
    runs: runs.length,
    ok,
    failed,
    timeout,
    medianMs: samplesMs.length > 0 ? sortedMedian(ascending) : null,
    p90Ms: samplesMs.length > 0 ? quantileSorted(ascending, 0.9) : null,
    samplesMs,
    ...(latencySources ? { latencySources } : {}),
  };
}

/** The runs stably sorted by round (no round counts as 0); the runner writes them in that order already, so usually no copy. */
function inRoundOrder(runs: RunLine[]): RunLine[] {
  for (let i = 1; i < runs.length; i++) {
    if ((runs[i]!.round ?? 0) < (runs[i - 1]!.round ?? 0)) return [...runs].sort((a, b) => (a.round ?? 0) - (b.round ?? 0));
  }
  return runs;
}

export interface Pairing {
  /** True when every counted run on both sides has a round, each round once, and both sides ran the same rounds. */
  paired: boolean;
  /** Rounds where both sides completed, ascending (only when paired). */
  pairs: { round: number; base: RunLine; head: RunLine }[];
}

/** Pairs runs by round when both sides ran the same rounds (DESIGN §5); otherwise the cell is unpaired. */
export function pairByRound(base: RunLine[], head: RunLine[]): Pairing {
  return pairInStep(base, head) ?? pairByLookup(base, head);
}

/**
 * The runner's layout: both sides list the same rounds in the same ascending order, so the runs pair by
 * position, without a map per side (every cell of a large matrix pairs its runs). undefined when not so.
 */
function pairInStep(base: RunLine[], head: RunLine[]): Pairing | undefined {
  if (base.length === 0 || base.length !== head.length) return undefined;
  let previous = -Infinity;
  for (let i = 0; i < base.length; i++) {
    const round = base[i]!.round;
    if (round === undefined || round !== head[i]!.round || !(round > previous)) return undefined;
    previous = round;
  }
  const pairs: Pairing['pairs'] = [];
  for (let i = 0; i < base.length; i++) {
    const b = base[i]!;
    const h = head[i]!;
    if (b.status === 'completed' && h.status === 'completed') pairs.push({ round: b.round!, base: b, head: h });
  }
  return { paired: true, pairs };
}

/** Pairs runs in any order by a map of each side's rounds. */
function pairByLookup(base: RunLine[], head: RunLine[]): Pairing {
  const byRound = (runs: RunLine[]) => {
    const map = new Map<number, RunLine>();
    for (const run of runs) {
      if (run.round === undefined || map.has(run.round)) return undefined;
      map.set(run.round, run);
    }
    return map;
  };
  const b = byRound(base);
  const h = byRound(head);
  if (!b || !h || b.size === 0 || b.size !== h.size || [...b.keys()].some((round) => !h.has(round))) {
    return { paired: false, pairs: [] };
  }
  const pairs = [...b.keys()]
    .sort((x, y) => x - y)
    .map((round) => ({ round, base: b.get(round)!, head: h.get(round)! }))
    .filter((p) => p.base.status === 'completed' && p.head.status === 'completed');
  return { paired: true, pairs };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
