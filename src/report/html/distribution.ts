/**
 * Latency distribution of one cell, base against head: every completed run as a dot (spread
 * vertically by a fixed pattern, so the picture is deterministic), with a box for the middle half and
 * a bar at the median. Both sides share one time axis so a shift is visible at a glance.
 */
import { formatMs } from '../format.js';
import type { CellReport } from '../model.js';
import { SIDE_COLOR, VERDICT_COLOR } from './palette.js';
import { el, linearScale, niceTicks, quantile, text, tooltip } from './svg.js';

const WIDTH = 340;
const LEFT = 40;
const RIGHT = 16;
const LANE = 34;

/** Vertical offsets in a lane, cycled by run index: spreads overlapping dots without randomness. */
const JITTER = [0, -7, 7, -3.5, 3.5, -10, 10, -5, 5, -1.5, 1.5, -8.5, 8.5];

function lane(samples: number[], y: number, color: string, x: (v: number) => number, label: string, format: (v: number) => string = formatMs): string {
  if (samples.length === 0) return text(`${label}: no completed run`, { x: LEFT, y: y + 4, class: 'tick' });
  const sorted = [...samples].sort((a, b) => a - b);
  const [q1, median, q3] = [quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75)];
  const parts = [
    el('rect', { x: x(q1), y: y - 11, width: Math.max(1, x(q3) - x(q1)), height: 22, fill: color, 'fill-opacity': 0.12, stroke: color, 'stroke-opacity': 0.5, rx: 3 }),
    el('line', { x1: x(median), x2: x(median), y1: y - 13, y2: y + 13, stroke: color, 'stroke-width': 2.5 }),
    ...samples.map((s, i) => el('circle', { cx: x(s), cy: y + JITTER[i % JITTER.length]!, r: 2.6, fill: color, 'fill-opacity': 0.75 })),
  ];
  return el('g', { 'data-side': label }, tooltip(`${label}: median ${format(median)}, middle half ${format(q1)}–${format(q3)}, ${samples.length} runs`) + parts.join(''));
}

/**
 * The cell's strip-and-box plot as an SVG element. `format` labels the axis (latency by default; metric
 * plots pass their own, and a cell whose samples are the metric's values).
 */
export function distributionPlot(cell: Pick<CellReport, 'base' | 'head' | 'verdict'>, title: string, format: (v: number) => string = formatMs, what = 'Latency'): string {
  const all = [...cell.base.samplesMs, ...cell.head.samplesMs];
  const min = all.length ? all.reduce((m, v) => Math.min(m, v), Infinity) : 0;
  const max = all.length ? all.reduce((m, v) => Math.max(m, v), -Infinity) : 1;
  const pad = (max - min) * 0.08 || Math.max(1, max * 0.05);
  const x = linearScale(min - pad, max + pad, LEFT, WIDTH - RIGHT);
  const height = 24 + LANE * 2 + 24;
  const headColor = cell.verdict === 'regression' ? VERDICT_COLOR.regression : SIDE_COLOR.head;
  const ticks = niceTicks(min - pad, max + pad, 4)
    .map((t) => el('line', { x1: x(t), x2: x(t), y1: 18, y2: height - 20, class: 'grid' }) + text(format(t), { x: x(t), y: height - 6, class: 'tick', 'text-anchor': 'middle' }))
    .join('');
  const baseY = 24 + LANE / 2;
  const headY = baseY + LANE;
  return el(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', role: 'img', 'aria-label': `${what} distribution base vs head: ${title}`, 'data-testid': 'distribution', class: 'plot' },
    ticks +
      text('base', { x: LEFT - 8, y: baseY + 4, 'text-anchor': 'end', class: 'label' }) +
      text('head', { x: LEFT - 8, y: headY + 4, 'text-anchor': 'end', class: 'label' }) +
      lane(cell.base.samplesMs, baseY, SIDE_COLOR.base, x, 'base', format) +
      lane(cell.head.samplesMs, headY, headColor, x, 'head', format),
  );
}
