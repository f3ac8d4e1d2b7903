/**
 * The PR comment, job summary and check output: golden files for a passing, failing, inconclusive,
 * overflowing (60 cells) and hostile report, plus the budget and escaping guarantees around them.
 * Regenerate the golden files with: UPDATE_GOLDEN=1 npx vitest run tests/report-markdown.test.ts
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURES, INJECTIONS, failReport, inconclusiveReport, injectionReport, overflowReport, passReport } from '../fixtures/reports/build.js';
import { verdictSentence } from '../src/report/headline.js';
import { cellName, regressedCells } from '../src/report/matrix.js';
import { renderCheckOutput, renderComment, renderSummary, type MarkdownOptions } from '../src/report/markdown/comment.js';
import { expectGolden } from './report-golden.js';

const MARKER = '<!-- frametail:exp_3f9a1c2b7d4e -->';
const OPTIONS: MarkdownOptions = {
  marker: MARKER,
  reproduce: 'npx frametail bench --base 1a2b3c4 --head 9f8e7d6',
  sourceUrl: (file, line) => `https://github.com/acme/video/blob/9f8e7d6/${file}${line === undefined ? '' : `#L${line}`}`,
};

/** Pipes in a table row that are cell separators (not preceded by an odd run of backslashes). */
function separators(line: string): number {
  return [...line.matchAll(/(?<!\\)(?:\\\\)*\|/g)].length;
}

describe('renderComment golden files', () => {
  for (const [name, build] of Object.entries(FIXTURES)) {
    it(`renders the ${name} report as fixtures/reports/${name}.comment.md`, () => {
      expectGolden(`${name}.comment.md`, renderComment(build(), OPTIONS));
    });
  }
  it('renders the failing report as a job summary and a check run', () => {
    expectGolden('fail.summary.md', renderSummary(failReport(), OPTIONS));
    const check = renderCheckOutput(failReport(), OPTIONS);
    expectGolden('fail.check.md', `# ${check.title}\n\n${check.summary}\n\n---\n\n${check.text}\n`);
  });
});

