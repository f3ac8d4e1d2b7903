import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spanLine } from '../results/write.js';
import { spanLineJson, spanLinesJson } from './lines.js';
import type { Span } from './span.js';

// Mostly normalized hex ids, sometimes any text: ids written without escaping must still give valid JSON.
const hex = (bytes: number) => fc.oneof({ weight: 4, arbitrary: fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex')) }, { weight: 1, arbitrary: fc.string({ unit: 'binary' }) });
const span: fc.Arbitrary<Span> = fc.record({
  traceId: hex(16),
  spanId: hex(8),
  parentSpanId: fc.option(hex(8), { nil: null }),
  name: fc.string({ unit: 'binary' }),
  startNs: fc.bigInt({ min: 0n, max: 2n ** 64n }),
  endNs: fc.bigInt({ min: 0n, max: 2n ** 64n }),
  status: fc.constantFrom('unset', 'ok', 'error'),
  attributes: fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.bigInt(), fc.array(fc.bigInt(), { maxLength: 3 }))),
});

describe('spanLineJson', () => {
  it('writes the same text as JSON.stringify(spanLine(…)), bigint attributes as decimal strings', () => {
    fc.assert(
      fc.property(fc.string(), span, (runId, s) => {
        expect(spanLineJson(runId, s)).toBe(JSON.stringify(spanLine(runId, s)));
      }),
      { numRuns: 300 },
    );
  });

  it('writes a batch as those lines, each ending in a newline; without a run each span is filed under its trace id', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: null }), fc.array(span, { maxLength: 5 }), (runId, spans) => {
        const expected = spans.map((s) => JSON.stringify(spanLine(runId ?? s.traceId, s)) + '\n').join('');
        expect(spanLinesJson(runId, spans)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
