import { describe, expect, it } from 'vitest';
import { testConfig } from '../../tests/helpers/config.js';
import { cellsOf, planRuns, shardCells } from './plan.js';

const config = testConfig({ inputs: ['pirouette', 'arm'], variants: ['closeup', 'wide', 'low'] });
const cells = cellsOf(config);

describe('planRuns', () => {
  it('lists cells in task order: every variant of the first input, then the next input', () => {
    expect(cells.map((c) => `${c.input.id}/${c.variant.id}`)).toEqual(['pirouette/closeup', 'pirouette/wide', 'pirouette/low', 'arm/closeup', 'arm/wide', 'arm/low']);
  });

  it('alternates which side goes first from round to round (ABBA)', () => {
    const runs = planRuns({ cells: cells.slice(0, 1), sides: ['base', 'head'], firstRound: 1, lastRound: 4, warmup: 0, granularity: 'coarse' });
    expect(runs.map((r) => `${r.side[0]}${r.round}`)).toEqual(['b1', 'h1', 'h2', 'b2', 'b3', 'h3', 'h4', 'b4']);
  });

  it('runs warm-ups of every cell and side before round 1, marked so they are not counted', () => {
    const runs = planRuns({ cells, sides: ['base', 'head'], firstRound: 1, lastRound: 2, warmup: 1, granularity: 'coarse' });
    const firstMeasure = runs.findIndex((r) => r.phase === 'measure');
    expect(runs.slice(0, firstMeasure).every((r) => r.phase === 'warmup')).toBe(true);
    expect(firstMeasure).toBe(cells.length * 2);
    expect(runs.filter((r) => r.phase === 'measure')).toHaveLength(cells.length * 2 * 2);
  });

  it('gives every run a distinct id that stays the same when planned again', () => {
    const plan = () => planRuns({ cells, sides: ['base', 'head'], firstRound: 1, lastRound: 3, warmup: 2, granularity: 'coarse' });
    const ids = plan().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(plan().map((r) => r.id)).toEqual(ids);
    expect(ids).toContain('head-arm-wide-r3');
    expect(ids).toContain('base-pirouette-closeup-w2');
  });

  it('plans a later stretch without warm-ups, continuing the round numbers', () => {
    const runs = planRuns({ cells: cells.slice(0, 1), sides: ['base', 'head'], firstRound: 6, lastRound: 7, warmup: 1, granularity: 'coarse' });
    expect(runs.map((r) => r.id)).toEqual(['head-pirouette-closeup-r6', 'base-pirouette-closeup-r6', 'base-pirouette-closeup-r7', 'head-pirouette-closeup-r7']);
  });

  it('plans one side only for `run --side`', () => {
    const runs = planRuns({ cells, sides: ['head'], firstRound: 1, lastRound: 2, warmup: 0, granularity: 'fine' });
    expect(runs.every((r) => r.side === 'head' && r.granularity === 'fine')).toBe(true);
    expect(runs).toHaveLength(cells.length * 2);
  });
});

describe('shardCells', () => {
  it('splits the cells round-robin over the shards, each cell in exactly one shard', () => {
    const shards = [1, 2, 3, 4].map((index) => shardCells(cells, { index, count: 4 }).map((c) => c.index));
    expect(shards).toEqual([[0, 4], [1, 5], [2], [3]]);
  });
});
