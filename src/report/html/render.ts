/**
 * The HTML report: one self-contained page (inline CSS and server-built SVG, no script, no network)
 * laid out like the experiment page — verdict, experiment header, results table, forest plot of
 * ratios, per-cell latency distributions, and for regressed cells the operations and a waterfall.
 * Its size is bounded whatever the matrix (HTML_LIMITS): beyond the limits, the cells of most concern
 * are shown (regressions worst first, then inconclusive cells) and a note counts the rest, which
 * report.json holds.
 */
import { escapeHtml as h, safeUrl, truncate } from '../escape.js';
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
} from '../format.js';
import { pooledSuccessText, ruledOutText, setAsideText, tailText } from '../assurance.js';
import { verdictSentence } from '../headline.js';
import { buildMatrix, byConcern, cellName, isSuccessRegression, presenceWord, progressText, regressedCells, regressionRank, spanSideMs, topSpans, type MatrixRow } from '../matrix.js';
import { capWarnings } from '../../warnings.js';
import type { CellReport, Report, SpanComparison } from '../model.js';
import { distributionPlot } from './distribution.js';
import { forestPlot } from './forest.js';
import { metricDistributions } from './metric-distributions.js';
import { metricsLine, metricStatsLine } from '../metrics-text.js';
import { SIDE_COLOR, VERDICT_COLOR } from './palette.js';
import { STYLE } from './style.js';
import { waterfallPlot } from './waterfall.js';

const SPANS_PER_CELL = 10;

/**
 * How much of a large matrix the page shows: cells in the results and "ruled out" tables, cells plotted
 * (forest plot rows, distribution and metric cards), and regressed cells with their operations and
 * waterfall. At 5,000 cells the page is a few MB instead of 26 MB.
 */
export const HTML_LIMITS = { tableCells: 2_000, plottedCells: 200, detailedCells: 50 } as const;

/** The first `max` items by concern, or all of them in their own order when they fit. */
function mostConcerning<T>(items: readonly T[], cellOf: (item: T) => CellReport, max: number): { shown: T[]; omitted: number } {
  if (items.length <= max) return { shown: [...items], omitted: 0 };
  return { shown: byConcern(items, cellOf).slice(0, max), omitted: items.length - max };
}

function notShown(count: number, what = 'cell'): string {
  return count > 0 ? `<p class="muted" data-testid="not-shown">${plural(count, `more ${what}`)} not shown here (the page shows at most the ones of most concern); report.json has them all.</p>` : '';
}
const BANNER_MARK: Record<Report['verdict'], string> = { fail: '✖', pass: '✔', inconclusive: '?' };

function badge(cell: CellReport): string {
  const word = isSuccessRegression(cell) && cell.latency?.verdict !== 'regression' ? 'success regression' : cell.verdict;
  return `<span class="badge ${cell.verdict}">${h(word)}</span>`;
}

/** Variant labels listed in the header before "and N more". */
const LISTED_VARIANTS = 100;

function header(report: Report): string {
  const e = report.experiment;
  const status = report.accepted ? `accepted (${h(report.accepted.label)})` : h(report.verdict);
  const configuration = Object.entries(e.configuration)
    .map(([k, v]) => `${h(k)}: <code>${h(String(v))}</code>`)
    .join(' · ');
  const side = (name: string, s: Report['sides']['base']) => `${name} <code>${h(s.ref ?? 'unknown ref')}</code> @ <code>${h(shortSha(s.sha))}</code> (${plural(s.runs, 'run')})`;
  return `
<div class="banner ${report.verdict}" data-testid="headline">${BANNER_MARK[report.verdict]} ${h(verdictSentence(report))}</div>
<h1>${h(e.name)}</h1>
<div class="muted">${h(e.description)}</div>
<dl class="meta">
  <dt>Experiment</dt><dd><code>${h(e.id)}</code></dd>
  <dt>Status</dt><dd><strong>${status}</strong> · ${report.summary.regression} regression, ${report.summary.improvement} improvement, ${report.summary.inconclusive} inconclusive, ${report.summary.unchanged} unchanged</dd>
  <dt>A/B dimension</dt><dd>${h(e.dimension.name)}: ${e.dimension.variants.slice(0, LISTED_VARIANTS).map((v) => h(v.label)).join(' · ')}${e.dimension.variants.length > LISTED_VARIANTS ? ` · and ${e.dimension.variants.length - LISTED_VARIANTS} more` : ''}</dd>
  <dt>Configuration</dt><dd>${configuration || '—'}</dd>
  <dt>Progress</dt><dd>${h(progressText(report))} <span class="muted">(ok: every run on both sides completed)</span></dd>
  <dt>Sides</dt><dd>${side('base', report.sides.base)} → ${side('head', report.sides.head)}</dd>
</dl>`;
}

