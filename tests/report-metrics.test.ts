/**
 * Metrics beyond latency in every format: the own/model split and configured metrics per cell in the
 * comment, summary, check run, terminal and HTML, the headline naming the metric that regressed, and the
 * comment budget. Golden files: fixtures/reports/metrics.*; regenerate with
 *   UPDATE_GOLDEN=1 npx vitest run tests/report-metrics.test.ts
 */
import { describe, expect, it } from 'vitest';
import { metricsReport } from '../fixtures/reports/build-metrics.js';
import { verdictSentence } from '../src/report/headline.js';
import { renderHtml } from '../src/report/html/render.js';
import { renderCheckOutput, renderComment, renderSummary, type MarkdownOptions } from '../src/report/markdown/comment.js';
import { metricsLine } from '../src/report/metrics-text.js';
import { renderTerminal } from '../src/report/terminal.js';
import { expectGolden } from './report-golden.js';

const OPTIONS: MarkdownOptions = { marker: '<!-- frametail:exp_3f9a1c2b7d4e -->', reproduce: 'npx frametail bench --base 1a2b3c4 --head 9f8e7d6' };

describe('metrics in the report', () => {
  const report = metricsReport();
  const regressed = report.cells.find((c) => c.input === 'pirouette' && c.variant === 'wide')!;

  it('the comparison finds the own-time regression that total latency misses, and the headline names own time', () => {
    expect(regressed.metrics!.find((m) => m.name === 'ownMs')!.verdict).toBe('regression');
    expect(regressed.latency!.verdict).not.toBe('regression');
    expect(report.verdict).toBe('fail');
    expect(verdictSentence(report)).toMatch(/^1 own time regression: pirouette × Wide shot own time \+1[5-9]% \(1\.0\d s → 1\.[12]\d s\)/);
  });

  it('every cell shows own and model time, regressions marked ▲', () => {
    expect(metricsLine(regressed)).toMatch(/^own 1\.[12]\d s \+1[5-9]% ▲ · model [0-9.]+ s [+−±][0-9.]+% · cost 0\.36 USD ±0% · output-size [0-9,]+ B [+−±][0-9.]+%$/);
    expect(metricsLine(regressed, 2)).toMatch(/^own .* ▲ · model .* · 2 more$/);
  });

  it('renders the comment, summary, check run and terminal as golden files', () => {
    expectGolden('metrics.comment.md', renderComment(report, OPTIONS));
    expectGolden('metrics.summary.md', renderSummary(report, OPTIONS));
    const check = renderCheckOutput(report, OPTIONS);
    expectGolden('metrics.check.md', `# ${check.title}\n\n${check.summary}\n\n---\n\n${check.text}\n`);
    expectGolden('metrics.terminal.txt', renderTerminal(report, { color: false, width: 120 }));
  });

  it('the comment shows each cell\'s split in the table and the own-time statistics of the regressed cell; missing values are noted', () => {
    const comment = renderComment(report, OPTIONS);
    expect(comment.match(/<sub>own [^<]*· model /g)).toHaveLength(6);
    expect(comment).toContain('own time regression');
    expect(comment).toMatch(/Own time \(gated, lower is better\): 1\.0\d s → 1\.[12]\d s/);
    expect(comment).toMatch(/output-size [0-9,]+ B [+−±][0-9.]+% \(1 missing\)/);
    const cell = report.cells.find((c) => c.input === 'arm-extension' && c.variant === 'closeup')!;
    expect(cell.notes).toContain('output-size: 0 base and 1 head completed runs gave no value (left out)');
  });

  it('keeps a regressed metric in the comment when the budget squeezes it', () => {
    const tight = renderComment(report, { ...OPTIONS, maxChars: 2500 });
    expect(tight.length).toBeLessThanOrEqual(2500);
    expect(tight).toContain('own time regression');
  });

  it('the HTML report plots every metric of every cell and lists the split under each cell', () => {
    const html = renderHtml(report);
    expect(html.match(/data-testid="metric-distribution"/g)).toHaveLength(6 * 4);
    expect(html.match(/data-testid="cell-metrics"/g)).toHaveLength(6);
    expect(html).toContain('Metric distributions');
  });

  it('escapes configured units in markdown and HTML', () => {
    const hostile = metricsReport();
    for (const cell of hostile.cells) for (const m of cell.metrics ?? []) if (m.name === 'cost') m.unit = '<img src=x>|';
    expect(renderHtml(hostile)).not.toContain('<img src=x>');
    const comment = renderComment(hostile, OPTIONS);
    expect(comment).not.toContain('<img src=x>');
  });
});