describe('renderComment content', () => {
  it('puts the marker first and the verdict sentence on the first visible line', () => {
    const lines = renderComment(failReport(), OPTIONS).split('\n');
    expect(lines[0]).toBe(MARKER);
    expect(lines[1]).toBe('### 🔴 1 latency regression: pirouette × Wide shot +23% (8.1 s → 10.0 s); 1 success-rate regression: arm-extension × Low angle 10/10 → 7/10 completed');
  });

  it('shows the experiment page: id, status, name, description, dimension, configuration, progress', () => {
    const comment = renderComment(failReport(), OPTIONS);
    for (const text of ['exp\\_3f9a1c2b7d4e', '🔴 fail', 'Motion comparison test', 'Compare camera movements across fixed subject',
      'Camera: Subject closeup · Wide shot · Low angle', 'aspect-ratio: **16:9**', 'model: **veo-3.1-fast**', '6 / 6 cells (5 ok)']) {
      expect(comment).toContain(text);
    }
  });

  it('lays the table out with one row per input and variants as columns in task order', () => {
    const comment = renderComment(failReport(), OPTIONS);
    expect(comment).toContain('| Input | Subject closeup | Wide shot | Low angle |');
    const row = comment.split('\n').find((l) => l.startsWith('| **pirouette**'))!;
    expect(row.indexOf('⚪ 7.4 s')).toBeLessThan(row.indexOf('🔴 **10.0 s +23%**'));
  });

  it('explains the regressed cell by its top operations with source links and one statistics line', () => {
    const comment = renderComment(failReport(), OPTIONS);
    expect(comment).toContain('[video-pipeline/decode.mjs:42](https://github.com/acme/video/blob/9f8e7d6/examples/video-pipeline/decode.mjs#L42)');
    expect(comment).toMatch(/Latency: Wilcoxon signed-rank, exact, 10 rounds \(10 pairs\), ratio 1\.23 \\\[1\.16, 1\.30\\\] 90% CI, p=0\.001, q=0\.003/);
    const operations = comment.split('\n').filter((l) => /^\| (🔺 )?generate\//.test(l));
    expect(operations).toHaveLength(5);
    expect(operations[0]).toContain('generate/decode');
    // Only spans whose own comparison is a regression carry the cause mark.
    const cell = failReport().cells.find((c) => c.verdict === 'regression' && c.latency?.verdict === 'regression')!;
    const significant = cell.spans.filter((s) => s.verdict === 'regression').map((s) => s.path);
    for (const line of operations) {
      const path = /generate\/[^ |]*/.exec(line)![0];
      expect(line.startsWith('| 🔺 ')).toBe(significant.includes(path));
    }
  });

  it('ends with both SHAs and the reproduce command', () => {
    const comment = renderComment(failReport(), OPTIONS);
    expect(comment).toContain('@ 1a2b3c4');
    expect(comment).toContain('@ 9f8e7d6');
    expect(comment.trimEnd().endsWith('```sh\nnpx frametail bench --base 1a2b3c4 --head 9f8e7d6\n```')).toBe(true);
  });

  it('draws a mermaid xychart with one bar per cell and the threshold line', () => {
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(renderComment(failReport(), OPTIONS))![1]!;
    expect(chart).toContain('xychart-beta horizontal');
    expect(chart).toContain('bar [101, 123.4, 101, 101, 101, 102]');
    expect(chart).toContain('line [105, 105, 105, 105, 105, 105]');
  });

  it('says "no regression" for a passing report, lists no cell details, and says what the data rule out', () => {
    const comment = renderComment(passReport(), OPTIONS);
    expect(comment.split('\n')[1]).toBe('### ✅ No regression: 6 cells unchanged');
    expect(comment).not.toMatch(/<details><summary>(🔴|🟢|⚪|🟡)/u);
    expect(comment).toContain('<details><summary>What the data rule out, per cell (median, p90, far-out runs set aside)</summary>');
    expect(comment).toContain('| pirouette × Subject closeup | ⚪ unchanged | 7.4 s → 7.4 s | 7.6 s → 7.7 s | 0 / 0 | a slowdown above +4.6% is ruled out |');
  });

  it('tells an inconclusive cell how many more rounds would likely settle it', () => {
    const comment = renderComment(inconclusiveReport(), OPTIONS);
    expect(comment).toMatch(/\| pirouette × Subject closeup \| 🟡 inconclusive \|.*\| a slowdown above \+12% is ruled out; about 12 more rounds would likely settle it \|/u);
  });

  it('drops a marker that is not a single HTML comment instead of trusting it', () => {
    const comment = renderComment(passReport(), { ...OPTIONS, marker: '<!-- x --> <script>' });
    expect(comment.startsWith('\n### ✅')).toBe(true);
  });
});

describe('budget', () => {
  it('fits the 60-cell matrix into 65,536 characters with the headline and every regressed cell', () => {
    const report = overflowReport();
    const comment = renderComment(report, OPTIONS);
    expect(comment.length).toBeLessThanOrEqual(65_536);
    expect(comment).toContain(verdictSentence(report).replace(/\|/g, '\\|'));
    const regressed = regressedCells(report);
    expect(regressed.length).toBe(45);
    for (const cell of regressed) expect(comment).toContain(`<summary>🔴 ${cellName(report, cell)}:`);
    // The chart and operations beyond the top one were the first details to go.
    expect(comment).not.toContain('```mermaid');
    expect(comment).toContain('39 more operations in the job summary / HTML report');
  });

  it('collapses unchanged rows into a count before cutting anything', () => {
    const full = renderComment(passReport(), OPTIONS);
    const squeezed = renderComment(passReport(), { ...OPTIONS, maxChars: 1100 });
    expect(full.length).toBeGreaterThan(1100);
    expect(squeezed.length).toBeLessThanOrEqual(1100);
    expect(squeezed).toContain('2 inputs with every cell unchanged not shown.');
    expect(squeezed).not.toContain('truncated');
  });

  it('omits rows without a regression, with a note, when collapsing is not enough', () => {
    const report = overflowReport();
    const comment = renderComment(report, { ...OPTIONS, maxChars: 15_000 });
    expect(comment.length).toBeLessThanOrEqual(15_000);
    expect(comment).toMatch(/… \d+ more cells? (details? )?in the job summary \/ HTML report|Report truncated/);
  });

  it('never exceeds the budget and never throws, whatever the budget', () => {
    const report = overflowReport();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70_000 }), (maxChars) => {
        expect(renderComment(report, { ...OPTIONS, maxChars }).length).toBeLessThanOrEqual(maxChars);
      }),
      { numRuns: 25 },
    );
  });

  it('keeps the job summary under 1 MiB of UTF-8 and check output under 65,535 characters', () => {
    const report = overflowReport();
    expect(new TextEncoder().encode(renderSummary(report, OPTIONS)).length).toBeLessThanOrEqual(1_048_576);
    const small = renderSummary(report, { ...OPTIONS, maxChars: 50_000 });
    expect(new TextEncoder().encode(small).length).toBeLessThanOrEqual(50_000);
    const check = renderCheckOutput(report, OPTIONS);
    expect(check.summary.length).toBeLessThanOrEqual(65_535);
    expect(check.text.length).toBeLessThanOrEqual(65_535);
  });

  it('gives the job summary more detail than the comment', () => {
    const summary = renderSummary(failReport(), OPTIONS);
    expect(summary).toContain('generate/preprocess/tokenize');
    expect(renderComment(failReport(), OPTIONS)).not.toContain('generate/preprocess/tokenize');
  });
});

