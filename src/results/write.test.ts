import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footerLineSchema, headerLineSchema, runLineSchema, spanLineSchema, type HeaderLine, type RunLine } from './format.js';
import { parseResults } from './read.js';
import { keptLines, openResults, spanLine } from './write.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frametail-write-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const header: HeaderLine = { type: 'header', schema: 'frametail.results/1', side: 'head', ref: 'main', sha: 'abc', experiment: { id: 'exp_000000000001' } };
const run = (id: string): RunLine => ({ type: 'run', id, side: 'head', input: 'i', variant: 'v', round: 1, status: 'completed', latencyMs: 10, granularity: 'coarse', phase: 'measure' });
const span = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), parentSpanId: null, name: 'root', startNs: 1_700_000_000_000_000_001n, endNs: 1_700_000_000_500_000_001n, status: 'ok' as const, attributes: { big: 2n ** 64n, frames: 24 } };

describe('openResults', () => {
  it('writes header, run lines each followed by their spans, and a footer that every schema accepts', async () => {
    const file = join(dir, 'fresh', 'results.jsonl');
    const writer = openResults(file, header, { resume: false });
    writer.append(run('r1'), [spanLine('r1', span)]);
    writer.append(run('r2'), []);
    writer.finish();
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['header', 'run', 'span', 'run', 'footer']);
    headerLineSchema.parse(lines[0]);
    runLineSchema.parse(lines[1]);
    const spanOut = spanLineSchema.parse(lines[2]);
    expect(spanOut.startNs).toBe('1700000000000000001');
    expect(spanOut.attributes.big).toBe('18446744073709551616');
    expect(footerLineSchema.parse(lines[4])).toMatchObject({ complete: true, runs: 2 });
  });

  it('leaves no footer when closed early, and a resume drops the cut-off line and keeps every finished run once', async () => {
    const file = join(dir, 'killed.jsonl');
    const first = openResults(file, header, { resume: false });
    first.append(run('r1'), [spanLine('r1', span)]);
    first.close();
    await writeFile(file, (await readFile(file, 'utf8')) + '{"type":"run","id":"r2","si');
    const resumed = openResults(file, header, { resume: true });
    expect([...resumed.recordedIds]).toEqual(['r1']);
    resumed.append(run('r2'), []);
    resumed.finish();
    const parsed = parseResults(await readFile(file, 'utf8'), file);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.runs.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(parsed.spans).toHaveLength(1);
    expect(parsed.footer).toMatchObject({ complete: true, runs: 2 });
  });

  it('refuses to resume a file of another experiment or side', async () => {
    const file = join(dir, 'other.jsonl');
    openResults(file, header, { resume: false }).close();
    expect(() => openResults(file, { ...header, experiment: { id: 'exp_000000000002' } }, { resume: true })).toThrow(/other\.jsonl:1: experiment\.id: cannot resume/);
    expect(() => openResults(file, { ...header, side: 'base' }, { resume: true })).toThrow(/holds the head side/);
  });

  it('starts a fresh file when there is nothing to resume', async () => {
    const file = join(dir, 'none.jsonl');
    const writer = openResults(file, header, { resume: true });
    expect(writer.recordedIds.size).toBe(0);
    writer.close();
    expect(JSON.parse((await readFile(file, 'utf8')).trim())).toEqual(header);
  });
});

describe('keptLines', () => {
  it('drops footers, blank lines and a final line without its newline', () => {
    expect(keptLines('{"type":"header"}\n{"type":"footer"}\n\n{"type":"run"}\n{"type":"ru')).toBe('{"type":"header"}\n{"type":"run"}\n');
  });
});

describe('results are never overwritten or mixed', () => {
  it('refuses an existing file without resume, and leaves it as it was', async () => {
    const file = join(dir, 'existing.jsonl');
    const first = openResults(file, header, { resume: false });
    first.append(run('r1'), []);
    first.finish();
    const before = await readFile(file, 'utf8');
    expect(() => openResults(file, header, { resume: false })).toThrow(/existing\.jsonl: a results file is already there; pass --resume to continue it/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refuses to resume a file measured at another commit', async () => {
    const file = join(dir, 'moved.jsonl');
    openResults(file, header, { resume: false }).close();
    expect(() => openResults(file, { ...header, sha: 'def' }, { resume: true })).toThrow(/moved\.jsonl:1: sha: cannot resume: the file was measured at commit abc, the head side is now at def/);
  });

  it('re-runs a run whose span lines were cut short by a kill, and says so', async () => {
    const file = join(dir, 'cut-spans.jsonl');
    const first = openResults(file, header, { resume: false });
    first.append(run('r1'), [spanLine('r1', span)]);
    first.append(run('r2'), [spanLine('r2', span), spanLine('r2', { ...span, spanId: 'c'.repeat(16) }), spanLine('r2', { ...span, spanId: 'd'.repeat(16) })]);
    first.close();
    // The kill landed after the second span line of r2 was written: the third is gone entirely.
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, lines.slice(0, -2).join('\n') + '\n');
    const warnings: string[] = [];
    const resumed = openResults(file, header, { resume: true, warn: (m) => warnings.push(m) });
    expect([...resumed.recordedIds]).toEqual(['r1']);
    expect(warnings).toEqual([`${file}: 1 run(s) whose span lines were cut short will run again: r2`]);
    resumed.append(run('r2'), [spanLine('r2', span)]);
    resumed.finish();
    const parsed = parseResults(await readFile(file, 'utf8'), file);
    expect(parsed.runs.map((r) => [r.id, r.spans])).toEqual([['r1', 1], ['r2', 1]]);
    expect(parsed.spans.map((s) => s.run)).toEqual(['r1', 'r2']);
  });
});
