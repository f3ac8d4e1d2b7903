/**
 * Groups run lines into cells (input × variant) per side, and pairs base and head runs by round.
 */
import type { RunLine, Side } from '../results/format.js';
import type { SideSummary } from '../report/model.js';
import { latencySourceCounts } from './latency-source.js';
import { quantileSorted } from '../stats/far-out.js';

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

/** Unique per (input, variant) whatever characters they hold; cheaper than JSON.stringify per run. */
const keyOf = (input: string, variant: string) => `${input.length}:${input}${variant}`;

/**
 * Cells in task order: the config's inputs × variants first, then any other cell in the order it first
 * appears (base file, then head file). Warm-up runs are dropped here; they never count.
 */
export function groupCells(base: RunLine[], head: RunLine[], order?: CellOrder): CellRuns[] {
  const cells = new Map<string, CellRuns>();
  const cellFor = (run: RunLine) => {
    const key = keyOf(run.input, run.variant);
    let cell = cells.get(key);
    if (!cell) {
      cell = { input: run.input, variant: run.variant, presence: 'both', base: [], head: [], attribution: { base: [], head: [] } };
      cells.set(key, cell);
    }
    return cell;
  };
  const add = (runs: RunLine[], side: Side) => {
    for (const run of runs) {
      if (run.phase === 'warmup') continue;
      const cell = cellFor(run);
      (run.phase === 'attribution' ? cell.attribution[side] : cell[side]).push(run);
    }
  };
  add(base, 'base');
  add(head, 'head');

  const ordered: CellRuns[] = [];
  if (order) {
    for (const input of order.inputs) {
      for (const variant of order.variants) {
        const cell = cells.get(keyOf(input, variant));
        if (cell) ordered.push(cell);
      }
    }
  }
  const placed = new Set(ordered);
  for (const cell of cells.values()) if (!placed.has(cell)) ordered.push(cell);
  for (const cell of ordered) {
    const hasBase = cell.base.length + cell.attribution.base.length > 0;
    const hasHead = cell.head.length + cell.attribution.head.length > 0;
    cell.presence = hasBase && hasHead ? 'both' : hasHead ? 'added' : 'removed';
  }
  return ordered;
}

/** Counts, median and samples of one side of a cell. Samples keep round order (file order without rounds). */
export function summarizeSide(runs: RunLine[]): SideSummary {
  const sorted = [...runs].sort((a, b) => (a.round ?? 0) - (b.round ?? 0));
  const samplesMs = completedLatencies(sorted);
  const latencySources = latencySourceCounts(runs);
  return {
    runs: runs.length,
    ok: runs.filter((r) => r.status === 'completed').length,
    failed: runs.filter((r) => r.status === 'failed').length,
    timeout: runs.filter((r) => r.status === 'timeout').length,
    medianMs: samplesMs.length > 0 ? median(samplesMs) : null,
    p90Ms: samplesMs.length > 0 ? quantileSorted(Float64Array.from(samplesMs).sort(), 0.9) : null,
    samplesMs,
    ...(latencySources ? { latencySources } : {}),
  };
}

export function completedLatencies(runs: RunLine[]): number[] {
  return runs.filter((r) => r.status === 'completed' && typeof r.latencyMs === 'number').map((r) => r.latencyMs as number);
}

export interface Pairing {
  /** True when every counted run on both sides has a round, each round once, and both sides ran the same rounds. */
  paired: boolean;
  /** Rounds where both sides completed, ascending (only when paired). */
  pairs: { round: number; base: RunLine; head: RunLine }[];
}

/** Pairs runs by round when both sides ran the same rounds (DESIGN §5); otherwise the cell is unpaired. */
export function pairByRound(base: RunLine[], head: RunLine[]): Pairing {
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
