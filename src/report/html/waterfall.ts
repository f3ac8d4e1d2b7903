/**
 * Trace waterfall of a regressed cell's median run, base above head on one time axis: one bar per
 * span, indented by depth, critical-path spans solid and the rest pale, errors outlined in red.
 * Laid side by side in time, the operation that grew stands out.
 */
import { truncate } from '../escape.js';
import { formatMs } from '../format.js';
import type { WaterfallSpan } from '../model.js';
import { SIDE_COLOR, VERDICT_COLOR } from './palette.js';
import { el, linearScale, niceTicks, text, tooltip } from './svg.js';

const WIDTH = 960;
const LABEL = 280;
const ROW = 18;
const MAX_ROWS = 60;

function panel(spans: WaterfallSpan[], side: 'base' | 'head', top: number, x: (v: number) => number): string {
  const shown = spans.slice(0, MAX_ROWS);
  const color = SIDE_COLOR[side];
  const rows = shown.map((span, i) => {
    const y = top + 20 + i * ROW;
    const bar = el('rect', {
      x: x(span.startMs),
      y: y + 3,
      width: Math.max(1.5, x(span.startMs + span.durationMs) - x(span.startMs)),
      height: ROW - 6,
      rx: 2,
      fill: color,
      'fill-opacity': span.onCriticalPath ? 0.9 : 0.3,
      stroke: span.status === 'error' ? VERDICT_COLOR.regression : 'none',
      'stroke-width': span.status === 'error' ? 2 : undefined,
    });
    return el(
      'g',
      { 'data-path': span.path },
      tooltip(`${span.path}: ${formatMs(span.durationMs)} from ${formatMs(span.startMs)}${span.onCriticalPath ? ', on critical path' : ''}${span.status === 'error' ? ', error' : ''}`) +
        text(truncate(span.name, 40 - span.depth * 2), { x: 8 + span.depth * 12, y: y + ROW / 2 + 4, class: 'label' }) +
        bar +
        text(formatMs(span.durationMs), { x: x(span.startMs + span.durationMs) + 4, y: y + ROW / 2 + 4, class: 'tick' }),
    );
  });
  const more = spans.length - shown.length;
  const note = more > 0 ? text(`… ${more} more spans`, { x: 8, y: top + 20 + shown.length * ROW + 12, class: 'tick' }) : '';
  return text(side, { x: 8, y: top + 12, class: 'side-label', fill: color }) + rows.join('') + note;
}

function panelHeight(spans: WaterfallSpan[]): number {
  return 20 + Math.min(spans.length, MAX_ROWS) * ROW + (spans.length > MAX_ROWS ? 16 : 0) + 8;
}

/** Base and head waterfalls of one cell as a single SVG. */
export function waterfallPlot(waterfall: { base: WaterfallSpan[]; head: WaterfallSpan[] }, title: string): string {
  const end = [...waterfall.base, ...waterfall.head].reduce((m, s) => Math.max(m, s.startMs + s.durationMs), 1);
  const x = linearScale(0, end * 1.08, LABEL, WIDTH - 20);
  const baseHeight = panelHeight(waterfall.base);
  const height = baseHeight + panelHeight(waterfall.head) + 28;
  const ticks = niceTicks(0, end * 1.08, 6)
    .map((t) => el('line', { x1: x(t), x2: x(t), y1: 4, y2: height - 22, class: 'grid' }) + text(formatMs(t), { x: x(t), y: height - 6, class: 'tick', 'text-anchor': 'middle' }))
    .join('');
  return el(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', role: 'img', 'aria-label': `Trace waterfall base vs head: ${title}`, 'data-testid': 'waterfall', class: 'plot' },
    ticks + panel(waterfall.base, 'base', 0, x) + el('line', { x1: 0, x2: WIDTH, y1: baseHeight, y2: baseHeight, class: 'divider' }) + panel(waterfall.head, 'head', baseHeight, x),
  );
}
