/**
 * The verdict in one sentence, the first thing every renderer shows:
 * "1 latency regression: pirouette × Wide shot +23% (8.1 s → 10.0 s)". Plain text; each renderer
 * escapes it for its medium.
 */
import { formatChange, formatMs, formatRate, plural } from './format.js';
import { cellName, isLatencyRegression, isSuccessRegression, regressedCells } from './matrix.js';
import type { CellReport, Report } from './model.js';
import { metricPhrase, regressedMetrics } from './metrics-text.js';

/** How many named cells a sentence lists before "and N more". */
const NAMED_CELLS = 2;

/** "pirouette × Wide shot +23% (8.1 s → 10.0 s)". */
export function latencyPhrase(report: Report, cell: CellReport): string {
  const change = cell.latency ? formatChange(cell.latency.ratio) : '';
  return `${cellName(report, cell)} ${change} (${formatMs(cell.base.medianMs)} → ${formatMs(cell.head.medianMs)})`;
}

/** "arm-extension × Low angle 10/10 → 7/10 completed" (base → head). */
export function successPhrase(report: Report, cell: CellReport): string {
  const s = cell.success;
  const head = s ? `${s.head.ok}/${s.head.total}` : `${cell.head.ok}/${cell.head.runs}`;
  const base = s ? `${s.base.ok}/${s.base.total}` : `${cell.base.ok}/${cell.base.runs}`;
  return `${cellName(report, cell)} ${base} → ${head} completed`;
}

function listed(phrases: string[]): string {
  const named = phrases.slice(0, NAMED_CELLS).join(', ');
  const more = phrases.length - NAMED_CELLS;
  return more > 0 ? `${named} and ${more} more` : named;
}

/** The PR's verdict as one sentence, naming the worst cells. Never empty. */
export function verdictSentence(report: Report): string {
  const sentence = coreSentence(report);
  if (report.accepted) {
    const by = report.accepted.by ? ` by @${report.accepted.by}` : '';
    return `Accepted with label "${report.accepted.label}"${by}: ${sentence}`;
  }
  return sentence;
}

/** "1 own time regression: pirouette × Wide shot own time +15% (1.0 s → 1.15 s)", one part per regressed metric. */
function metricRegressionParts(report: Report, regressed: CellReport[]): string[] {
  const byLabel = new Map<string, string[]>();
  for (const cell of regressed) {
    for (const m of regressedMetrics(cell)) {
      const list = byLabel.get(m.label) ?? [];
      list.push(`${cellName(report, cell)} ${metricPhrase(m)}`);
      byLabel.set(m.label, list);
    }
  }
  return [...byLabel].map(([label, phrases]) => `${plural(phrases.length, `${label} regression`)}: ${listed(phrases)}`);
}

function coreSentence(report: Report): string {
  const { summary } = report;
  if (report.cells.length === 0) return 'No cells ran: nothing to compare';
  if (!report.cells.some((c) => c.presence === 'both')) return 'Nothing to compare: no cell has runs on both sides';

  const regressed = regressedCells(report);
  const latency = regressed.filter(isLatencyRegression);
  const success = regressed.filter(isSuccessRegression);
  const parts: string[] = [];
  if (latency.length > 0) {
    parts.push(`${plural(latency.length, 'latency regression')}: ${listed(latency.map((c) => latencyPhrase(report, c)))}`);
  }
  if (success.length > 0) {
    parts.push(`${plural(success.length, 'success-rate regression')}: ${listed(success.map((c) => successPhrase(report, c)))}`);
  }
  parts.push(...metricRegressionParts(report, regressed));
  const pooled = report.pooledSuccess;
  if (pooled?.verdict === 'regression' && success.length === 0) {
    parts.push(`success rate fell across the matrix: ${formatRate(pooled.base.rate)} → ${formatRate(pooled.head.rate)}`);
  }
  const tail = report.pooledTail;
  if (tail?.verdict === 'regression') {
    parts.push(`slow tail grew across the matrix: ${tail.head} far-out runs on head, ${tail.base} on base`);
  }
  if (parts.length > 0) {
    const sentence = parts.join('; ');
    return sentence.charAt(0).toUpperCase() + sentence.slice(1);
  }

  if (report.verdict === 'fail') {
    return `Failed on ${report.gate.failOn.join(', ') || 'the gate'}: ${plural(summary.inconclusive, 'inconclusive cell')} of ${summary.cells}`;
  }
  if (report.verdict === 'inconclusive' || summary.inconclusive > 0) {
    const maxRounds = report.cells.reduce((m, c) => Math.max(m, c.rounds), 0);
    return `Inconclusive: ${summary.inconclusive} of ${plural(summary.cells, 'cell')} undecided after ${plural(maxRounds, 'round')}; no regression found`;
  }
  const improved = report.cells.filter((c) => c.latency?.verdict === 'improvement');
  if (improved.length > 0) {
    return `No regression; ${plural(improved.length, 'latency improvement')}: ${listed(improved.map((c) => latencyPhrase(report, c)))}`;
  }
  return `No regression: ${plural(summary.cells, 'cell')} unchanged`;
}
