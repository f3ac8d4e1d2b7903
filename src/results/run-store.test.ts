import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSides } from '../compare/sides.js';
import type { RunLine } from './format.js';
import { parseResults, runCount, runSourceOf } from './read.js';
import { slimRunLine } from './run-line.js';
import { RunStore } from './run-store.js';

const name = fc.oneof(fc.constantFrom('a', 'b', 'head-a-v-r1', 'é', '😀', '\ud800', '__proto__', 'constructor'), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1203.328, 2 ** 53 + 2));

/** The values as an ordinary object, as the readers build metrics (fast-check's dictionaries have no prototype). */
function plainObject(values: Record<string, number>): Record<string, number> {
  const plain: Record<string, number> = {};
  for (const [key, value] of Object.entries(values)) Object.defineProperty(plain, key, { value, enumerable: true, writable: true, configurable: true });
  return plain;
}

/** Runs as the readers keep them (slimRunLine of a valid line): every optional field, hostile names and ids. */
const slimRun = fc
  .record({
    id: name,
    side: fc.constantFrom('base', 'head'),
    input: name,
    variant: name,
    round: optional(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(-0, 2 ** 40))),
    status: fc.constantFrom('completed', 'failed', 'timeout'),
    latencyMs: optional(fc.oneof(number, fc.constant(null))),
    latencySource: optional(fc.constantFrom('root', 'wall', 'span:generate', 'é')),
    latencyReason: optional(name),
    traceErrors: optional(fc.array(name, { maxLength: 3 })),
    granularity: fc.constantFrom('coarse', 'fine'),
    phase: fc.constantFrom('measure', 'warmup', 'attribution'),
    exitCode: optional(fc.oneof(fc.integer({ min: -1, max: 255 }), fc.constant(null))),
    error: optional(fc.oneof(name, fc.constant(null))),
    spans: optional(fc.integer({ min: 0, max: 2 ** 40 })),
    metrics: optional(fc.dictionary(name, number, { maxKeys: 3 }).map(plainObject)),
    missingMetrics: optional(fc.array(name, { maxLength: 2 })),
  }, { requiredKeys: ['id', 'side', 'input', 'variant', 'status', 'granularity', 'phase'] })
  .map((fields) => slimRunLine({ type: 'run', ...fields } as RunLine));

/** Every field a run line may have, whether or not `run` has it. */
const FIELDS = ['type', 'id', 'side', 'input', 'variant', 'round', 'status', 'latencyMs', 'latencySource', 'latencyReason', 'traceErrors', 'granularity', 'phase', 'exitCode', 'error', 'spans', 'metrics', 'missingMetrics'] as const;

describe('RunStore', () => {
  it('gives back every run as it was pushed: the same fields, values (−0, null, lone surrogates) and key order', () => {
    fc.assert(
      fc.property(fc.array(slimRun, { maxLength: 30 }), (runs) => {
        const store = RunStore.of(runs);
        expect(store.length).toBe(runs.length);
        runs.forEach((run, i) => {
          const back = store.get(i);
          expect(back).toStrictEqual(run);
          expect(Object.keys(back)).toEqual(Object.keys(run));
          for (const field of FIELDS) expect(Object.is(back[field], run[field]) || JSON.stringify(back[field]) === JSON.stringify(run[field])).toBe(true);
        });
        expect(store.toArray()).toStrictEqual(runs);
      }),
      { numRuns: 300 },
    );
  });

  it('reads each field of a run from the columns when asked (`reading`), equal to the whole run', () => {
    fc.assert(
      fc.property(fc.array(slimRun, { minLength: 1, maxLength: 20 }), (runs) => {
        const store = RunStore.of(runs);
        runs.forEach((run, i) => {
          const read = store.reading(i);
          for (const field of FIELDS) {
            const [got, want] = [read[field], run[field]];
            expect(Object.is(got, want) || JSON.stringify(got) === JSON.stringify(want)).toBe(true);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('lists inputs and variants in the order they first appear', () => {
    const run = (input: string, variant: string, i: number): RunLine => ({ type: 'run', id: `r${i}`, side: 'head', input, variant, status: 'completed', latencyMs: 1, granularity: 'coarse', phase: 'measure' });
    const store = RunStore.of([run('b', 'y', 1), run('a', 'y', 2), run('b', 'x', 3), run('y', 'b', 4)]);
    expect(store.inputIds()).toEqual(['b', 'a', 'y']);
    expect(store.variantIds()).toEqual(['y', 'x', 'b']);
  });
});

describe('a results file read from text keeps its runs in a store', () => {
  const line = (id: string, round: number, latencyMs: number) => JSON.stringify({ type: 'run', id, side: 'head', input: 'in', variant: 'v', round, status: 'completed', latencyMs });
  const text = (runs: number, latency: number) => Array.from({ length: runs }, (_, i) => line(`head-in-v-r${i + 1}`, i + 1, latency + i)).join('\n');

  it('until `runs` is read; after that (or after it is set) the array is what compare sees', () => {
    const file = parseResults(text(3, 100), 'head.jsonl');
    expect(runSourceOf(file)).toBeInstanceOf(RunStore);
    expect(runCount(file)).toBe(3);
    expect(file.runs.map((r) => r.latencyMs)).toEqual([100, 101, 102]);
    expect(runSourceOf(file)).not.toBeInstanceOf(RunStore);
    // A caller that changes the runs it read is compared on what it changed.
    file.runs.push({ ...file.runs[0]!, id: 'head-in-v-r9', round: 9, latencyMs: 500 });
    expect(runCount(file)).toBe(4);
    const set = parseResults(text(2, 100), 'head.jsonl');
    set.runs = [];
    expect(runCount(set)).toBe(0);
  });

  it('compares the same either way: runs from the store, or the same runs as an array', () => {
    const base = () => parseResults(text(12, 100).replaceAll('"head', '"base'), 'base.jsonl');
    const head = () => parseResults(text(12, 130), 'head.jsonl');
    const fromStores = compareSides(base(), head());
    const [b, h] = [base(), head()];
    const fromArrays = compareSides({ ...b, runs: [...b.runs] }, { ...h, runs: [...h.runs] });
    expect(fromStores.cells[0]!.latency?.verdict).toBe('regression');
    expect(JSON.stringify(fromStores)).toBe(JSON.stringify(fromArrays));
  });
});
