import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failReport, inconclusiveReport, injectionReport, overflowReport, passReport } from '../../fixtures/reports/build.js';
import { reportJsonChunks } from './json.js';
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

  it('streams a cell at a time', () => {
    const chunks = [...reportJsonChunks({ schema: 's', cells: [{ a: 1 }, { b: 2 }, { c: 3 }] } as unknown as Report)];
    expect(chunks.filter((c) => /"[abc]"/.test(c))).toHaveLength(3);
  });
});