function tableCell(cell: CellReport | undefined): string {
  if (!cell) return '<td class="muted">—</td>';
  const change = cell.latency ? formatChange(cell.latency.ratio) : 'no test';
  const status = [
    `${cell.head.ok}/${cell.head.runs} ok`,
    cell.head.failed ? `${cell.head.failed} failed` : '',
    cell.head.timeout ? `${cell.head.timeout} timeout` : '',
  ].filter(Boolean).join(', ');
  return `<td><div class="cell-value">${h(formatMs(cell.base.medianMs))} → ${h(formatMs(cell.head.medianMs))} <span style="color:${VERDICT_COLOR[cell.verdict]}">${h(change)}</span></div>${badge(cell)}<div class="cell-sub">${h(status)}</div>${metricsCell(cell)}</td>`;
}

/** The cell's metrics under its status ("own 1.2 s +18% ▲ · model 7.9 s ±0%"), or nothing. */
function metricsCell(cell: CellReport): string {
  const line = metricsLine(cell);
  return line ? `<div class="cell-sub" data-testid="cell-metrics">${h(line)}</div>` : '';
}

function resultsTable(report: Report): string {
  const matrix = buildMatrix(report);
  const head = `<tr><th>Input</th>${matrix.columns.map((c) => `<th>${h(c.label)}</th>`).join('')}</tr>`;
  const { shown, omitted } = rowsWithin(matrix.rows, HTML_LIMITS.tableCells);
  const rows = shown.map(
    (row) => `<tr><td><strong>${h(row.input.id)}</strong><div class="prompt">${h(truncate(row.input.prompt, 160))}</div></td>${row.cells.map(tableCell).join('')}</tr>`,
  );
  return `<table data-testid="results"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>
<div class="legend">Each cell: base median → head median, change = Hodges–Lehmann ratio head/base.</div>${notShown(omitted)}`;
}

/**
 * Rows holding at most `maxCells` cells: all in config order when they fit, else rows with a regression
 * (worst first), then the rest in config order, while they fit. `omitted` counts the cells left out.
 */
function rowsWithin(rows: MatrixRow[], maxCells: number): { shown: MatrixRow[]; omitted: number } {
  const cellsOf = (row: MatrixRow) => row.cells.reduce((n, c) => n + (c ? 1 : 0), 0);
  const total = rows.reduce((n, row) => n + cellsOf(row), 0);
  if (total <= maxCells) return { shown: rows, omitted: 0 };
  const worst = (row: MatrixRow) => row.cells.reduce<number | null>((w, c) => {
    const rank = regressionRank(c);
    return rank === null ? w : Math.max(w ?? 0, rank);
  }, null);
  const ranked = rows.map((row, index) => ({ row, index, rank: worst(row) }));
  const order = [...ranked.filter((r) => r.rank !== null).sort((a, b) => b.rank! - a.rank! || a.index - b.index), ...ranked.filter((r) => r.rank === null)];
  const shown: MatrixRow[] = [];
  let cells = 0;
  for (const { row } of order) {
    if (cells + cellsOf(row) > maxCells) break;
    shown.push(row);
    cells += cellsOf(row);
  }
  return { shown, omitted: total - cells };
}

