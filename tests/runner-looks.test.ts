import { describe, expect, it } from 'vitest';
import { cellsNeedingMoreRounds } from '../src/compare/adaptive.js';
import { cellsOf, type PlannedRun } from '../src/plan/plan.js';
import type { CellReport, Report } from '../src/report/model.js';
import { attributionCells, lookLoop } from '../src/runner/bench.js';
import { testConfig } from './helpers/config.js';

/** A report with just what the look loop reads: each cell's presence, verdict and rounds. */
function reportOf(cells: Pick<CellReport, 'input' | 'variant' | 'verdict' | 'rounds'>[]): Report {
  return { cells: cells.map((c) => ({ presence: 'both', head: { failed: 0, timeout: 0 }, ...c })) } as unknown as Report;
}

describe('lookLoop', () => {
  it('runs every cell to the first look, then only inconclusive cells on to the next looks', async () => {
    const config = testConfig({ gate: { looks: [2, 4, 6] } });
    const cells = cellsOf(config);
    const executed: PlannedRun[][] = [];
    const rounds = new Map<string, number>();
    const report = await lookLoop(
      config,
      cells,
      {
        log: () => {},
        nextLook: cellsNeedingMoreRounds,
        // closeup is decided at the first look; wide never is.
        compare: async () =>
          reportOf(cells.map((c) => ({ input: c.input.id, variant: c.variant.id, verdict: c.variant.id === 'closeup' ? 'regression' : 'inconclusive', rounds: rounds.get(c.variant.id) ?? 0 }))),
      },
      async (runs) => {
        executed.push(runs);
        for (const run of runs) rounds.set(run.cell.variant.id, Math.max(rounds.get(run.cell.variant.id) ?? 0, run.round));
      },
      'base.jsonl',
      'head.jsonl',
    );
    expect(executed.map((runs) => [...new Set(runs.map((r) => `${r.cell.variant.id}:${r.round}`))])).toEqual([
      ['closeup:1', 'wide:1', 'closeup:2', 'wide:2'],
      ['wide:3', 'wide:4'],
      ['wide:5', 'wide:6'],
    ]);
    // Continuing stretches keep the ABBA order of their round numbers.
    expect(executed[1]!.map((r) => `${r.side}${r.round}`)).toEqual(['base3', 'head3', 'head4', 'base4']);
    expect(report!.cells.find((c) => c.variant === 'wide')!.rounds).toBe(6);
  });

  it('runs the last look for every cell when there is one look or no comparison engine', async () => {
    const config = testConfig({ gate: { looks: [3, 5] } });
    const executed: PlannedRun[][] = [];
    const report = await lookLoop(config, cellsOf(config), { log: () => {} }, async (runs) => void executed.push(runs), 'b', 'h');
    expect(report).toBeNull();
    expect(executed).toHaveLength(1);
    expect(Math.max(...executed[0]!.map((r) => r.round))).toBe(5);
  });
});

describe('attributionCells', () => {
  it('picks regressed cells and cells with failed head runs for fine re-runs', () => {
    const config = testConfig({ variants: ['closeup', 'wide', 'low'] });
    const report = {
      cells: [
        { input: 'pirouette', variant: 'closeup', presence: 'both', verdict: 'regression', head: { failed: 0, timeout: 0 } },
        { input: 'pirouette', variant: 'wide', presence: 'both', verdict: 'unchanged', head: { failed: 0, timeout: 0 } },
        { input: 'pirouette', variant: 'low', presence: 'both', verdict: 'inconclusive', head: { failed: 0, timeout: 2 } },
      ],
    } as unknown as Report;
    expect(attributionCells(report, cellsOf(config)).map((c) => c.variant.id)).toEqual(['closeup', 'low']);
  });
});
