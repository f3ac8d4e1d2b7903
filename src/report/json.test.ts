import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failReport, inconclusiveReport, injectionReport, overflowReport, passReport } from '../../fixtures/reports/build.js';
import { COMPACT_CELLS, reportJsonBatches, reportJsonChunks, reportJsonText } from './json.js';
import type { Report } from './model.js';

const joined = (value: unknown) => [...reportJsonChunks(value as Report)].join('');

describe('reportJsonChunks', () => {
  it("writes the golden fixtures' reports byte for byte as JSON.stringify(report, null, 2)", () => {
    const reports = [passReport(), failReport(), inconclusiveReport(), overflowReport(), injectionReport()];
    for (const report of reports) expect(joined(report)).toBe(JSON.stringify(report, null, 2));
  });

  it('is JSON.stringify(value, null, 2) for any object, cells or not, nested strings with line breaks included', () => {
    const cells = fc.array(fc.oneof(fc.jsonValue(), fc.constant(undefined)), { maxLength: 5 });
    const report = fc.record({ schema: fc.string(), cells, warnings: fc.array(fc.string()), extra: fc.oneof(fc.jsonValue(), fc.constant(undefined)) }, { requiredKeys: [] });
    fc.assert(
      fc.property(report, (value) => {
        expect(joined(value)).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 500 },
    );
  });

  it(`beyond ${COMPACT_CELLS} cells, writes each cell as one compact line in the indented report, the same JSON value`, () => {
    const cell = { input: 'a "quoted"\nprompt', variant: 'v', base: { samplesMs: [1.5, 2, -0] }, notes: ['x'] };
    const report = { schema: 'frametail.report/1', cells: Array.from({ length: COMPACT_CELLS + 1 }, (_, i) => ({ ...cell, round: i })), warnings: ['w'] };
    const text = reportJsonText(report as unknown as Report);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
    const lines = text.split('\n');
    expect(lines[0]).toBe('{');
    expect(lines.filter((line) => line.startsWith('    {"input":'))).toHaveLength(COMPACT_CELLS + 1);
    expect(lines[lines.indexOf('  "warnings": [') + 1]).toBe('    "w"');
    expect(text.endsWith('}\n')).toBe(true);
    // At COMPACT_CELLS cells, still JSON.stringify(report, null, 2).
    const small = { ...report, cells: report.cells.slice(0, COMPACT_CELLS) };
    expect(reportJsonText(small as unknown as Report)).toBe(JSON.stringify(small, null, 2) + '\n');
  });

  it('batches the text into pieces of about the size asked, whose concatenation is the whole text', () => {
    const report = { schema: 's', cells: Array.from({ length: 50 }, (_, i) => ({ i, text: 'x'.repeat(100) })) } as unknown as Report;
    const pieces = [...reportJsonBatches(report, 1000)];
    expect(pieces.length).toBeGreaterThan(5);
    for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(1000);
    expect(pieces.join('')).toBe(JSON.stringify(report, null, 2) + '\n');
  });

  it('streams a cell at a time', () => {
    const chunks = [...reportJsonChunks({ schema: 's', cells: [{ a: 1 }, { b: 2 }, { c: 3 }] } as unknown as Report)];
    expect(chunks.filter((c) => /"[abc]"/.test(c))).toHaveLength(3);
  });
});
