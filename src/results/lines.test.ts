import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bufferLines, stringLines } from './lines.js';

describe('bufferLines', () => {
  it('gives the lines stringLines gives, for lines that cross the 1 MiB chunks the bytes are read in', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 20 }).map((s) => s.replaceAll('\n', ' ')),
      fc.constantFrom('', '\r', '{"a":1}\r', 'é😀'),
      fc.integer({ min: 1, max: 3000 }).map((n) => 'x'.repeat(n)),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1024 * 1024 - 40, max: 1024 * 1024 + 40 }), fc.array(line, { maxLength: 30 }), fc.boolean(), (lead, lines, newlineAtEnd) => {
        // A first line that ends near the chunk boundary, so the lines after it straddle it.
        const text = ['l'.repeat(lead - 1), ...lines].join('\n') + (newlineAtEnd ? '\n' : '');
        const max = 2000;
        expect([...bufferLines(Buffer.from(text), max)]).toEqual([...stringLines(text, max)]);
      }),
      { numRuns: 60 },
    );
  });
});
