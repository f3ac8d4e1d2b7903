/**
 * The parts of the markdown report, each a pure function of the report and the level of detail:
 * header (the experiment page), results table, per-cell details, warnings, footer. The comment, the
 * job summary and the check run assemble them differently.
 */
import { breakNotifications, codeBlock, escapeInlineHtml, escapeMarkdownText as md, safeUrl, truncate } from '../escape.js';
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
import { verdictSentence } from '../headline.js';
import { capWarnings, warningTotal } from '../../warnings.js';
import { buildMatrix, causes, cellName, regressionRank, isLatencyRegression, isSuccessRegression, presenceWord, progressText, spanSideMs, topSpans, type MatrixRow } from '../matrix.js';
import type { CellReport, CellVerdict, PrVerdict, Report } from '../model.js';
import { pooledSuccessText, ruledOutText, setAsideText, spreadText, tailText } from '../assurance.js';
import type { Detail } from './detail.js';
import { metricRegressionWord, metricsLine, metricStatsLine } from '../metrics-text.js';

/** Links for code locations, from the caller (the GitHub adapter knows the repository and SHA). */
export type SourceUrl = (file: string, line?: number) => string | undefined;

export const VERDICT_MARK: Record<CellVerdict, string> = {
  regression: '🔴',
  improvement: '🟢',
  unchanged: '⚪',
  inconclusive: '🟡',
};

const PR_MARK: Record<PrVerdict, string> = { fail: '🔴', pass: '✅', inconclusive: '🟡' };

/** The verdict sentence as the comment's visible first line. */
export function headlineSection(report: Report): string {
  const mark = report.accepted ? '☑️' : PR_MARK[report.verdict];
  return `### ${mark} ${md(verdictSentence(report))}`;
}

