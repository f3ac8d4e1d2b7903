/**
 * Budgets per section: whatever the sizes of the description, prompts, labels and configuration, the
 * verdict headline and the results table survive in the comment, the check run output and the job
 * summary, each within GitHub's limit. The long parts are cut, not the verdict.
 */
import { describe, expect, it } from 'vitest';
import { failReport, overflowReport } from '../fixtures/reports/build.js';
import { verdictSentence } from '../src/report/headline.js';
import { COMMENT_LIMIT, CHECK_TEXT_LIMIT, renderCheckOutput, renderComment, renderSummary, SUMMARY_LIMIT_BYTES } from '../src/report/markdown/comment.js';
import type { Report } from '../src/report/model.js';

const options = { marker: '<!-- frametail:comment .github/frametail.yml -->', reproduce: 'npx frametail bench --config .github/frametail.yml' };

function bloated(report: Report, size: number): Report {
  const long = (seed: string) => `${seed} ${'lorem ipsum dolor sit amet '.repeat(Math.ceil(size / 27))}`.slice(0, size);
  report.experiment.description = long('The description');
  report.experiment.name = long('Experiment');
  report.experiment.dimension.name = long('Dimension');
  report.experiment.dimension.variants = report.experiment.dimension.variants.map((v) => ({ ...v, label: long(v.label) }));
  report.experiment.inputs = report.experiment.inputs.map((i) => ({ ...i, prompt: long(i.prompt) }));
  report.experiment.configuration = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key-${i}-${long('k').slice(0, 200)}`, long('value')]));
  return report;
}

const tableHeader = /^\| Input \| .+ \|$/m;

describe.each([
  ['a 70,000-character description and labels', () => bloated(failReport(), 70_000)],
  ['a 5,000-character description on an oversized matrix', () => bloated(overflowReport(), 5_000)],
])('with %s', (_name, build) => {
  it('the comment keeps the headline and the results table with every regressed row', () => {
    const report = build();
    const comment = renderComment(report, options);
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment.split('\n')[1]).toMatch(/^### 🔴 \d+ latency regression/);
    expect(comment).toMatch(tableHeader);
    for (const cell of report.cells.filter((c) => c.verdict === 'regression')) expect(comment).toContain(`| **${cell.input}**`);
  });

  it('the check run output keeps them too, in summary and title', () => {
    const report = build();
    const output = renderCheckOutput(report, options);
    expect(output.summary.length).toBeLessThanOrEqual(CHECK_TEXT_LIMIT);
    expect(output.text.length).toBeLessThanOrEqual(CHECK_TEXT_LIMIT);
    expect(output.title.length).toBeLessThanOrEqual(255);
    expect(output.title).toMatch(/^\d+ latency regression/);
    expect(output.summary).toMatch(/^### 🔴/);
    expect(output.summary).toMatch(tableHeader);
    expect(output.summary.length).toBeGreaterThan(1_000);
  });

  it('the job summary keeps them too', () => {
    const report = build();
    const summary = renderSummary(report, options);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(summary).toMatch(tableHeader);
    expect(summary.split('\n')[1]).toMatch(/^### 🔴/);
  });

  it('the verdict sentence stays short whatever the labels', () => {
    expect(verdictSentence(build()).length).toBeLessThan(600);
  });
});