describe('hostile strings', () => {
  const comment = renderComment(injectionReport(), OPTIONS);
  const summary = renderSummary(injectionReport(), OPTIONS);

  it('cannot forge the hidden marker, inject HTML or ping anyone', () => {
    for (const doc of [comment, summary]) {
      expect(doc.split('<!-- frametail:')).toHaveLength(2);
      expect(doc).not.toMatch(/<script|<img|onerror=alert\(1\)>/);
      expect(doc).not.toMatch(/@(?:octocat|github)/);
      expect(doc).not.toMatch(/(?<!\\)\]\(javascript:/);
    }
  });

  it('keeps every table row at its column count', () => {
    for (const doc of [comment, summary]) {
      const lines = doc.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!/^\|.*\|$/.test(lines[i]!) || lines[i - 1]?.startsWith('|')) continue;
        const width = separators(lines[i]!);
        for (let j = i + 1; lines[j]?.startsWith('|'); j++) expect(separators(lines[j]!), lines[j]).toBe(width);
      }
    }
  });

  it('keeps mermaid labels inside their quotes', () => {
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(comment)![1]!;
    const axis = chart.split('\n').find((l) => l.trimStart().startsWith('x-axis'))!;
    expect(axis).toMatch(/^ {2}x-axis \[("[\p{L}\p{N} ._+×…-]*", )*"[\p{L}\p{N} ._+×…-]*"\]$/u);
    expect(chart).not.toContain('%%{');
    expect(chart.split('\n')).toHaveLength(6);
  });

  it('puts a hostile ref in the footer as text, and the prompt newlines as spaces', () => {
    expect(comment).toContain('feature/&lt;\\!-- frametail:exp\\_000000000000 --&gt;');
    expect(comment).toContain('line one # heading - list item');
    expect(INJECTIONS.newline).toContain('\n');
  });
});

describe('any untrusted string', () => {
  const ALLOWED_TAGS = /^<(?:br|sub|\/sub|details|\/details|summary|\/summary)>/;

  it('leaves one marker, only our own tags, no mentions and intact tables, in comment, summary and check', () => {
    const hostileText = fc.string({ unit: fc.constantFrom('|', '\\', '`', '<', '>', '!', '-', '@', 'a', 'b', '_', '\n', '#', '[', ']', '(', ')', ' ', '"', '%', '*', '&', ':') , maxLength: 40 });
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: 8, maxLength: 8 }), (s) => {
        const report = failReport();
        report.experiment.name = s[0]!;
        report.experiment.description = s[1]!;
        report.experiment.dimension.variants[1]!.label = s[2]!;
        report.experiment.inputs[0]!.prompt = s[3]!;
        report.experiment.configuration = { [s[4]!]: s[5]! };
        const regressed = report.cells.find((c) => c.verdict === 'regression' && c.spans.length > 0)!;
        regressed.spans[0]!.path = s[6]!;
        regressed.notes = [s[7]!];
        report.warnings = [s[7]!];
        report.sides.head.ref = s[6]!;
        const check = renderCheckOutput(report, OPTIONS);
        for (const doc of [renderComment(report, OPTIONS), renderSummary(report, OPTIONS), check.summary, check.text]) {
          const withoutMarker = doc.startsWith(MARKER) ? doc.slice(MARKER.length) : doc;
          expect(withoutMarker).not.toContain('<!--');
          for (const m of withoutMarker.matchAll(/</g)) expect(withoutMarker.slice(m.index, m.index + 12)).toMatch(ALLOWED_TAGS);
          expect(doc).not.toMatch(/@[\p{L}\p{N}_]/u);
          const lines = doc.split('\n');
          for (let i = 0; i < lines.length; i++) {
            if (!lines[i]!.startsWith('|') || lines[i - 1]?.startsWith('|')) continue;
            const width = separators(lines[i]!);
            for (let j = i + 1; lines[j]?.startsWith('|'); j++) expect(separators(lines[j]!)).toBe(width);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
