/**
 * Forest plot: one row per cell with the Hodges–Lehmann ratio head/base as a dot and its 90% interval
 * as a line, on a log axis, with "no change" (1) and the regression threshold (1 + min-change) marked.
 * Reading it: a dot right of the dashed line whose interval clears it is a regression.
 */
import { truncate } from '../escape.js';
import { formatChange, formatInterval, formatProbability } from '../format.js';
import { cellName } from '../matrix.js';
import type { CellReport, Report } from '../model.js';
import { VERDICT_COLOR } from './palette.js';
import { el, logScale, text, tooltip } from './svg.js';

const ROW = 26;
const LABEL = 260;
const WIDTH = 960;
const RIGHT = 150;

/** Ratio ticks shown as percent changes, chosen to fit the domain. */
const CANDIDATE_TICKS = [0.5, 0.67, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.25, 1.5, 2, 3];

/** The forest plot of `plotted` (default every cell of the report). */
export function forestPlot(report: Report, plotted: readonly CellReport[] = report.cells): string {
  const cells = plotted.filter((c): c is CellReport & { latency: NonNullable<CellReport['latency']> } => c.latency !== null);
  if (cells.length === 0) return '<p class="muted">No cell has a latency test (no completed run on a side).</p>';
  const threshold = 1 + report.gate.minChange;
  const low = cells.reduce((m, c) => Math.min(m, c.latency.ciLow), 0.9) * 0.97;
  const high = cells.reduce((m, c) => Math.max(m, c.latency.ciHigh), threshold * 1.05) * 1.03;
  const top = 30;
  const height = top + cells.length * ROW + 30;
  const x = logScale(low, high, LABEL, WIDTH - RIGHT);
  const parts: string[] = [];
  for (const t of CANDIDATE_TICKS.filter((t) => t >= low && t <= high)) {
    parts.push(el('line', { x1: x(t), x2: x(t), y1: top - 6, y2: height - 24, class: 'grid' }));
    parts.push(text(t === 1 ? '0%' : formatChange(t), { x: x(t), y: height - 8, class: 'tick', 'text-anchor': 'middle' }));
  }
  parts.push(el('line', { x1: x(1), x2: x(1), y1: top - 6, y2: height - 24, class: 'unity' }));
  parts.push(el('line', { x1: x(threshold), x2: x(threshold), y1: top - 6, y2: height - 24, class: 'threshold' }));
  parts.push(text(`threshold ${formatChange(threshold)}`, { x: x(threshold) + 4, y: top - 12, class: 'tick threshold-label' }));
  cells.forEach((cell, i) => {
    const y = top + i * ROW + ROW / 2;
    const l = cell.latency;
    const color = VERDICT_COLOR[l.verdict];
    const summary = `${cellName(report, cell)}: ${formatChange(l.ratio)} ${formatInterval(l.ciLow, l.ciHigh)}, ${formatProbability('q', l.q)}, ${l.verdict}`;
    if (i % 2 === 0) parts.push(el('rect', { x: 0, y: y - ROW / 2, width: WIDTH, height: ROW, class: 'stripe' }));
    parts.push(text(truncate(cellName(report, cell), 40), { x: LABEL - 12, y: y + 4, 'text-anchor': 'end', class: 'label' }));
    parts.push(
      el(
        'g',
        { 'data-verdict': l.verdict },
        tooltip(summary) +
          el('line', { x1: x(l.ciLow), x2: x(l.ciHigh), y1: y, y2: y, stroke: color, 'stroke-width': 2.5, 'stroke-linecap': 'round' }) +
          el('circle', { cx: x(l.ratio), cy: y, r: 5.5, fill: color, stroke: '#fff', 'stroke-width': 1.5 }),
      ),
    );
    parts.push(text(`${formatChange(l.ratio)} ${formatInterval(l.ciLow, l.ciHigh)}`, { x: WIDTH - RIGHT + 12, y: y + 4, class: 'value' }));
  });
  return el(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', role: 'img', 'aria-label': 'Forest plot of latency ratios head/base with 90% intervals', 'data-testid': 'forest-plot', class: 'plot' },
    parts.join(''),
  );
}
