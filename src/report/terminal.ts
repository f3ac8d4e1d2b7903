/**
 * The experiment page for a terminal (`frametail compare`, `npm run demo`): header, the inputs ×
 * variants table with each cell's medians, change and verdict, then the verdict sentence and the
 * operations that explain each regression. Colors only when `options.color` (callers pass
 * isTTY && !NO_COLOR && !CI); every untrusted string is scrubbed of control characters.
 */
import {
  formatChange,
  formatDeltaMs,
  formatInterval,
  formatMs,
  formatProbability,
  formatRatio,
  plural,
  shortSha,
  testName,
} from './format.js';
import { ruledOutText } from './assurance.js';
import { verdictSentence } from './headline.js';
import { warningTotal } from '../warnings.js';
import { buildMatrix, cellName, isLatencyRegression, isSuccessRegression, presenceWord, progressText, regressedCells, causes } from './matrix.js';
import type { CellReport, CellVerdict, Report, SpanComparison } from './model.js';
import { displayWidth, fitWidth, padEnd, painter, scrubTerminal, type Style } from './terminal-text.js';
import { metricRegressionWord, metricsLine, metricStatsLine } from './metrics-text.js';

export interface TerminalOptions {
  color: boolean;
  /** Terminal columns; prompts and long lines are cut to fit (default 100). */
  width?: number;
}

const MARK: Record<CellVerdict, { mark: string; style: Style }> = {
  regression: { mark: '▲', style: 'red' },
  improvement: { mark: '▼', style: 'green' },
  unchanged: { mark: '=', style: 'dim' },
  inconclusive: { mark: '?', style: 'yellow' },
};

const CAUSES_PER_CELL = 3;
/** The input column's narrowest width; a table that does not fit beside it is printed one variant per line. */
const MIN_INPUT_WIDTH = 14;

/** "completed" when every run on both sides completed, else what went wrong on head ("3 failed", "10 timeout"). */
function runStatus(cell: CellReport): string {
  const side = cell.presence === 'removed' ? cell.base : cell.head;
  const other = cell.presence === 'both' ? cell.base : side;
  if (side.runs > 0 && side.ok === side.runs && other.ok === other.runs) return 'completed';
  const parts: string[] = [];
  if (side.failed) parts.push(`${side.failed} failed`);
  if (side.timeout) parts.push(`${side.timeout} timeout`);
  if (parts.length === 0) parts.push(side.runs === 0 ? 'not run' : `base ${other.failed + other.timeout} failed`);
  return parts.join(', ');
}

/** The two lines of one table cell: status and medians, then change and verdict. */
function cellLines(cell: CellReport | undefined, paint: ReturnType<typeof painter>): [string, string] {
  if (!cell) return [paint('dim', '—'), ''];
  if (cell.presence === 'added') return [`added ${formatMs(cell.head.medianMs)}`, paint('cyan', 'new cell')];
  if (cell.presence === 'removed') return [`removed (base ${formatMs(cell.base.medianMs)})`, ''];
  const { mark, style } = MARK[cell.verdict];
  const medians = `${runStatus(cell)} ${formatMs(cell.base.medianMs)} → ${formatMs(cell.head.medianMs)}`;
  const change = cell.latency ? formatChange(cell.latency.ratio) : 'no test';
  const word = isSuccessRegression(cell) && !isLatencyRegression(cell) ? 'success regression' : !isLatencyRegression(cell) && cell.verdict === 'regression' ? (metricRegressionWord(cell) ?? cell.verdict) : cell.verdict;
  return [medians, `${change} ${paint(style, `${mark} ${word}`)}`];
}

function header(report: Report, paint: ReturnType<typeof painter>, width: number): string[] {
  const e = report.experiment;
  const text = (s: string) => fitWidth(scrubTerminal(s), width - 16);
  const line = (label: string, value: string) => `${paint('dim', label.padEnd(15))} ${value}`;
  const verdictStyle: Style = report.verdict === 'fail' ? 'red' : report.verdict === 'pass' ? 'green' : 'yellow';
  const s = report.summary;
  const counts = [
    s.regression && plural(s.regression, 'regression'),
    s.improvement && plural(s.improvement, 'improvement'),
    s.inconclusive && `${s.inconclusive} inconclusive`,
    s.unchanged && `${s.unchanged} unchanged`,
  ].filter(Boolean);
  return [
    `${paint('bold', text(e.name))}  ${paint('dim', text(e.id))}`,
    text(e.description),
    '',
    line('Status', `${paint(verdictStyle, report.verdict.toUpperCase())}  ${counts.join(', ')}`),
    line('Configuration', text(Object.entries(e.configuration).map(([k, v]) => `${k}=${v}`).join('  '))),
    line('A/B dimension', text(`${e.dimension.name}: ${e.dimension.variants.map((v) => v.label).join(' | ')}`)),
    line('Progress', `${progressText(report)}  ${paint('dim', '(ok = every run on both sides completed)')}`),
    line('Sides', text(`base ${report.sides.base.ref ?? '?'} @ ${shortSha(report.sides.base.sha)} → head ${report.sides.head.ref ?? '?'} @ ${shortSha(report.sides.head.sha)}`)),
  ];
}

