/**
 * The terminal report: aligned columns, colors only when asked, control characters from untrusted
 * strings scrubbed, and cells without latency handled. Golden file: fixtures/reports/fail.terminal.txt
 * (regenerate with UPDATE_GOLDEN=1 npx vitest run tests/report-terminal.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { cell, failReport, injectionReport, passReport } from '../fixtures/reports/build.js';
import { renderTerminal } from '../src/report/terminal.js';
import { displayWidth } from '../src/report/terminal-text.js';
import { expectGolden } from './report-golden.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('renderTerminal', () => {
  it('matches the golden file for a failing report, without color', () => {
    expectGolden('fail.terminal.txt', renderTerminal(failReport(), { color: false, width: 120 }));
  });

  it('shows the header, each cell as "completed base → head change mark verdict", then causes', () => {
    const out = renderTerminal(failReport(), { color: false, width: 120 });
    expect(out).toContain('Motion comparison test  exp_3f9a1c2b7d4e');
    expect(out).toContain('6 / 6 cells (5 ok)');
    expect(out).toContain('completed 8.1 s → 10.0 s');
    expect(out).toContain('+23% ▲ regression');
    expect(out).toContain('3 failed 9.6 s → 9.8 s');
    expect(out).toContain('cause: generate/decode +1.1 s on critical path  examples/video-pipeline/decode.mjs:42');
  });

  it('aligns every table column: each cell starts at the same column on every row', () => {
    const lines = renderTerminal(failReport(), { color: false, width: 120 }).split('\n');
    const start = lines.findIndex((l) => l.startsWith('Input'));
    const header = lines[start]!;
    const column = (label: string) => displayWidth(header.slice(0, header.indexOf(label)));
    const wide = column('Wide shot');
    for (const line of lines.slice(start + 2, start + 6)) {
      const before = [...line].slice(0, wide).join('');
      expect(displayWidth(before)).toBe(wide);
      expect(line[before.length - 1]).toBe(' ');
      expect(line[before.length]).not.toBe(' ');
    }
  });

  it('prints one variant per line when the columns do not fit the terminal, keeping every table line inside it', () => {
    const out = renderTerminal(failReport(), { color: false, width: 72 });
    const lines = out.split('\n');
    const start = lines.findIndex((l) => l.startsWith('pirouette'));
    expect(lines.some((l) => l.startsWith('Input'))).toBe(false);
    expect(lines.slice(start, start + 8)).toEqual([
      expect.stringMatching(/^pirouette {2}A ballet dancer/),
      '  Subject closeup   completed 7.4 s → 7.4 s    +1% = unchanged',
      '  Wide shot         completed 8.1 s → 10.0 s   +23% ▲ regression',
      '  Low angle         completed 9.0 s → 9.1 s    +1% = unchanged',
      expect.stringMatching(/^arm-extension {2}The dancer/),
      '  Subject closeup   completed 8.1 s → 8.1 s    +1% = unchanged',
      '  Wide shot         completed 8.8 s → 9.0 s    +1% = unchanged',
      '  Low angle         3 failed 9.6 s → 9.8 s     +2% ▲ success regression',
    ]);
    for (const line of lines.slice(start, start + 8)) expect(displayWidth(line)).toBeLessThanOrEqual(72);
    // Wide enough for the columns, the table stays a table.
    expect(renderTerminal(failReport(), { color: false, width: 120 })).toMatch(/^Input {2,}Subject closeup/m);
  });

  it('colors only when asked', () => {
    expect(renderTerminal(failReport(), { color: false })).not.toMatch(ANSI);
    const colored = renderTerminal(failReport(), { color: true });
    expect(colored).toContain('\u001b[31m▲ regression\u001b[39m');
    expect(renderTerminal(passReport(), { color: true })).toContain('\u001b[32m');
  });

  it('scrubs control characters from untrusted strings so they cannot recolor the terminal', () => {
    const report = injectionReport();
    report.experiment.inputs[0]!.prompt = 'evil \u001b[2J\u001b[31mred\u0007 prompt';
    report.warnings.push('warning with \u001b]0;title\u0007 escape');
    const out = renderTerminal(report, { color: false, width: 200 });
    expect(out).not.toMatch(ANSI);
    expect(out).not.toContain('\u0007');
    expect(out).toContain('<script>alert("x")</script>');
  });

  it('renders cells where every head run timed out, with no latency test', () => {
    const report = failReport();
    const timedOut = cell({ input: 'pirouette', variant: 'closeup', baseMs: 7400, ratio: 1, seed: 99 });
    timedOut.head = { runs: 10, ok: 0, failed: 0, timeout: 10, medianMs: null, samplesMs: [] };
    timedOut.latency = null;
    report.cells[0] = timedOut;
    const out = renderTerminal(report, { color: false });
    expect(out).toContain('10 timeout 7.4 s → —');
    expect(out).toContain('no test');
  });
});
