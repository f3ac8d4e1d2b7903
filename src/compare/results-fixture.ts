/**
 * Builds in-memory results files for tests: one entry per cell, one value per round
 * (a latency in ms, or the status of a run that did not complete).
 */
import type { RunLine, Side } from '../results/format.js';
import type { ResultsFile } from '../results/read.js';

export type RoundValue = number | 'failed' | 'timeout';

export interface FixtureOptions {
  /** Leave rounds out (runs are then unpaired). */
  noRounds?: boolean;
  /** First round number (to make the sides' rounds differ). */
  firstRound?: number;
  phase?: RunLine['phase'];
  granularity?: RunLine['granularity'];
  warnings?: string[];
}

/** `cells` maps "input/variant" to the values of rounds 1, 2, … */
export function resultsFixture(side: Side, cells: Record<string, RoundValue[]>, options: FixtureOptions = {}): ResultsFile {
  const runs: RunLine[] = [];
  for (const [key, values] of Object.entries(cells)) {
    const [input, variant] = key.split('/') as [string, string];
    values.forEach((value, index) => {
      const round = (options.firstRound ?? 1) + index;
      const completed = typeof value === 'number';
      runs.push({
        type: 'run',
        id: `${side}-${input}-${variant}-${options.phase ?? 'measure'}-${round}`,
        side,
        input,
        variant,
        ...(options.noRounds ? {} : { round }),
        status: completed ? 'completed' : value,
        latencyMs: completed ? value : null,
        granularity: options.granularity ?? 'coarse',
        phase: options.phase ?? 'measure',
      });
    });
  }
  return { file: `${side}.jsonl`, runs, spans: [], warnings: options.warnings ?? [] };
}

/** Concatenates the runs of several fixtures of the same side (e.g. measure plus attribution runs). */
export function mergeFixtures(...files: ResultsFile[]): ResultsFile {
  return { file: files[0]!.file, runs: files.flatMap((f) => f.runs), spans: files.flatMap((f) => f.spans), warnings: files.flatMap((f) => f.warnings) };
}
