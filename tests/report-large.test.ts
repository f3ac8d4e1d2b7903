/**
 * A 5,000-cell matrix (715 regressions) in the comment, the job summary and the check run: each fits its
 * GitHub limit with the headline, the results table with the worst regressions first, the details of the
 * worst cells, the footer, and a note counting every cell left out. (It once came out as the experiment
 * header alone, after 1.8 s of rendering every level of detail; the time is measured by
 * `npm run bench:compare`, not here.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largeReport } from '../fixtures/reports/build.js';
import { cellName, regressedCells } from '../src/report/matrix.js';
import { CHECK_TEXT_LIMIT, COMMENT_LIMIT, renderCheckOutput, renderComment, renderSummary, SUMMARY_LIMIT_BYTES } from '../src/report/markdown/comment.js';
import type { Report } from '../src/report/model.js';

const OPTIONS = { marker: '<!-- frametail:comment .github/frametail.yml -->', reproduce: 'npx frametail bench --config .github/frametail.yml' };
const report = largeReport();
const VARIANTS = report.experiment.dimension.variants.length;

/** The input ids of the results table's rows, in the order shown. */
function tableRows(doc: string): string[] {
  return [...doc.matchAll(/^\| \*\*(input-\d+)\*\*/gm)].map((m) => m[1]!);
}

/** Input rows ordered as "worst regression first": by the highest latency ratio among the row's regressed cells. */
function worstRowsFirst(r: Report): string[] {
  const worst = new Map<string, number>();
  for (const cell of regressedCells(r)) worst.set(cell.input, Math.max(worst.get(cell.input) ?? 0, cell.latency!.ratio));
  const index = new Map(r.experiment.inputs.map((input, i) => [input.id, i]));
  return [...worst.entries()].sort((a, b) => b[1] - a[1] || index.get(a[0])! - index.get(b[0])!).map(([id]) => id);
}

/** The number in "… N more cells in <where>", or 0 when there is no such note. */
function moreCells(doc: string): number {
  const match = /… (\d+) more cells? in /.exec(doc);
  return match ? Number(match[1]) : 0;
}

describe('a 5,000-cell report', () => {
  it('is what the test says it is: 500 inputs × 10 variants, 715 regressions', () => {
    expect(report.cells).toHaveLength(5000);
    expect(report.summary.regression).toBe(715);
  });

  it('the comment fits 65,536 characters with the headline, the worst regressions first, their details and the footer', () => {
    const comment = renderComment(report, OPTIONS);
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    // Not a header-only comment: it uses most of its room.
    expect(comment.length).toBeGreaterThan(COMMENT_LIMIT * 0.8);
    expect(comment.split('\n')[1]).toMatch(/^### 🔴 715 latency regressions: /);
    expect(comment).toMatch(/^\| Input \| Variant 0 \| Variant 1 \|/m);

    const rows = tableRows(comment);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows).toEqual(worstRowsFirst(report).slice(0, rows.length));
    expect(moreCells(comment)).toBe(5000 - rows.length * VARIANTS);
    expect(comment).toContain(`… ${5000 - rows.length * VARIANTS} more cells in the job summary / HTML report`);

    const worst = regressedCells(report);
    const details = [...comment.matchAll(/<details><summary>🔴 (.+?):/g)].map((m) => m[1]);
    expect(details.length).toBeGreaterThan(10);
    expect(details).toEqual(worst.slice(0, details.length).map((c) => cellName(report, c)));
    expect(comment).toContain(`… ${715 - details.length} more cell details in the job summary / HTML report`);
    expect(comment).toContain('Reproduce locally:');
    expect(comment.trimEnd().endsWith('```')).toBe(true);
  });

  it('the job summary fits 1 MiB of UTF-8 with every row and every regressed cell, at less detail', () => {
    const summary = renderSummary(report, OPTIONS);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(summary.split('\n')[1]).toMatch(/^### 🔴 715 latency regressions/);
    expect(tableRows(summary)).toEqual(report.experiment.inputs.map((i) => i.id));
    expect(summary.match(/<details><summary>🔴 /g)).toHaveLength(715);
    expect(moreCells(summary)).toBe(0);
    expect(summary).toContain('Reproduce locally:');
  });

  it('a job summary too small for everything points at the HTML report and report.json for the rest', () => {
    const summary = renderSummary(report, { ...OPTIONS, maxChars: 200_000 });
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(200_000);
    const rows = tableRows(summary);
    expect(rows).toEqual(worstRowsFirst(report).slice(0, rows.length));
    expect(summary).toContain(`… ${5000 - rows.length * VARIANTS} more cells in the HTML report / report.json`);
  });

  it('the check run summary and text each fit 65,535 characters: the table in one, the worst details and the footer in the other', () => {
    const output = renderCheckOutput(report, OPTIONS);
    expect(output.summary.length).toBeLessThanOrEqual(CHECK_TEXT_LIMIT);
    expect(output.text.length).toBeLessThanOrEqual(CHECK_TEXT_LIMIT);
    expect(output.summary).toMatch(/^### 🔴 715 latency regressions/);
    const rows = tableRows(output.summary);
    expect(rows).toEqual(worstRowsFirst(report).slice(0, rows.length));
    expect(moreCells(output.summary)).toBe(5000 - rows.length * VARIANTS);
    expect(output.text).toContain(`<details><summary>🔴 ${cellName(report, regressedCells(report)[0]!)}:`);
    expect(output.text).toContain('Reproduce locally:');
  });

  it('whatever the budget: within it, and every cell is either shown or counted', () => {
    const small = largeReport(60, 10);
    fc.assert(
      fc.property(fc.integer({ min: 3_000, max: 70_000 }), (maxChars) => {
        const comment = renderComment(small, { ...OPTIONS, maxChars });
        expect(comment.length).toBeLessThanOrEqual(maxChars);
        if (comment.includes('Report truncated')) return;
        const rows = tableRows(comment);
        expect(rows.length * VARIANTS + moreCells(comment)).toBe(600);
      }),
      { numRuns: 20 },
    );
  });
});