/** Every compared cell: median and p90 per side, far-out runs set aside per side, and what the data rule out. */
function ruledOutTable(report: Report): string {
  const compared = report.cells.filter((c) => c.presence === 'both');
  if (compared.length === 0) return '';
  const { shown: cells, omitted } = mostConcerning(compared, (c) => c, HTML_LIMITS.tableCells);
  const rows = cells.map((c) => {
    const claim = ruledOutText(c) ?? (c.verdict === 'regression' ? 'regression (see below)' : '—');
    return `<tr><td>${h(cellName(report, c))}</td><td>${badge(c)}</td><td class="num">${h(formatMs(c.base.medianMs))} → ${h(formatMs(c.head.medianMs))}</td><td class="num">${h(formatMs(c.base.p90Ms))} → ${h(formatMs(c.head.p90Ms))}</td><td>${h(setAsideText(c))}</td><td data-testid="ruled-out">${h(claim)}</td></tr>`;
  });
  const matrix = [pooledSuccessText(report), tailText(report)].filter((line) => line !== undefined).map((line) => ` ${h(line)}`).join('');
  return `<h2>What the data rule out</h2>
<table data-testid="ruled-out-table"><thead><tr><th>Cell</th><th>Verdict</th><th class="num">Median base → head</th><th class="num">p90 base → head</th><th>Far-out runs</th><th>Latency: ruled out</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<div class="legend">Ruled out: the upper end of the one-sided interval of the ratio head/base, at a level adjusted for the adaptive looks. Far-out runs (Tukey's 3·IQR fences) set aside from the latency test, per side.${matrix}</div>${notShown(omitted)}`;
}

function distributions(report: Report, plotted: CellReport[]): string {
  const cards = plotted.map((cell) => {
    const name = cellName(report, cell);
    const change = cell.latency ? ` · ${formatChange(cell.latency.ratio)}` : '';
    return `<div class="card ${cell.verdict}"><h3>${h(name)}${h(change)} ${badge(cell)}</h3>${distributionPlot(cell, name)}</div>`;
  });
  return `<div class="legend"><span class="swatch" style="background:${SIDE_COLOR.base}"></span>base<span class="swatch" style="background:${SIDE_COLOR.head}"></span>head<span class="swatch" style="background:${VERDICT_COLOR.regression}"></span>head of a regressed cell · dots are runs, box is the middle half, bar the median</div>
<div class="grid-plots">${cards.join('')}</div>`;
}

export interface HtmlOptions {
  /** Link for a code location; undefined = plain text. Only http(s) URLs are used. */
  sourceUrl?: (file: string, line?: number) => string | undefined;
}

function codeText(span: CellReport['spans'][number], options: HtmlOptions): string {
  if (!span.code) return '—';
  const where = `${span.code.file}${span.code.line === undefined ? '' : `:${span.code.line}`}`;
  const url = safeUrl(options.sourceUrl?.(span.code.file, span.code.line));
  const label = `<code>${h(truncate(where, 80))}</code>`;
  const linked = url ? `<a href="${h(url)}">${label}</a>` : label;
  return `${linked}${span.code.function ? ` <span class="muted">${h(span.code.function)}</span>` : ''}`;
}

/** "new" / "removed" for an operation on one side only (compared with absent = 0 ms). */
function presenceBadge(span: SpanComparison): string {
  const word = presenceWord(span);
  if (!word) return '';
  const title = word === 'new' ? 'absent on base, compared as 0 ms' : 'absent on head, compared as 0 ms';
  return ` <span class="badge ${word}" data-testid="span-${word}" title="${title}">${word}</span>`;
}

