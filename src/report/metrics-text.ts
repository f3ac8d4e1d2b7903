/**
 * Metrics beyond latency in words, shared by every renderer: "own 1.21 s +18% ▲ · model 7.9 s ±0%".
 * Plain text; each renderer escapes it for its medium (labels and units come from the config, the
 * values from the results files).
 */
import { formatChange, formatInterval, formatMs, formatProbability, formatRatio, plural, testName } from './format.js';
import type { CellReport, MetricResult } from './model.js';

/** Short names of the time split in one-line summaries. */
const SHORT_LABEL: Record<string, string> = { ownMs: 'own', modelMs: 'model' };

/** A metric's value with its unit: times as durations, others with up to 3 significant digits. */
export function formatMetricValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '—';
  // Own and model time are read against each other: 1.21 s, not 1.2 s, between 1 and 10 s.
  if (unit === 'ms') return Math.abs(value) >= 999.5 && Math.abs(value) < 9995 ? `${(value / 1000).toFixed(2)} s` : formatMs(value);
  const abs = Math.abs(value);
  const text = abs >= 1000 ? Math.round(value).toLocaleString('en-US') : Number(value.toPrecision(3)).toString();
  return unit ? `${text} ${unit}` : text;
}

/** ▲ when the metric got worse and that is a regression, ▼ for an improvement; nothing otherwise. */
function mark(m: MetricResult): string {
  if (m.comparable === false) return ' (not comparable)';
  if (m.verdict === 'regression') return ' ▲';
  if (m.verdict === 'improvement') return ' ▼';
  return '';
}

/** "own 1.21 s +18% ▲": the head median, the change head/base and its mark; "(2 missing)" counts runs without a value. */
export function metricPart(m: MetricResult): string {
  const change = m.ratio === null ? 'no test' : formatChange(m.ratio);
  const missing = m.base.missing + m.head.missing;
  return `${SHORT_LABEL[m.name] ?? m.label} ${formatMetricValue(m.head.median, m.unit)} ${change}${mark(m)}${missing > 0 ? ` (${missing} missing)` : ''}`;
}

/**
 * The cell's metrics on one line, at most `max` of them: regressions first, then the time split, then
 * the rest in config order; "· N more" when some are left out. Null when the cell has none.
 */
export function metricsLine(cell: CellReport, max = Infinity): string | null {
  const metrics = cell.metrics ?? [];
  if (metrics.length === 0 || max <= 0) return null;
  const rank = (m: MetricResult) => (m.verdict === 'regression' ? 0 : m.name in SHORT_LABEL ? 1 : 2);
  const ordered = metrics.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i);
  const shown = ordered.slice(0, max).sort((a, b) => a.i - b.i).map(({ m }) => metricPart(m));
  const more = metrics.length - shown.length;
  return [...shown, ...(more > 0 ? [`${more} more`] : [])].join(' · ');
}

/** Gated metrics that regressed in the cell (what fails it besides latency and success). */
export function regressedMetrics(cell: CellReport): MetricResult[] {
  return (cell.metrics ?? []).filter((m) => m.gate && m.verdict === 'regression');
}

/** "own time regression", "own time + cost regression": the words for a cell failed by metrics. */
export function metricRegressionWord(cell: CellReport): string | null {
  const regressed = regressedMetrics(cell);
  return regressed.length > 0 ? `${regressed.map((m) => m.label).join(' + ')} regression` : null;
}

/** Statistics of one metric in one line, as latencyStatsLine does for latency. */
export function metricStatsLine(m: MetricResult): string {
  const name = m.label.charAt(0).toUpperCase() + m.label.slice(1);
  const missing = m.base.missing + m.head.missing > 0 ? `, missing ${m.base.missing} base + ${m.head.missing} head` : '';
  const gated = m.gate ? 'gated' : 'not gated';
  const medians = `${formatMetricValue(m.base.median, m.unit)} → ${formatMetricValue(m.head.median, m.unit)}`;
  if (m.ratio === null || m.ciLow === null || m.ciHigh === null) return `${name} (${gated}): ${medians}, ${plural(m.base.n, 'base value')}, ${plural(m.head.n, 'head value')}${missing}: ${m.reason}`;
  const test = m.test ? `${testName(m.test)}, ${m.method}, ` : '';
  return (
    `${name} (${gated}, ${m.direction} is better): ${medians}, ${test}ratio ${formatRatio(m.ratio)} ${formatInterval(m.ciLow, m.ciHigh)} 90% CI, ` +
    `${formatProbability('p', m.p)}, ${formatProbability('q', m.q)}${missing}: ${m.reason}`
  );
}

/** "own time +15% (1.0 s → 1.15 s)" for the headline. */
export function metricPhrase(m: MetricResult): string {
  const change = m.ratio === null ? '' : ` ${formatChange(m.ratio)}`;
  return `${m.label}${change} (${formatMetricValue(m.base.median, m.unit)} → ${formatMetricValue(m.head.median, m.unit)})`;
}
