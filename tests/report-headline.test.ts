/** The verdict sentence every renderer leads with: names the worst cells, counts the rest, never empty. */
import { describe, expect, it } from 'vitest';
import { failReport, inconclusiveReport, overflowReport, passReport } from '../fixtures/reports/build.js';
import { verdictSentence } from '../src/report/headline.js';

describe('verdictSentence', () => {
  it('names a latency regression with its change and medians, and a success-rate regression with its counts', () => {
    expect(verdictSentence(failReport())).toBe(
      '1 latency regression: pirouette × Wide shot +23% (8.1 s → 10.0 s); 1 success-rate regression: arm-extension × Low angle 10/10 → 7/10 completed',
    );
  });

  it('lists the two worst latency regressions first and counts the rest', () => {
    const sentence = verdictSentence(overflowReport());
    expect(sentence).toMatch(/^45 latency regressions: scene-\d\d × [\w ]+ \+19% \(.+\), scene-\d\d × [\w ]+ \+19% \(.+\) and 43 more$/);
  });

  it('says no regression for a passing report and inconclusive with the rounds run', () => {
    expect(verdictSentence(passReport())).toBe('No regression: 6 cells unchanged');
    expect(verdictSentence(inconclusiveReport())).toBe('Inconclusive: 2 of 6 cells undecided after 20 rounds; no regression found');
  });

  it('mentions improvements when nothing regressed', () => {
    const report = passReport();
    report.cells[0]!.latency!.verdict = 'improvement';
    report.cells[0]!.latency!.ratio = 0.88;
    expect(verdictSentence(report)).toMatch(/^No regression; 1 latency improvement: pirouette × Subject closeup −12% \(/);
  });

  it('says who accepted a regression with the label', () => {
    const report = failReport();
    report.accepted = { label: 'frametail:accept', by: 'octocat' };
    expect(verdictSentence(report)).toMatch(/^Accepted with label "frametail:accept" by @octocat: 1 latency regression/);
  });

  it('reports a pooled success-rate drop when no single cell regressed', () => {
    const report = passReport();
    report.pooledSuccess = { ...report.cells[0]!.success!, verdict: 'regression', base: { ok: 60, total: 60, rate: 1, ciLow: 0.94, ciHigh: 1 }, head: { ok: 54, total: 60, rate: 0.9, ciLow: 0.8, ciHigh: 0.95 } };
    expect(verdictSentence(report)).toBe('Success rate fell across the matrix: 100% → 90%');
  });

  it('never returns an empty sentence', () => {
    const report = passReport();
    report.cells = [];
    expect(verdictSentence(report)).toBe('No cells ran: nothing to compare');
  });
});