function table(report: Report, paint: ReturnType<typeof painter>, width: number): string[] {
  const matrix = buildMatrix(report);
  const rows = matrix.rows.map((row) => ({
    input: [scrubTerminal(row.input.id), scrubTerminal(row.input.prompt)],
    cells: row.cells.map((c) => cellLines(c, paint)),
  }));
  const columnWidths = matrix.columns.map((column, i) =>
    Math.max(displayWidth(fitWidth(scrubTerminal(column.label), 30)), ...rows.flatMap((r) => r.cells[i]!.map(displayWidth))),
  );
  const cellsWidth = columnWidths.reduce((a, b) => a + b + 3, 0);
  if (MIN_INPUT_WIDTH + cellsWidth > width) return stackedTable(matrix, rows, paint, width);
  const inputWidth = Math.max(MIN_INPUT_WIDTH, Math.min(32, width - cellsWidth));
  const gap = '   ';
  const lines: string[] = [];
  lines.push(
    paint('bold', [padEnd('Input', inputWidth), ...matrix.columns.map((c, i) => padEnd(fitWidth(scrubTerminal(c.label), 30), columnWidths[i]!))].join(gap).trimEnd()),
  );
  lines.push(paint('dim', '─'.repeat(Math.min(width, inputWidth + cellsWidth - gap.length))));
  for (const row of rows) {
    for (const k of [0, 1] as const) {
      const first = k === 0 ? paint('bold', fitWidth(row.input[0]!, inputWidth)) : paint('dim', fitWidth(row.input[1]!, inputWidth));
      lines.push([padEnd(first, inputWidth), ...row.cells.map((c, i) => padEnd(c[k], columnWidths[i]!))].join(gap).trimEnd());
    }
  }
  return lines;
}

/**
 * The table for a terminal too narrow for its columns: each input on a line of its own, then one line per
 * variant in task order ("  Wide shot   completed 8.1 s → 10.0 s   +23% ▲ regression").
 */
function stackedTable(matrix: ReturnType<typeof buildMatrix>, rows: { input: string[]; cells: [string, string][] }[], paint: ReturnType<typeof painter>, width: number): string[] {
  const labels = matrix.columns.map((c) => fitWidth(scrubTerminal(c.label), Math.min(24, Math.max(8, width - 50))));
  const labelWidth = labels.reduce((m, l) => Math.max(m, displayWidth(l)), -Infinity);
  const statusWidth = rows.reduce((m, r) => r.cells.reduce((n, c) => Math.max(n, displayWidth(c[0])), m), -Infinity);
  const lines: string[] = [];
  for (const row of rows) {
    const id = fitWidth(row.input[0]!, 32);
    lines.push(`${paint('bold', id)}  ${paint('dim', fitWidth(row.input[1]!, Math.max(10, width - displayWidth(id) - 2)))}`);
    row.cells.forEach((c, i) => lines.push(`  ${padEnd(labels[i]!, labelWidth)}   ${padEnd(c[0], statusWidth)}   ${c[1]}`.trimEnd()));
  }
  return lines;
}

