/**
 * A mermaid `xychart-beta` GitHub renders in the comment: each cell's head/base latency ratio as a
 * horizontal bar, with the regression threshold (1 + min-change) as a line. Labels pass through
 * `mermaidLabel`, so untrusted input and variant names cannot escape their quotes.
 */
import { mermaidLabel } from '../escape.js';
import { variantLabel } from '../matrix.js';
import type { CellReport, Report } from '../model.js';

/** More bars than this make the chart unreadable; the worst cells are kept. */
export const MAX_CHART_CELLS = 24;

const percent = (ratio: number) => Math.round(ratio * 1000) / 10;

/** The chart's mermaid block, or '' when no cell has a latency test. */
export function ratioChart(report: Report): string {
  const tested = report.cells.filter((c): c is CellReport & { latency: NonNullable<CellReport['latency']> } => c.latency !== null);
  if (tested.length === 0) return '';
  const shown =
    tested.length <= MAX_CHART_CELLS
      ? tested
      : [...tested].sort((a, b) => b.latency.ratio - a.latency.ratio).slice(0, MAX_CHART_CELLS);
  const labels = shown.map((c) => mermaidLabel(`${c.input} ${variantLabel(report, c.variant)}`));
  const values = shown.map((c) => percent(c.latency.ratio));
  const threshold = percent(1 + report.gate.minChange);
  const low = Math.floor(Math.min(90, ...values, ...shown.map((c) => percent(c.latency.ciLow))) / 10) * 10;
  const high = Math.ceil(Math.max(threshold + 5, ...values) / 10) * 10;
  const omitted = tested.length - shown.length;
  const title = omitted > 0 ? `Head vs base latency, worst ${shown.length} of ${tested.length} cells` : 'Head vs base latency per cell';
  return [
    '```mermaid',
    'xychart-beta horizontal',
    `  title ${mermaidLabel(title, 60)}`,
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "head / base median (%), line = ${threshold}% threshold" ${low} --> ${high}`,
    `  bar [${values.join(', ')}]`,
    `  line [${shown.map(() => threshold).join(', ')}]`,
    '```',
  ].join('\n');
}
