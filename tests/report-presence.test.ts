// A new operation in head (and one head removed) in every report format: the mark, the absent side, and
// the new operation named as the cause (issue 11 item 1).
import { describe, expect, it } from 'vitest';
import { compareResults } from '../src/compare/compare.js';
import { resultsFixture } from '../src/compare/results-fixture.js';
import { DEFAULT_GATE } from '../src/compare/settings.js';
import { renderHtml } from '../src/report/html/render.js';
import { renderCheckOutput, renderComment, renderSummary } from '../src/report/markdown/comment.js';
import { renderTerminal } from '../src/report/terminal.js';
import type { SpanPathMetrics } from '../src/traces/span.js';

const NOISE = [1.0, 0.97, 1.03, 0.99, 1.02, 0.98, 1.01, 1.04, 0.96, 1.005];
const SHARPEN = [134, 210, 346, 180, 150, 290, 141, 200, 260, 170];

function metrics(runId: string): SpanPathMetrics[] {
  const [side, , , , roundText] = runId.split('-') as [string, string, string, string, string];
  const round = Number(roundText) - 1;
  const sharpen = side === 'head' ? SHARPEN[round]! : 0;
  const span = (path: string, totalMs: number, onCriticalPath: boolean, code?: SpanPathMetrics['code']): SpanPathMetrics => ({
    path, name: path.split('/').at(-1)!, count: 1, totalMs, selfMs: totalMs, criticalMs: onCriticalPath ? totalMs : 0, onCriticalPath, errors: 0, ...(code ? { code } : {}),
  });
  const decode = 1500 * NOISE[round]! + sharpen;
  const list = [span('generate', decode + 500, true), span('generate/decode', decode, true)];
  if (side === 'head') list.push(span('generate/decode/decode.sharpen', sharpen, true, { file: 'pipeline/sharpen.py', line: 7 }));
  else list.push(span('generate/legacy.cleanup', 2, false));
  return list;
}

const report = compareResults({
  base: resultsFixture('base', { 'pirouette/wide': NOISE.map((n) => 2000 * n) }, { noRounds: true }),
  head: resultsFixture('head', { 'pirouette/wide': NOISE.map((n, i) => 2000 * n + SHARPEN[i]!) }, { noRounds: true }),
  gate: DEFAULT_GATE,
  spanMetrics: metrics,
});
const options = { marker: '<!-- frametail:test -->', reproduce: 'frametail compare base.jsonl head.jsonl' };

describe('a new operation in every report format', () => {
  it('is a regression of the cell, and the JSON report marks the span entry with its presence', () => {
    expect(report.cells[0]!.verdict).toBe('regression');
    const json = JSON.parse(JSON.stringify(report)) as typeof report;
    const spans = Object.fromEntries(json.cells[0]!.spans.map((s) => [s.path, s]));
    expect(spans['generate/decode/decode.sharpen']).toMatchObject({ presence: 'head-only', baseMs: 0, ratio: null, verdict: 'regression' });
    expect(spans['generate/legacy.cleanup']).toMatchObject({ presence: 'base-only', headMs: 0, ratio: null });
    expect(spans['generate/decode']!.presence).toBeUndefined();
  });

  it('comment, job summary and check text name the new operation as the cause and mark it new', () => {
    for (const text of [renderComment(report, options), renderSummary(report, options), renderCheckOutput(report, options).text]) {
      expect(text).toMatch(/🔺 New operation \*\*generate\/decode\/decode\.sharpen\*\* \+190 ms on the critical path \(absent on base, compared as 0 ms\)/);
      expect(text).toMatch(/\| 🔺 🆕 \*\*new\*\* generate\/decode\/decode\.sharpen \| absent \| 190 ms \|/);
    }
    expect(renderSummary(report, options)).toMatch(/\| ➖ \*\*removed\*\* generate\/legacy\.cleanup <sub>\(off critical path\)<\/sub> \| 2\.0 ms \| absent \|/);
  });

  it('the HTML report badges it new, and the terminal names it as the cause', () => {
    const html = renderHtml(report);
    expect(html).toMatch(/<code>generate\/decode\/decode\.sharpen<\/code> <span class="badge new" data-testid="span-new"[^>]*>new<\/span>/);
    expect(html).toMatch(/<td class="num">absent<\/td><td class="num">190 ms<\/td>/);
    const terminal = renderTerminal(report, { color: false, width: 120 });
    expect(terminal).toMatch(/cause: new operation generate\/decode\/decode\.sharpen \+190 ms on critical path {2}pipeline\/sharpen\.py:7/);
  });
});
