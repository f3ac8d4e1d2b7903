/**
 * "Honest green" and the tail in every renderer: what the data rule out for each cell that is not a
 * regression, how many more rounds would likely settle an inconclusive cell, p90 per side beside the
 * median, far-out runs set aside per side, and the matrix-level tail test in the headline.
 */
import { describe, expect, it } from 'vitest';
import { failReport, inconclusiveReport, passReport } from '../fixtures/reports/build.js';
import { pooledSuccessText, ruledOutText, setAsideText, spreadText } from '../src/report/assurance.js';
import { renderComment } from '../src/report/markdown/comment.js';
import { verdictSentence } from '../src/report/headline.js';
import { renderHtml } from '../src/report/html/render.js';
import type { Report } from '../src/report/model.js';
import { renderTerminal } from '../src/report/terminal.js';

describe('what the data rule out', () => {
  it('states the smallest slowdown ruled out for cells that are not regressions, and nothing for a regression', () => {
    const report = failReport();
    expect(ruledOutText(report.cells[0]!)).toBe('a slowdown above +4.6% is ruled out');
    expect(ruledOutText(report.cells[1]!)).toBeUndefined();
    const improved = { ...report.cells[0]!, latency: { ...report.cells[0]!.latency!, verdict: 'improvement' as const, ruledOut: { above: 0.94, level: 0.02 } } };
    expect(ruledOutText(improved)).toBe('any change above −6% is ruled out (head is faster)');
    const tooFew = { ...report.cells[0]!, latency: { ...report.cells[0]!.latency!, ruledOut: undefined } };
    expect(ruledOutText(tooFew)).toBe('too few runs to rule out any slowdown');
  });

  it('says how many more rounds would likely settle an inconclusive cell, in the HTML and the terminal', () => {
    const report = inconclusiveReport();
    const text = 'a slowdown above +12% is ruled out; about 12 more rounds would likely settle it';
    expect(ruledOutText(report.cells[0]!)).toBe(text);
    expect(renderHtml(report)).toContain(`<td data-testid="ruled-out">${text}</td>`);
    expect(renderTerminal(report, { color: false, width: 120 })).toContain(`? pirouette × Subject closeup: ${text}`);
  });

  it('shows p90 beside the median, and the far-out runs set aside per side', () => {
    const cell = passReport().cells[0]!;
    expect(spreadText(cell)).toBe('median 7.4 s → 7.4 s · p90 7.6 s → 7.7 s');
    expect(setAsideText(cell)).toBe('no far-out run set aside');
    const withFarOut = { ...cell, latency: { ...cell.latency!, farOut: { base: 1, head: 3 } } };
    expect(setAsideText(withFarOut)).toBe('far-out runs set aside: 1 base, 3 head');
    expect(renderHtml({ ...passReport(), cells: [withFarOut] })).toContain('<td class="num">7.6 s → 7.7 s</td><td>far-out runs set aside: 1 base, 3 head</td>');
  });

  it('names a grown slow tail in the headline when the matrix-level tail test fails the PR', () => {
    const report: Report = {
      ...passReport(),
      verdict: 'fail',
      pooledTail: { test: 'far-out-sides', base: 2, head: 14, p: 0.0016, q: 0.011, verdict: 'regression', reason: '14 slow far-out runs on head, 2 on base: q 0.011 ≤ 0.018, head\'s slow tail grew' },
    };
    expect(verdictSentence(report)).toBe('Slow tail grew across the matrix: 14 far-out runs on head, 2 on base');
    expect(renderHtml(report)).toContain('Slow far-out runs over the matrix (regression): 14 slow far-out runs on head, 2 on base');
  });

  it('gives the pooled success test’s numbers, test and share in the comment and the HTML when runs failed, and nothing when none did', () => {
    const base = { ok: 120, total: 120, rate: 1, ciLow: 0.98, ciHigh: 1 };
    const head = { ok: 114, total: 120, rate: 0.95, ciLow: 0.91, ciHigh: 0.98 };
    const pooled = { test: 'barnard' as const, base, head, newFailures: 6, p: 0.0068, q: 0.0097, alphaShare: 0.7, verdict: 'regression' as const, reason: '6 new failures: q 0.0097 ≤ 0.018, at its own 70% share of α' };
    const report: Report = { ...passReport(), verdict: 'fail', pooledSuccess: pooled };
    const text = "Failed runs over the matrix (regression): head 114/120 vs base 120/120 completed, Barnard's exact test, p=0.007, q=0.010: 6 new failures: q 0.0097 ≤ 0.018, at its own 70% share of α";
    expect(pooledSuccessText(report)).toBe(text);
    expect(renderHtml(report)).toContain(text.replace("'", '&#39;'));
    expect(renderComment(report, { marker: '<!-- m -->', reproduce: 'npx frametail bench' })).toContain("Failed runs over the matrix (regression): head 114/120 vs base 120/120 completed, Barnard's exact test");
    expect(pooledSuccessText({ ...report, pooledSuccess: { ...pooled, head: base, newFailures: 0 } })).toBeUndefined();
  });
});
