/**
 * The HTML report's plots of metrics beyond latency: for each cell, one strip-and-box plot per metric
 * (own time, model time, configured metrics), base against head, as the latency plots are drawn.
 */
import { escapeHtml as h } from '../escape.js';
import { cellName } from '../matrix.js';
import { formatMetricValue, metricPart } from '../metrics-text.js';
import type { CellReport, MetricResult, Report, SideSummary } from '../model.js';
import { distributionPlot } from './distribution.js';

/** Only the fields the plot reads; the rest of a side summary is not shown. */
function sideOf(samples: number[]): SideSummary {
  return { runs: samples.length, ok: samples.length, failed: 0, timeout: 0, medianMs: null, samplesMs: samples };
}

function metricPlot(report: Report, cell: CellReport, m: MetricResult): string {
  const title = `${cellName(report, cell)} · ${m.label}`;
  const plotted = { base: sideOf(m.base.samples), head: sideOf(m.head.samples), verdict: m.verdict };
  return `<div class="card ${m.verdict}" data-testid="metric-distribution"><h3>${h(title)}</h3><div class="cell-sub">${h(metricPart(m))}</div>${distributionPlot(plotted, title, (v) => formatMetricValue(v, m.unit), m.label)}</div>`;
}

/** The metric plots of `plotted` (default every cell), or '' when no cell has a metric. */
export function metricDistributions(report: Report, plotted: readonly CellReport[] = report.cells): string {
  const cards = plotted.flatMap((cell) => (cell.metrics ?? []).map((m) => metricPlot(report, cell, m)));
  if (cards.length === 0) return '';
  return `<h2>Metric distributions</h2>
<div class="legend">Own time is latency minus the time inside model spans on the critical path; model time is the rest. Dots are runs with a value; runs without one are counted in the notes.</div>
<div class="grid-plots">${cards.join('')}</div>`;
}
