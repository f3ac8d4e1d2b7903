/**
 * Results files are untrusted (a fork controls the artifacts report mode reads): bounded warnings,
 * bounded lines, the same answer streamed from a file, from bytes or from a string, and ids that happen
 * to be JavaScript property names are plain strings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compareSides } from '../compare/sides.js';
import { InputError } from '../errors.js';
import { MAX_WARNINGS } from '../warnings.js';
import { MAX_LINE_BYTES, parseResults, readResults } from './read.js';

const dir = mkdtempSync(join(tmpdir(), 'frametail-read-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (fields: Record<string, unknown>) =>
  JSON.stringify({ type: 'run', id: 'r1', side: 'head', input: 'pirouette', variant: 'wide', round: 1, status: 'completed', latencyMs: 812, ...fields });

describe('bounded warnings', () => {
  it('200,000 junk lines give 100 warnings and one line counting the rest, from a streamed file', async () => {
    const file = join(dir, 'junk.jsonl');
    writeFileSync(file, run({}) + '\n' + 'junk\n'.repeat(200_000));
    const results = await readResults(file);
    expect(results.runs).toHaveLength(1);
    expect(results.warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(results.warnings[0]).toBe(`${file}:2: not a JSON object; the line is ignored`);
    expect(results.warnings.at(-1)).toBe('… and 199900 more warnings not shown');
  });

  it('a file of nothing but junk is refused with the first problem and the count', () => {
    expect(() => parseResults('x\n'.repeat(1000), 'junk.jsonl')).toThrow(/^junk\.jsonl: not a frametail results file: no usable line \(first problem: junk\.jsonl:1: not a JSON object; the line is ignored; 1000 lines ignored\)/);
  });

  it('a warning quoting untrusted text is cut to a bounded length', () => {
    const results = parseResults(`${run({})}\n{"type":"${'x'.repeat(100_000)}"}\n${run({ id: 'r2', input: 'y'.repeat(100_000) })}\n${run({ id: 'r2' })}\n`, 'f');
    expect(results.warnings.every((w) => w.length <= 500)).toBe(true);
    expect(results.warnings).toHaveLength(2);
  });
});

describe('bounded lines', () => {
  it('a line longer than the limit is skipped without being kept, the lines around it are read', async () => {
    const file = join(dir, 'long.jsonl');
    writeFileSync(file, `${run({ id: 'a' })}\n{"type":"span","name":"${'n'.repeat(MAX_LINE_BYTES + 10)}"}\n${run({ id: 'b' })}\n`);
    const results = await readResults(file);
    expect(results.runs.map((r) => r.id)).toEqual(['a', 'b']);
    expect(results.warnings).toEqual([`${file}:2: longer than ${MAX_LINE_BYTES} bytes; the line is ignored`]);
  });

  it('a directory or a missing file is a clear input error', async () => {
    await expect(readResults(dir)).rejects.toThrow(/a directory, not a results file/);
    await expect(readResults(join(dir, 'nope.jsonl'))).rejects.toThrow(/no such results file/);
  });

  it('a FIFO or a device is refused instead of hanging or reading forever', async () => {
    const fifo = join(dir, 'fifo.jsonl');
    execFileSync('mkfifo', [fifo]);
    await expect(readResults(fifo)).rejects.toThrow(/fifo\.jsonl: not a regular file/);
    await expect(readResults('/dev/zero')).rejects.toThrow(/^\/dev\/zero: not a regular file/);
  });
});

describe('ids that are JavaScript property names', () => {
  it('constructor, __proto__ and toString are cells like any other', () => {
    const ids = ['constructor', '__proto__', 'toString'];
    const lines = (side: string, ms: number) =>
      ids.flatMap((input, i) => [1, 2, 3, 4, 5, 6].map((round) => run({ id: `${side}-${input}-${round}`, side, input, variant: ids[(i + 1) % 3], round, latencyMs: ms + round }))).join('\n') + '\n';
    const base = parseResults(lines('base', 100), 'base.jsonl');
    const head = parseResults(lines('head', 300), 'head.jsonl');
    expect(base.warnings).toEqual([]);
    const report = compareSides(base, head);
    expect(report.cells.map((c) => [c.input, c.variant, c.verdict, c.configLine])).toEqual([
      ['constructor', '__proto__', 'regression', undefined],
      ['__proto__', 'toString', 'regression', undefined],
      ['toString', 'constructor', 'regression', undefined],
    ]);
  });
});

describe('results-line fuzz: typed lines or a clear error, never a crash', () => {
  const goodRun = fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), input: fc.constantFrom('a', 'constructor', '__proto__'), latencyMs: fc.oneof(fc.double(), fc.constant(null)), round: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant(undefined)), status: fc.constantFrom('completed', 'failed', 'timeout', 'weird') }).map((r) => run(r));
  const line = fc.oneof(
    goodRun,
    fc.string({ maxLength: 40 }),
    fc.json({ maxDepth: 3 }),
    fc.constantFrom('{"type":"header","schema":"frametail.results/1","side":"head"}', '{"type":"footer","complete":true,"runs":1}', '{"type":"span","run":"r","traceId":"t","spanId":"s","name":"n","startNs":"1","endNs":"2"}', '\r', '', '{"type":"header","schema":"frametail.results/9"}'),
  );

  it('string, bytes and streamed file agree; warnings bounded; errors are InputErrors', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 150 }), fc.boolean(), async (lines, newlineAtEnd) => {
        const text = lines.join('\n') + (newlineAtEnd ? '\n' : '');
        const outcome = (parse: () => unknown) => {
          try {
            return parse();
          } catch (error) {
            expect(error).toBeInstanceOf(InputError);
            return (error as Error).message;
          }
        };
        const fromString = outcome(() => parseResults(text, 'f'));
        const fromBytes = outcome(() => parseResults(Buffer.from(text), 'f'));
        const file = join(dir, `fuzz-${n++}.jsonl`);
        writeFileSync(file, text);
        let fromFile: unknown;
        try {
          fromFile = await readResults(file);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          fromFile = (error as Error).message;
        }
        expect(fromBytes).toEqual(fromString);
        expect(JSON.stringify(fromFile).replaceAll(file, 'f')).toEqual(JSON.stringify(fromString));
        if (typeof fromString === 'object') expect((fromString as { warnings: string[] }).warnings.length).toBeLessThanOrEqual(MAX_WARNINGS + 1);
      }),
      { numRuns: 200 },
    );
  });
});
