import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunIds } from './run-ids.js';

describe('RunIds', () => {
  it('finds the first run of every repeated id, as a Map of ids would, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.nat(3000).map((n) => `run-${n}`)), { maxLength: 5000 }), (ids) => {
        const kept: string[] = [];
        const table = new RunIds((index) => kept[index]!);
        const model = new Map<string, number>();
        for (const id of ids) {
          const found = table.addOrFind(id, kept.length);
          expect(found).toBe(model.get(id));
          if (found === undefined) {
            model.set(id, kept.length);
            kept.push(id);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
