/**
 * Levels of detail for the markdown reports, and the ladder the budget walks down when a document is
 * too long (after dorny/test-reporter): drop the chart, then span rows beyond the top one, then
 * collapse all-unchanged rows into a count (and drop the per-cell "ruled out" table), then prompts and
 * notes. Only at the barest level are whole rows and cell details left out (layout.ts), worst
 * regressions kept first.
 */
export interface Detail {
  chart: boolean;
  /** Operations listed per detailed cell (ranked by critical-path change). */
  spansPerCell: number;
  /** Which cells get collapsed details. */
  detailCells: 'regressed' | 'changed';
  collapseUnchanged: boolean;
  /** Characters of the experiment's description shown in the header. */
  descriptionChars: number;
  /** Characters of each prompt shown under the input id; 0 hides prompts. */
  promptChars: number;
  notesPerCell: number;
  /** Show the success-rate line for cells whose success rate did not regress. */
  successLine: boolean;
  /** Metrics shown per result cell ("own 1.2 s +18% ▲ · model 7.9 s ±0%"), regressions first. */
  metricsPerCell: number;
  /** The collapsed per-cell table of medians, p90s, set-aside runs and what the data rule out. */
  ruledOut: boolean;
  warnings: number;
}

/** The comment's full detail: top 5 operations for regressed cells, with the chart. */
export const COMMENT_DETAIL: Detail = {
  chart: true,
  spansPerCell: 5,
  detailCells: 'regressed',
  collapseUnchanged: false,
  descriptionChars: 1_000,
  promptChars: 60,
  notesPerCell: 3,
  successLine: false,
  metricsPerCell: 4,
  ruledOut: true,
  warnings: 5,
};

/** The job summary's full detail: every changed or undecided cell, top 15 operations, every warning. */
export const SUMMARY_DETAIL: Detail = {
  chart: true,
  spansPerCell: 15,
  detailCells: 'changed',
  collapseUnchanged: false,
  descriptionChars: 4_000,
  promptChars: 120,
  notesPerCell: 10,
  successLine: true,
  metricsPerCell: Infinity,
  ruledOut: true,
  warnings: 100,
};

/**
 * Ever less detailed versions of `start`, most detailed first. A document is rendered whole at the first
 * level where everything fits; the last two levels (the barest, then the barest without warnings) are
 * where rows and details that do not fit are left out, with a note.
 */
export function detailLadder(start: Detail): Detail[] {
  const steps: Detail[] = [start];
  const step = (change: Partial<Detail>) => steps.push({ ...steps.at(-1)!, ...change });
  step({ chart: false });
  step({ spansPerCell: Math.min(start.spansPerCell, 1), detailCells: 'regressed', successLine: false });
  step({ collapseUnchanged: true, ruledOut: false });
  step({ promptChars: 0, notesPerCell: 1, warnings: 3, descriptionChars: Math.min(start.descriptionChars, 300), metricsPerCell: Math.min(start.metricsPerCell, 2) });
  step({ spansPerCell: 0, notesPerCell: 0, metricsPerCell: Math.min(start.metricsPerCell, 1) });
  step({ warnings: 0 });
  return steps;
}

/** The ladder's last levels, where parts that do not fit are left out instead of trying the next level. */
export const CUTTING_LEVELS = 2;
