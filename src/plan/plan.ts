/**
 * The run plan (DESIGN §2): cells × rounds × sides, interleaved so slow drift of the machine hits both
 * sides alike. Pure: the runner executes the list in order, and resume skips ids already recorded.
 */
import type { Config, Input, Variant } from '../config/parse.js';
import type { Side } from '../results/format.js';

export type Phase = 'measure' | 'warmup' | 'attribution';

/** One cell: an input × a variant, with its index in task order (inputs outer, variants inner). */
export interface Cell {
  index: number;
  input: Input;
  variant: Variant;
}

/** One run to execute. `id` is stable across invocations, so a resumed job can skip what is done. */
export interface PlannedRun {
  id: string;
  side: Side;
  cell: Cell;
  round: number;
  phase: Phase;
  granularity: 'coarse' | 'fine';
}

/** Cells in task order: every variant of the first input, then of the second, … */
export function cellsOf(config: Pick<Config, 'inputs' | 'dimension'>): Cell[] {
  return config.inputs.flatMap((input, i) =>
    config.dimension.variants.map((variant, v) => ({ index: i * config.dimension.variants.length + v, input, variant })),
  );
}

/**
 * The cells one shard of a matrix job runs: those whose task-order index % count === index - 1
 * (`index` is 1-based, as GitHub matrix values usually are). Round-robin keeps every input spread
 * over the shards instead of giving one shard all variants of the slowest input.
 */
export function shardCells(cells: Cell[], shard: { index: number; count: number } | undefined): Cell[] {
  if (!shard) return cells;
  return cells.filter((cell) => cell.index % shard.count === shard.index - 1);
}

/** `head-pirouette-closeup-r3`; warm-ups end in `-w1`, attribution re-runs in `-a1`. */
export function runId(side: Side, cell: Cell, phase: Phase, round: number): string {
  const suffix = phase === 'measure' ? 'r' : phase === 'warmup' ? 'w' : 'a';
  return `${side}-${cell.input.id}-${cell.variant.id}-${suffix}${round}`;
}

/**
 * The order of the two sides in a round: ABBA, i.e. base first in odd rounds and head first in even
 * rounds, so neither side always runs right after the other (caches, thermal state).
 */
export function sideOrder(round: number, sides: readonly Side[]): Side[] {
  if (sides.length < 2) return [...sides];
  return round % 2 === 1 ? ['base', 'head'] : ['head', 'base'];
}

export interface PlanOptions {
  cells: Cell[];
  /** Both sides for `bench`, one for `run --side`. */
  sides: readonly Side[];
  /** Rounds firstRound..lastRound, inclusive (adaptive looks plan a range at a time). */
  firstRound: number;
  lastRound: number;
  /** Uncounted runs per cell and side before the first round; only planned when firstRound is 1. */
  warmup: number;
  phase?: Phase;
  granularity: 'coarse' | 'fine';
}

/**
 * The runs of one stretch of the matrix, in execution order: warm-ups first (per cell, sides in ABBA
 * order), then per round every cell with both sides in that round's order.
 */
export function planRuns(options: PlanOptions): PlannedRun[] {
  const phase = options.phase ?? 'measure';
  const runs: PlannedRun[] = [];
  const add = (side: Side, cell: Cell, runPhase: Phase, round: number) =>
    runs.push({ id: runId(side, cell, runPhase, round), side, cell, round, phase: runPhase, granularity: options.granularity });
  if (phase === 'measure' && options.firstRound === 1) {
    for (let w = 1; w <= options.warmup; w++) {
      for (const cell of options.cells) for (const side of sideOrder(w, options.sides)) add(side, cell, 'warmup', w);
    }
  }
  for (let round = options.firstRound; round <= options.lastRound; round++) {
    for (const cell of options.cells) for (const side of sideOrder(round, options.sides)) add(side, cell, phase, round);
  }
  return runs;
}