/** The experiment page header: id, status, name, description, dimension, configuration, progress. */
export function experimentSection(report: Report, detail: Detail): string {
  const { experiment } = report;
  // Every part is cut to its own budget, so a long description or label never crowds out the results.
  const variants = listed(experiment.dimension.variants.map((v) => md(truncate(v.label, LABEL_CHARS))), LISTED_ITEMS);
  const configuration = listed(
    Object.entries(experiment.configuration).map(([key, value]) => `${md(truncate(key, LABEL_CHARS))}: **${md(truncate(String(value), 2 * LABEL_CHARS))}**`),
    LISTED_ITEMS,
  );
  const maxRounds = report.cells.reduce((m, c) => Math.max(m, c.rounds), 0);
  const status = report.accepted
    ? `☑️ accepted (${md(report.accepted.label)})`
    : `${PR_MARK[report.verdict]} ${report.verdict}`;
  const rows: [string, string][] = [
    ['Experiment', `**${md(truncate(experiment.name, 200))}** · ${md(truncate(experiment.id, LABEL_CHARS))}`],
    ['Description', md(truncate(experiment.description.replace(/\s*\n\s*/g, ' '), detail.descriptionChars)) || '—'],
    ['Status', `${status} · ${summaryCounts(report)}`],
    [`A/B dimension`, `${md(truncate(experiment.dimension.name, LABEL_CHARS))}: ${variants}`],
    ['Configuration', configuration || '—'],
    ['Progress', `${progressText(report)} · up to ${plural(maxRounds, 'round')} per side`],
  ];
  const [first, ...rest] = rows;
  return [`| ${first![0]} | ${first![1]} |`, '|---|---|', ...rest.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

/** Characters of a label, key or id in the header and the table; items listed before "and N more". */
const LABEL_CHARS = 60;
const LISTED_ITEMS = 24;

function listed(items: string[], max: number): string {
  return items.length <= max ? items.join(' · ') : `${items.slice(0, max).join(' · ')} · and ${items.length - max} more`;
}

function summaryCounts(report: Report): string {
  const s = report.summary;
  const counts: string[] = [];
  if (s.regression) counts.push(`${s.regression} ${VERDICT_MARK.regression} regression`);
  if (s.improvement) counts.push(`${s.improvement} ${VERDICT_MARK.improvement} improvement`);
  if (s.inconclusive) counts.push(`${s.inconclusive} ${VERDICT_MARK.inconclusive} inconclusive`);
  if (s.unchanged) counts.push(`${s.unchanged} ${VERDICT_MARK.unchanged} unchanged`);
  if (s.added) counts.push(`${s.added} added`);
  if (s.removed) counts.push(`${s.removed} removed`);
  return counts.join(', ') || 'no cells';
}

/** The verdict word of a cell, naming which metric regressed. */
export function cellVerdictWord(cell: CellReport): string {
  if (isLatencyRegression(cell) && isSuccessRegression(cell)) return 'latency + success regression';
  if (isSuccessRegression(cell)) return 'success regression';
  if (!isLatencyRegression(cell) && cell.verdict === 'regression') return metricRegressionWord(cell) ?? cell.verdict;
  return cell.verdict;
}

/** "10/10 ok", "7/10 ok · 3 failed", "0/10 ok · 10 timeout". */
export function statusText(cell: CellReport): string {
  const side = cell.presence === 'removed' ? cell.base : cell.head;
  const parts = [`${side.ok}/${side.runs} ok`];
  if (side.failed) parts.push(`${side.failed} failed`);
  if (side.timeout) parts.push(`${side.timeout} timeout`);
  return parts.join(' · ');
}

function tableCell(cell: CellReport | undefined, metricsPerCell: number): string {
  if (!cell) return '—';
  if (cell.presence === 'added') return `🆕 ${formatMs(cell.head.medianMs)}<br><sub>added · ${statusText(cell)}</sub>`;
  if (cell.presence === 'removed') return `➖ removed<br><sub>base ${formatMs(cell.base.medianMs)}</sub>`;
  const change = cell.latency ? formatChange(cell.latency.ratio) : 'no test';
  const value = `${formatMs(cell.head.medianMs)} ${change}`;
  const shownValue = isLatencyRegression(cell) ? `**${value}**` : value;
  const status = isSuccessRegression(cell) ? `**${statusText(cell)}**` : statusText(cell);
  const metrics = metricsLine(cell, metricsPerCell);
  const metricsText = metrics ? `<br><sub>${md(metrics)}</sub>` : '';
  return `${VERDICT_MARK[cell.verdict]} ${shownValue}<br><sub>${cellVerdictWord(cell)} · ${status}</sub>${metricsText}`;
}

function rowAllUnchanged(row: MatrixRow): boolean {
  return row.cells.every((c) => !c || (c.verdict === 'unchanged' && c.presence === 'both'));
}

/** One row of the results table: rendered on demand, so a long matrix costs only the rows shown. */
export interface TableRow {
  /** Position in config order. */
  index: number;
  /** Cells with data in the row (what "N more cells" counts). */
  cells: number;
  /** How bad the row's worst regression is (latency ratio; 0 for a success or metric regression); null without one. */
  rank: number | null;
  render: () => string;
}

export interface ResultsTable {
  /** Header and rule lines; '' when every row was collapsed. */
  head: string;
  legend: string;
  /** Rows in config order, all-unchanged rows already collapsed when the detail asks for it. */
  rows: TableRow[];
  /** "N inputs with every cell unchanged not shown." when rows were collapsed. */
  collapsed?: string;
}

/**
 * One row per input, one column per variant in task order. With `collapseUnchanged`, rows whose cells
 * are all unchanged become a count. Which rows are shown when not all fit is the layout's choice
 * (layout.ts): rows with a regression first, worst first.
 */
export function resultsTable(report: Report, detail: Detail): ResultsTable {
  const matrix = buildMatrix(report);
  let rows = matrix.rows.map((row, index) => ({ row, index }));
  let collapsed: string | undefined;
  if (detail.collapseUnchanged) {
    const kept = rows.filter(({ row }) => !rowAllUnchanged(row));
    if (kept.length < rows.length) collapsed = `${plural(rows.length - kept.length, 'input')} with every cell unchanged not shown.`;
    rows = kept;
  }
  const header = `| Input | ${matrix.columns.map((c) => md(truncate(c.label, LABEL_CHARS))).join(' | ')} |`;
  const rule = `|---|${matrix.columns.map(() => '---').join('|')}|`;
  const render = (row: MatrixRow) => {
    const prompt = detail.promptChars > 0 && row.input.prompt ? `<br><sub>${md(truncate(row.input.prompt, detail.promptChars))}</sub>` : '';
    return `| **${md(truncate(row.input.id, LABEL_CHARS))}**${prompt} | ${row.cells.map((c) => tableCell(c, detail.metricsPerCell)).join(' | ')} |`;
  };
  const legend =
    `<sub>Each cell: head median, change = Hodges–Lehmann ratio head/base. ` +
    `${VERDICT_MARK.regression} regression · ${VERDICT_MARK.improvement} improvement · ` +
    `${VERDICT_MARK.unchanged} unchanged · ${VERDICT_MARK.inconclusive} inconclusive</sub>`;
  return {
    head: rows.length > 0 ? `${header}\n${rule}` : '',
    legend,
    rows: rows.map(({ row, index }) => ({
      index,
      cells: row.cells.reduce((n, c) => n + (c ? 1 : 0), 0),
      rank: row.cells.reduce<number | null>((worst, c) => {
        const rank = regressionRank(c);
        return rank === null ? worst : Math.max(worst ?? 0, rank);
      }, null),
      render: () => render(row),
    })),
    ...(collapsed ? { collapsed } : {}),
  };
}

/** Statistics of a cell in one line: test, method, rounds, ratio and interval, p and q, and why. */
export function latencyStatsLine(cell: CellReport): string {
  const l = cell.latency;
  if (!l) return 'Latency: no test (no completed run on a side).';
  const n = l.n.pairs !== undefined ? `${l.n.pairs} pairs` : `${l.n.base} + ${l.n.head} runs`;
  return (
    `Latency: ${testName(l.test)}, ${l.method}, ${plural(cell.rounds, 'round')} (${n}), ratio ${formatRatio(l.ratio)} ` +
    `${formatInterval(l.ciLow, l.ciHigh)} 90% CI, ${formatProbability('p', l.p)}, ${formatProbability('q', l.q)}: ${l.reason}`
  );
}

/** Success-rate statistics in one line. */
export function successStatsLine(cell: CellReport): string | undefined {
  const s = cell.success;
  if (!s) return undefined;
  return (
    `Success: ${testName(s.test)}, head ${s.head.ok}/${s.head.total} vs base ${s.base.ok}/${s.base.total}, ` +
    `${plural(s.newFailures, 'new failure')}, ${formatProbability('p', s.p)}, ${formatProbability('q', s.q)}: ${s.reason}`
  );
}

function codeLink(cell: CellReport['spans'][number], sourceUrl: SourceUrl | undefined): string {
  if (!cell.code) return '';
  const where = `${cell.code.file}${cell.code.line === undefined ? '' : `:${cell.code.line}`}`;
  const label = md(truncate(where.split('/').slice(-2).join('/'), 60));
  const url = safeUrl(sourceUrl?.(cell.code.file, cell.code.line));
  return url ? `[${label}](${url})` : label;
}

/** Collapsed details of one cell: statistics, notes and the operations that explain the change. */
export function cellDetails(report: Report, cell: CellReport, detail: Detail, sourceUrl: SourceUrl | undefined): string {
  const change = cell.latency ? ` ${formatChange(cell.latency.ratio)}` : '';
  const summary = `${VERDICT_MARK[cell.verdict]} ${cellName(report, cell)}:${change} (${formatMs(cell.base.medianMs)} → ${formatMs(cell.head.medianMs)}) · ${cellVerdictWord(cell)}`;
  const lines = [`<details><summary>${escapeInlineHtml(summary)}</summary>`, ''];
  lines.push(md(latencyStatsLine(cell)));
  const ruledOut = ruledOutText(cell);
  lines.push('', md(`Runs: ${spreadText(cell)} · ${setAsideText(cell)}${ruledOut ? ` · latency: ${ruledOut}` : ''}`));
  const success = successStatsLine(cell);
  if (success && (detail.successLine || isSuccessRegression(cell))) lines.push('', md(success));
  const statsOf = (cell.metrics ?? []).filter((m) => detail.successLine || m.verdict === 'regression' || m.gate);
  for (const m of statsOf.slice(0, detail.metricsPerCell)) lines.push('', md(metricStatsLine(m)));
  for (const note of cell.notes.slice(0, detail.notesPerCell)) lines.push('', `> ${md(truncate(note, 300))}`);
  const spans = topSpans(cell, detail.spansPerCell);
  // A new or removed operation named as a cause gets a sentence: the table alone would show it as one row of many.
  for (const { span } of causes(cell).filter((c) => c.span.presence)) {
    const onPath = span.onCriticalPath ? 'on the critical path' : 'off the critical path';
    lines.push('', `🔺 ${presenceWord(span) === 'new' ? 'New' : 'Removed'} operation **${md(truncate(span.path, 90))}** ${formatDeltaMs(span.criticalDeltaMs)} ${onPath} (absent on ${span.presence === 'head-only' ? 'base' : 'head'}, compared as 0 ms)`);
  }
  if (spans.length > 0) {
    lines.push('', '| Operation (🔺 significant regression; top by critical-path change) | Base | Head | Δ critical path | Δ total | Source |', '|---|---:|---:|---:|---:|---|');
    for (const s of spans) {
      const critical = s.onCriticalPath ? '' : ' <sub>(off critical path)</sub>';
      const cause = s.verdict === 'regression' ? '🔺 ' : '';
      const presence = presenceWord(s) === 'new' ? '🆕 **new** ' : presenceWord(s) === 'removed' ? '➖ **removed** ' : '';
      lines.push(
        `| ${cause}${presence}${md(truncate(s.path, 90))}${critical} | ${spanSideMs(s, 'base', formatMs)} | ${spanSideMs(s, 'head', formatMs)} | **${formatDeltaMs(s.criticalDeltaMs)}** | ${formatDeltaMs(s.deltaMs)} | ${codeLink(s, sourceUrl) || '—'} |`,
      );
    }
    const more = cell.spans.length - spans.length;
    if (more > 0) lines.push('', `<sub>${plural(more, 'more operation')} in the job summary / HTML report</sub>`);
  }
  lines.push('', '</details>');
  return lines.join('\n');
}

/** The cells the level of detail gives collapsed details, in report order: regressed, then undecided, then the rest. */
export function detailCells(report: Report, detail: Detail): CellReport[] {
  const wanted = report.cells.filter((c) =>
    detail.detailCells === 'regressed' ? c.verdict === 'regression' : c.verdict !== 'unchanged',
  );
  const order = (c: CellReport) => (c.verdict === 'regression' ? 0 : c.verdict === 'inconclusive' ? 1 : 2);
  return wanted.map((c, i) => ({ c, i })).sort((a, b) => order(a.c) - order(b.c) || a.i - b.i).map(({ c }) => c);
}

/**
 * Every compared cell in one collapsed table: median and p90 per side, the far-out runs set aside per side,
 * and what the data rule out (or how many more rounds would likely settle the cell); then the matrix-level
 * tail test. Regressions are in the details above; this is what a green or yellow cell can claim.
 */
export function ruledOutTable(report: Report, detail: Detail): { open: string; cells: CellReport[]; row: (cell: CellReport) => string; close: string } | undefined {
  if (!detail.ruledOut) return undefined;
  const cells = report.cells.filter((c) => c.presence === 'both');
  if (cells.length === 0) return undefined;
  const row = (c: CellReport) => {
    const claim = ruledOutText(c) ?? (c.verdict === 'regression' ? 'regression: see above' : '—');
    return `| ${md(cellName(report, c))} | ${VERDICT_MARK[c.verdict]} ${c.verdict} | ${formatMs(c.base.medianMs)} → ${formatMs(c.head.medianMs)} | ${formatMs(c.base.p90Ms)} → ${formatMs(c.head.p90Ms)} | ${c.latency?.farOut ? `${c.latency.farOut.base} / ${c.latency.farOut.head}` : '0 / 0'} | ${md(claim)} |`;
  };
  const matrixLines = [pooledSuccessText(report), tailText(report)].filter((line) => line !== undefined);
  return {
    open: [
      '<details><summary>What the data rule out, per cell (median, p90, far-out runs set aside)</summary>',
      '',
      '| Cell | Verdict | Median base → head | p90 base → head | Far-out set aside, base / head | Latency: ruled out |',
      '|---|---|---:|---:|---:|---|',
    ].join('\n'),
    cells,
    row,
    close: [
      ...matrixLines.flatMap((line) => ['', md(line)]),
      '',
      '<sub>"Ruled out": the upper end of the one-sided interval of the ratio head/base, at a level adjusted for the adaptive looks.</sub>',
      '',
      '</details>',
    ].join('\n'),
  };
}

/** Problems in the inputs that did not stop the comparison. */
export function warningsSection(report: Report, detail: Detail): string {
  if (report.warnings.length === 0 || detail.warnings === 0) return '';
  const shown = capWarnings(report.warnings, detail.warnings).slice(0, detail.warnings).map((w) => `- ⚠️ ${md(truncate(w, 300))}`);
  const more = warningTotal(report.warnings) - shown.length;
  if (more > 0) shown.push(`- … ${plural(more, 'more warning')} in the job summary`);
  return ['**Warnings**', '', ...shown].join('\n');
}

/**
 * The head side: for a pull request its head commit, and the commit measured when that is another one
 * (actions/checkout checks out the test-merge commit of head and base by default).
 */
function headSide(report: Report): string {
  const head = report.sides.head;
  const pr = report.pullRequest;
  if (!pr) return `head ${head.ref ? md(truncate(head.ref, 80)) : 'unknown ref'} @ ${md(shortSha(head.sha))} (${plural(head.runs, 'run')})`;
  const measured = head.sha && !pr.headSha.startsWith(head.sha) && !head.sha.startsWith(pr.headSha) ? `, measured as merge commit ${md(shortSha(head.sha))}` : '';
  return `head #${pr.number} @ ${md(shortSha(pr.headSha))} (${plural(head.runs, 'run')}${measured})`;
}

/** Both SHAs, the gate settings, and the command that reproduces the comparison locally. */
export function footerSection(report: Report, reproduce: string): string {
  const side = (name: string, s: Report['sides']['base']) =>
    `${name} ${s.ref ? md(truncate(s.ref, 80)) : 'unknown ref'} @ ${md(shortSha(s.sha))} (${plural(s.runs, 'run')})`;
  const g = report.gate;
  const gate = `α=${g.alpha}, min change ${Math.round(g.minChange * 1000) / 10}%, fail on ${md(g.failOn.join(', ') || 'nothing')}`;
  return [
    `<sub>${side('base', report.sides.base)} → ${headSide(report)} · gate ${gate} · ${breakNotifications(report.schema)}</sub>`,
    '',
    'Reproduce locally:',
    codeBlock(reproduce, 'sh'),
  ].join('\n');
}
