/**
 * How many rounds each test needed to find a regression: the comparison re-run on the first r rounds of
 * both sides, r = 2 … the rounds that ran, and for each cell the first r at which latency, and own time,
 * was a regression. The demo uses it to show own time finding what the model's noise hides from latency.
 * Pure; `compare` is the same comparison the report came from.
 */
import type { RunLine } from '../results/format.js';
import type { ResultsFile } from '../results/read.js';
import type { Report } from '../report/model.js';
import { OWN_TIME } from './metrics.js';

export interface RoundsNeeded {
  /** Per compared cell "input × variant": the first round count at which each test called it a regression (null: never). */
  cells: { input: string; variant: string; latency: number | null; ownTime: number | null }[];
  maxRounds: number;
}

export function roundsNeeded(base: ResultsFile, head: ResultsFile, compare: (base: ResultsFile, head: ResultsFile) => Report): RoundsNeeded {
  const counted = (r: RunLine) => r.phase === 'measure' && r.round !== undefined;
  const maxRounds = Math.max(0, ...[...base.runs, ...head.runs].filter(counted).map((r) => r.round!));
  const found = new Map<string, { input: string; variant: string; latency: number | null; ownTime: number | null }>();
  const prefix = (file: ResultsFile, rounds: number): ResultsFile => ({ ...file, runs: file.runs.filter((r) => counted(r) && r.round! <= rounds), warnings: [] });
  for (let rounds = 2; rounds <= maxRounds; rounds++) {
    const report = compare(prefix(base, rounds), prefix(head, rounds));
    for (const cell of report.cells) {
      if (cell.presence !== 'both') continue;
      const key = `${cell.input}\u0000${cell.variant}`;
      const entry = found.get(key) ?? { input: cell.input, variant: cell.variant, latency: null, ownTime: null };
      if (entry.latency === null && cell.latency?.verdict === 'regression') entry.latency = rounds;
      if (entry.ownTime === null && cell.metrics?.some((m) => m.name === OWN_TIME && m.verdict === 'regression')) entry.ownTime = rounds;
      found.set(key, entry);
    }
  }
  return { cells: [...found.values()], maxRounds };
}

/** "own time found a regression in 6 of 6 cells, after 3–4 rounds; total latency in 2, after 6–7 rounds". */
export function roundsNeededText(needed: RoundsNeeded): string {
  const total = needed.cells.length;
  const part = (label: string, rounds: (number | null)[]) => {
    const hit = rounds.filter((r): r is number => r !== null).sort((a, b) => a - b);
    if (hit.length === 0) return `${label} in none within ${needed.maxRounds} rounds`;
    const span = hit[0] === hit.at(-1) ? `${hit[0]}` : `${hit[0]}–${hit.at(-1)}`;
    return `${label} in ${hit.length} of ${total} cells, after ${span} rounds`;
  };
  return `Rounds needed to find a regression: ${part('own time', needed.cells.map((c) => c.ownTime))}; ${part('total latency', needed.cells.map((c) => c.latency))}`;
}
