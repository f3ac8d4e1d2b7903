import { describe, expect, it } from 'vitest';
import { compareResults } from '../src/compare/compare.js';
import { resultsFixture } from '../src/compare/results-fixture.js';
import { DEFAULT_GATE } from '../src/compare/settings.js';
import { renderHtml } from '../src/report/html/render.js';
import { renderCheckOutput, renderComment, renderSummary } from '../src/report/markdown/comment.js';
import { renderTerminal } from '../src/report/terminal.js';
import type { ResultsFile } from '../src/results/read.js';

const NOISE = [1.0, 0.97, 1.03, 0.99, 1.02, 0.98, 1.01, 1.04, 0.96, 1.005];

/** The case: base timed by its root span (33 ms), head's traces unreadable so its runs fell back to wall time (2.7 s). */
function sides(): { base: ResultsFile; head: ResultsFile } {
  const base = resultsFixture('base', { 'pirouette/wide': NOISE.map((n) => 33 * n) });
  const head = resultsFixture('head', { 'pirouette/wide': NOISE.map((n) => 2700 * n) });
  for (const run of base.runs) Object.assign(run, { latencySource: 'root', latencyReason: 'root span "pipeline"' });
  for (const run of head.runs) {
    Object.assign(run, {
      latencySource: 'wall',
      latencyReason: 'no spans arrived; trace file trace.json.gz: gzip data is broken',
      traceErrors: ['trace.json.gz: gzip data is broken (unexpected end of file)'],
    });
  }
  return { base, head };
}

describe('latency source in the report', () => {
  const { base, head } = sides();
  const report = compareResults({ base, head, gate: DEFAULT_GATE });
  const cell = report.cells[0]!;

  it('records each side\'s latency sources in the model and flags the unreadable traces in the cell\'s notes', () => {
    expect(cell.base.latencySources).toEqual({ root: 10 });
    expect(cell.head.latencySources).toEqual({ wall: 10 });
    expect(cell.notes[0]).toBe('10 of 10 head runs had a trace file that could not be read (trace.json.gz: gzip data is broken (unexpected end of file)): latency from wall ×10');
    expect(cell.notes[1]).toMatch(/^latency measured differently on the two sides \(base: root ×10; head: wall ×10\)/);
    expect(report.warnings.some((w) => w.startsWith('trace files could not be read in 0 base and 10 head runs (1 cell)'))).toBe(true);
  });

  it('says so in every format: comment, summary, check run, HTML, terminal and JSON', () => {
    const options = { marker: '<!-- frametail:test -->', reproduce: 'frametail compare base.jsonl head.jsonl' };
    const check = renderCheckOutput(report, options);
    const outputs = {
      comment: renderComment(report, options),
      summary: renderSummary(report, options),
      check: `${check.summary}\n${check.text}`,
      html: renderHtml(report),
      terminal: renderTerminal(report, { color: false, width: 200 }),
      json: JSON.stringify(report),
    };
    for (const [format, text] of Object.entries(outputs)) {
      expect(text, format).toContain('trace files could not be read in 0 base and 10 head runs');
    }
  });

  it('says when several trace files of a run were merged into one trace', () => {
    const base = resultsFixture('base', { 'a/b': NOISE.map((n) => 33 * n) });
    const head = resultsFixture('head', { 'a/b': NOISE.map((n) => 34 * n) });
    for (const run of [...base.runs, ...head.runs]) {
      Object.assign(run, { latencySource: 'root', latencyReason: 'root span "trace"; 2 trace files merged into one trace (they share one clock)' });
    }
    const merged = compareResults({ base, head, gate: DEFAULT_GATE });
    expect(merged.cells[0]!.notes).toContain('base runs: 2 trace files merged into one trace (they share one clock)');
    expect(merged.cells[0]!.notes.some((n) => n.startsWith('latency measured differently'))).toBe(false);
  });

  it('adds nothing for runs that read their traces and measured both sides alike', () => {
    const plain = compareResults({
      base: resultsFixture('base', { 'a/b': NOISE.map((n) => 33 * n) }),
      head: resultsFixture('head', { 'a/b': NOISE.map((n) => 33 * n) }),
      gate: DEFAULT_GATE,
    });
    expect(plain.cells[0]!.notes.some((n) => n.includes('trace') || n.includes('latency measured'))).toBe(false);
    expect(plain.cells[0]!.base.latencySources).toBeUndefined();
    expect(plain.warnings).toEqual([]);
  });
});
