import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { parseResults, readResults } from './read.js';

const header = (schema = 'frametail.results/1') => JSON.stringify({ type: 'header', schema, side: 'base', ref: 'main', sha: 'abc' });
const run = (fields: Record<string, unknown>) =>
  JSON.stringify({ type: 'run', id: 'r1', side: 'base', input: 'pirouette', variant: 'wide', round: 1, status: 'completed', latencyMs: 812, ...fields });

describe('parseResults', () => {
  it('reads a file made of run lines only, with the defaults the format gives', () => {
    const file = parseResults(`${run({})}\n${run({ id: 'r2', round: 2, latencyMs: 790 })}\n`, 'base.jsonl');
    expect(file.header).toBeUndefined();
    expect(file.runs.map((r) => [r.id, r.latencyMs, r.phase, r.granularity])).toEqual([
      ['r1', 812, 'measure', 'coarse'],
      ['r2', 790, 'measure', 'coarse'],
    ]);
    expect(file.warnings).toEqual([]);
  });

  it('names the line of a negative, missing or non-numeric latency and keeps the other runs', () => {
    const text = [
      header(),
      run({ id: 'a', latencyMs: -3 }),
      run({ id: 'b', latencyMs: null }),
      run({ id: 'c', latencyMs: 'NaN' }),
      '{"type":"run","id":"d","side":"base","input":"x","variant":"y","status":"completed","latencyMs":1e999}',
      run({ id: 'e' }),
      '',
    ].join('\n');
    const file = parseResults(text, 'base.jsonl');
    expect(file.runs.map((r) => r.id)).toEqual(['e']);
    expect(file.warnings).toHaveLength(4);
    expect(file.warnings[0]).toMatch(/^base\.jsonl:2: latencyMs: -3 is negative/);
    expect(file.warnings[1]).toMatch(/^base\.jsonl:3: latencyMs: missing on a completed run/);
    expect(file.warnings[2]).toMatch(/^base\.jsonl:4: latencyMs:/);
    expect(file.warnings[3]).toMatch(/^base\.jsonl:5: latencyMs: .*Infinity/);
  });

  it('keeps failed runs without a latency (they count for the success rate)', () => {
    const file = parseResults(run({ status: 'failed', latencyMs: null, error: 'boom' }) + '\n', 'f');
    expect(file.runs).toHaveLength(1);
    expect(file.warnings).toEqual([]);
  });

  it('treats a cut-off last line as an interrupted job, not an error', () => {
    const text = `${header()}\n${run({})}\n{"type":"run","id":"r2","side":"ba`;
    const file = parseResults(text, 'head.jsonl');
    expect(file.runs).toHaveLength(1);
    expect(file.warnings).toEqual(['head.jsonl:3: the last line is cut short (was the job killed?); it is ignored']);
  });

  it('rejects an unknown schema major version, naming file and line', () => {
    const text = `\n${header('frametail.results/2')}\n${run({})}\n`;
    expect(() => parseResults(text, 'new.jsonl')).toThrow(InputError);
    expect(() => parseResults(text, 'new.jsonl')).toThrow(/^new\.jsonl:2: schema: unknown schema version "frametail\.results\/2"/);
  });

  it('accepts a newer minor version of the same major', () => {
    expect(parseResults(`${header('frametail.results/1.3')}\n`, 'f').header?.schema).toBe('frametail.results/1.3');
  });

  it('rejects a file with no usable line at all', () => {
    expect(() => parseResults('experiment:\n  name: x\n', 'frametail.yml')).toThrow(/frametail\.yml: not a frametail results file/);
  });

  it('reads an empty file as an empty side', () => {
    expect(parseResults('', 'empty.jsonl')).toEqual({ file: 'empty.jsonl', runs: [], spans: [], warnings: [] });
  });

  it('skips duplicate run ids and unknown line types with a warning', () => {
    const text = [run({}), run({ latencyMs: 1 }), '{"type":"metric"}', '[1,2]'].join('\n') + '\n';
    const file = parseResults(text, 'f');
    expect(file.runs.map((r) => r.latencyMs)).toEqual([812]);
    expect(file.warnings).toEqual([
      'f:2: id: run "r1" already appeared on line 1; the duplicate is ignored',
      'f:3: unknown line type "metric" (expected header, run, span or footer); the line is ignored',
      'f:4: not a JSON object; the line is ignored',
    ]);
  });

  it('finds a repeated id whichever reader (bytes or JSON.parse) read either line, ASCII or not', () => {
    // A space after a colon sends a line to JSON.parse; the writer's own lines are read from their bytes.
    const slow = (line: string) => line.replace('"side":', '"side": ');
    for (const id of ['head-a-v-r1', 'é-r1', 'a\\u0062c']) {
      const line = run({ id: JSON.parse(`"${id}"`) as string });
      for (const [first, second] of [[line, line], [line, slow(line)], [slow(line), line], [slow(line), slow(line)]]) {
        const file = parseResults([first, run({ id: 'other' }), second].join('\n') + '\n', 'f');
        expect(file.runs.map((r) => r.id)).toEqual([JSON.parse(`"${id}"`), 'other']);
        expect(file.warnings).toEqual([`f:3: id: run "${JSON.parse(`"${id}"`) as string}" already appeared on line 1; the duplicate is ignored`]);
      }
    }
  });

  it('never throws on arbitrary lines after a valid run, and always keeps that run', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 8 }), (junk) => {
        const text = [run({}), ...junk.map((j) => j.replace(/\n/g, ''))].join('\n');
        const file = parseResults(text, 'f');
        expect(file.runs[0]?.id).toBe('r1');
        for (const warning of file.warnings) expect(warning).toMatch(/^f:\d+: /);
      }),
    );
  });
});

describe('readResults', () => {
  it('reads a file from disk and reports a missing one as an input error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frametail-read-'));
    const path = join(dir, 'results.jsonl');
    writeFileSync(path, `${header()}\n${run({})}\n`);
    expect((await readResults(path)).runs).toHaveLength(1);
    await expect(readResults(join(dir, 'missing.jsonl'))).rejects.toThrow(/missing\.jsonl: no such results file/);
  });
});

describe('results fixtures', () => {
  it('reads the good runs of a damaged file and names every bad line', async () => {
    const file = await readResults('fixtures/results/malformed.jsonl');
    expect(file.runs.map((r) => r.id)).toEqual(['m1', 'm5', 'm6']);
    expect(file.warnings.map((w) => w.replace(/: .*/, ''))).toEqual([2, 3, 4, 6, 8].map((n) => `fixtures/results/malformed.jsonl:${n}`));
    expect(file.warnings.at(-1)).toMatch(/cut short/);
  });

  it('rejects the unknown schema version with file and line', async () => {
    await expect(readResults('fixtures/results/schema-v2.jsonl')).rejects.toThrow(/^fixtures\/results\/schema-v2\.jsonl:1: schema: unknown schema version/);
  });
});