function explanation(report: Report, cell: CellReport, paint: ReturnType<typeof painter>, width: number): string[] {
  const lines = [`  ${paint('bold', scrubTerminal(cellName(report, cell)))}`];
  const l = cell.latency;
  if (l && isLatencyRegression(cell)) {
    lines.push(`    ${formatChange(l.ratio)} (${formatMs(cell.base.medianMs)} → ${formatMs(cell.head.medianMs)}), ratio ${formatRatio(l.ratio)} ${formatInterval(l.ciLow, l.ciHigh)}, ${formatProbability('q', l.q)}, ${testName(l.test)} (${l.method}), ${plural(cell.rounds, 'round')}`);
  }
  const s = cell.success;
  if (s && isSuccessRegression(cell)) {
    lines.push(`    ${s.head.ok}/${s.head.total} completed (base ${s.base.ok}/${s.base.total}), ${plural(s.newFailures, 'new failure')}, ${formatProbability('q', s.q)}`);
  }
  for (const m of cell.metrics ?? []) {
    if (m.verdict === 'regression' && m.gate) lines.push(`    ${fitWidth(scrubTerminal(metricStatsLine(m)), width - 4)}`);
  }
  const where = (span: SpanComparison) =>
    span.code ? paint('dim', `  ${scrubTerminal(span.code.file)}${span.code.line === undefined ? '' : `:${span.code.line}`}`) : '';
  const found = causes(cell).slice(0, CAUSES_PER_CELL);
  for (const { span, within } of found) {
    const onPath = span.onCriticalPath ? 'on critical path' : 'off critical path';
    const presence = presenceWord(span);
    const what = presence ? `${presence} operation ` : '';
    lines.push(`    cause: ${what}${paint('cyan', fitWidth(scrubTerminal(span.path), width - 40 - what.length))} ${formatDeltaMs(span.criticalDeltaMs)} ${onPath}${where(span)}`);
    if (within) {
      lines.push(`      inside it: ${paint('cyan', fitWidth(scrubTerminal(within.path.slice(span.path.length + 1)), width - 44))} ${formatDeltaMs(within.criticalDeltaMs)} (${within.granularity} spans)${where(within)}`);
    }
  }
  if (found.length === 0 && cell.spans.length > 0 && isLatencyRegression(cell)) {
    lines.push(`    ${paint('dim', 'no single operation changed significantly (see the HTML report for every span)')}`);
  }
  for (const note of cell.notes.slice(0, 3)) lines.push(`    ${paint('dim', fitWidth(scrubTerminal(note), width - 4))}`);
  return lines;
}

/** One line per compared cell with metrics: "  pirouette × Wide shot   own 1.21 s +18% ▲ · model 7.9 s ±0%". */
function metricsBlock(report: Report, paint: ReturnType<typeof painter>, width: number): string[] {
  const rows = report.cells.flatMap((cell) => {
    const line = metricsLine(cell);
    return line ? [{ name: scrubTerminal(cellName(report, cell)), line: scrubTerminal(line) }] : [];
  });
  if (rows.length === 0) return [];
  const nameWidth = Math.min(32, Math.max(...rows.map((r) => displayWidth(r.name))));
  return [
    paint('bold', 'Metrics (head median, change head/base; ▲ regression, ▼ improvement)'),
    ...rows.map((r) => `  ${padEnd(fitWidth(r.name, nameWidth), nameWidth)}   ${fitWidth(r.line, Math.max(20, width - nameWidth - 5))}`),
    '',
  ];
}

/** The whole terminal report as one string ending in a newline. */
export function renderTerminal(report: Report, options: TerminalOptions): string {
  const width = Math.max(60, options.width ?? 100);
  const paint = painter(options.color);
  const style: Style = report.verdict === 'fail' ? 'red' : report.verdict === 'pass' ? 'green' : 'yellow';
  const mark = report.verdict === 'fail' ? '✖' : report.verdict === 'pass' ? '✔' : '?';
  const lines = [...header(report, paint, width), '', ...table(report, paint, width), '', ...metricsBlock(report, paint, width)];
  lines.push(paint(style, paint('bold', `${mark} ${scrubTerminal(verdictSentence(report))}`)));
  for (const cell of regressedCells(report)) lines.push(...explanation(report, cell, paint, width));
  const undecided = report.cells.filter((c) => c.presence === 'both' && c.verdict === 'inconclusive');
  for (const cell of undecided.slice(0, 10)) {
    const text = ruledOutText(cell);
    if (text) lines.push(`  ${paint('yellow', '?')} ${fitWidth(scrubTerminal(`${cellName(report, cell)}: ${text}`), width - 4)}`);
  }
  if (undecided.length > 10) lines.push(`  ${paint('dim', `… ${plural(undecided.length - 10, 'more inconclusive cell')} in the HTML report`)}`);
  if (report.warnings.length > 0) {
    lines.push('', paint('yellow', plural(warningTotal(report.warnings), 'warning')));
    for (const w of report.warnings.slice(0, 10)) lines.push(`  ${fitWidth(scrubTerminal(w), width - 2)}`);
  }
  return `${lines.join('\n')}\n`;
}