function regressedSection(report: Report, cell: CellReport, options: HtmlOptions): string {
  const name = cellName(report, cell);
  const l = cell.latency;
  const stats = l
    ? `${h(testName(l.test))}, ${h(l.method)}, ${plural(cell.rounds, 'round')}, ratio ${formatRatio(l.ratio)} ${formatInterval(l.ciLow, l.ciHigh)} (90% CI), ${formatProbability('p', l.p)}, ${formatProbability('q', l.q)}: ${h(l.reason)}`
    : 'no latency test';
  const s = cell.success;
  const success = s ? `<p class="stats">Success: head ${s.head.ok}/${s.head.total} vs base ${s.base.ok}/${s.base.total}, ${plural(s.newFailures, 'new failure')}, ${formatProbability('q', s.q)}: ${h(s.reason)}</p>` : '';
  const metricStats = (cell.metrics ?? []).map((m) => `<p class="stats">${h(metricStatsLine(m))}</p>`).join('');
  const spans = topSpans(cell, SPANS_PER_CELL);
  const spanTable = spans.length
    ? `<table><thead><tr><th>Operation <span class="muted">(badge: the span's own comparison is a significant regression)</span></th><th class="num">Base</th><th class="num">Head</th><th class="num">Δ critical path</th><th class="num">Δ total</th><th>Source</th></tr></thead><tbody>${spans
        .map((sp) => `<tr><td><code>${h(truncate(sp.path, 120))}</code>${presenceBadge(sp)}${sp.verdict === 'regression' ? ' <span class="badge regression" data-testid="span-regression">regression</span>' : ''}${sp.onCriticalPath ? '' : ' <span class="muted">(off critical path)</span>'}</td><td class="num">${spanSideMs(sp, 'base', formatMs)}</td><td class="num">${spanSideMs(sp, 'head', formatMs)}</td><td class="num"><strong>${formatDeltaMs(sp.criticalDeltaMs)}</strong></td><td class="num">${formatDeltaMs(sp.deltaMs)}</td><td>${codeText(sp, options)}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const notes = cell.notes.map((n) => `<li>${h(n)}</li>`).join('');
  const waterfall = cell.waterfall ? `<h3>Trace waterfall of the median run</h3>${waterfallPlot(cell.waterfall, name)}` : '';
  return `<section data-testid="regressed-cell">
<h3>${h(name)}: ${h(l ? formatChange(l.ratio) : '')} (${formatMs(cell.base.medianMs)} → ${formatMs(cell.head.medianMs)}) ${badge(cell)}</h3>
<p class="stats">${stats}</p>${success}${metricStats}${notes ? `<ul>${notes}</ul>` : ''}${spanTable}${waterfall}
</section>`;
}

/** The report as one self-contained HTML document (options are optional: links need the repository). */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const regressed = mostConcerning(regressedCells(report), (c) => c, HTML_LIMITS.detailedCells);
  const plotted = mostConcerning(report.cells, (c) => c, HTML_LIMITS.plottedCells);
  const warningList = capWarnings(report.warnings);
  const warnings = warningList.length ? `<h2>Warnings</h2><ul class="warnings">${warningList.map((w) => `<li>${h(w)}</li>`).join('')}</ul>` : '';
  const sourceNote = report.experiment.configFile ? ` · config <code>${h(report.experiment.configFile)}</code>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${h(`Frametail: ${report.experiment.name} (${report.verdict})`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${header(report)}
<h2>Results</h2>
${resultsTable(report)}
${ruledOutTable(report)}
<h2>Change per cell</h2>
<div class="legend">Dot: Hodges–Lehmann ratio head/base; line: its 90% interval; solid gray: no change; dashed red: regression threshold (1 + min-change).</div>
${forestPlot(report, plotted.shown)}
<h2>Latency distributions</h2>
${distributions(report, plotted.shown)}
${metricDistributions(report, plotted.shown)}
${notShown(plotted.omitted, 'cell')}
${regressed.shown.length ? `<h2>Regressions</h2>${regressed.shown.map((c) => regressedSection(report, c, options)).join('\n')}${notShown(regressed.omitted, 'regressed cell')}` : ''}
${warnings}
<footer>${h(report.schema)} · gate α=${report.gate.alpha}, min change ${formatChange(1 + report.gate.minChange)}, fail on ${h(report.gate.failOn.join(', ') || 'nothing')}${sourceNote}</footer>
</main>
</body>
</html>
`;
}
