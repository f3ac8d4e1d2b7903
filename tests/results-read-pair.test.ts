/**
 * readResultsPair reads the head file in a worker thread (scripts/results-worker.mjs runs the sources, as
 * the bundles run their own entry points) and must give exactly what reading both files here gives: the
 * same runs, header, spans, footer and warnings, the same errors, and the same file when the worker fails.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareSides } from '../src/compare/sides.js';
import { InputError } from '../src/errors.js';
import { readResults, type ResultsFile } from '../src/results/read.js';
import { readResultsPair, useResultsWorker } from '../src/results/read-pair.js';
import { scratchDir } from './helpers/scratch.js';

const WORKER = new URL('../scripts/results-worker.mjs', import.meta.url);

afterEach(() => useResultsWorker(undefined));

/** A results file with what the reader keeps and what it warns about: every kind of line, odd ids and names. */
function resultsText(side: 'base' | 'head', slower: number): string {
  const lines = [JSON.stringify({ type: 'header', schema: 'frametail.results/1', side, ref: side, sha: side[0]!.repeat(40) })];
  for (let round = 1; round <= 8; round++) {
    for (const [input, variant] of [['pirouette', 'wide'], ['pirouette', 'tall'], ['café', '😀']]) {
      const id = `${side}-${input}-${variant}-r${round}`;
      const failed = round === 3 && input === 'café';
      lines.push(
        JSON.stringify({
          type: 'run', id, side, input, variant, round, status: failed ? 'failed' : 'completed', latencyMs: failed ? null : 800 * slower + round * 7 + (variant === 'tall' ? 50 : 0),
          ...(failed ? {} : { latencySource: 'root', latencyReason: 'root span "generate"' }), wallMs: 900, granularity: 'coarse', phase: 'measure', traceId: null,
          exitCode: failed ? 1 : 0, error: failed ? 'model "x" timed out\n\tat call' : null, startedAt: '2026-11-30T08:00:00.000Z',
          ...(failed ? {} : { metrics: { ownMs: 100 * slower + round, modelMs: 700, __proto__: 3 } }), spans: failed ? 0 : 1,
        }),
      );
      if (!failed) lines.push(JSON.stringify({ type: 'span', run: id, traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'generate', startNs: '1000', endNs: String(1000 + round * 1e6), status: 'ok' }));
    }
  }
  // What a reader warns about: a repeated id, an id with an escape, a line of junk.
  lines.push(lines[1]!, '{"type":"run","id":"esc\\u0061ped","side":"' + side + '","input":"x","variant":"y","status":"completed","latencyMs":5}', 'not json');
  lines.push(JSON.stringify({ type: 'footer', complete: true, runs: 25 }));
  return lines.join('\n') + '\n';
}

function files(): { base: string; head: string; dir: string } {
  const dir = scratchDir('ft-read-pair-');
  const base = join(dir, 'base.jsonl');
  const head = join(dir, 'head.jsonl');
  writeFileSync(base, resultsText('base', 1));
  writeFileSync(head, resultsText('head', 1.3));
  return { base, head, dir };
}

/** Everything a reader gives, runs built. */
const whole = (file: ResultsFile) => ({ ...file, runs: file.runs.map((run) => ({ ...run })) });

describe('readResultsPair', () => {
  it('reads the head file in a worker thread to the same runs, spans, warnings and report as reading both here', async () => {
    const { base, head } = files();
    const alone = [await readResults(base), await readResults(head)];
    useResultsWorker(WORKER);
    const where: string[] = [];
    const pair = await readResultsPair(base, head, { minBytes: 0, readBy: (by) => where.push(by) });
    expect(where).toEqual(['worker']);
    expect(whole(pair[0])).toStrictEqual(whole(alone[0]!));
    expect(whole(pair[1])).toStrictEqual(whole(alone[1]!));
    expect(pair[1].warnings).toEqual([expect.stringMatching(/head\.jsonl:49: id: run "head-pirouette-wide-r1" already appeared on line 2/), expect.stringMatching(/:51: not a JSON object/)]);
    expect(pair[1].runs.map((r) => r.id)).toContain('escaped');
    expect(pair[1].runs.find((r) => r.input === 'café' && r.round === 3)).toMatchObject({ status: 'failed', exitCode: 1, error: 'model "x" timed out\n\tat call' });
    const fresh = await readResultsPair(base, head, { minBytes: 0 });
    const report = compareSides(fresh[0], fresh[1]);
    expect(report.cells.some((c) => c.latency?.verdict === 'regression')).toBe(true);
    expect(JSON.stringify(report)).toBe(JSON.stringify(compareSides(await readResults(base), await readResults(head))));
  }, 60_000);

  it("rejects as readResults does when the worker's file is not a results file, or is missing", async () => {
    const { base, dir } = files();
    const junk = join(dir, 'junk.jsonl');
    writeFileSync(junk, 'experiment:\n  name: x\n');
    useResultsWorker(WORKER);
    for (const head of [junk, join(dir, 'missing.jsonl')]) {
      const alone = await readResults(head).then(() => undefined, (error: unknown) => error);
      expect(alone).toBeInstanceOf(InputError);
      const paired = await readResultsPair(base, head, { minBytes: 0 }).then(() => undefined, (error: unknown) => error);
      expect(paired).toBeInstanceOf(InputError);
      expect((paired as Error).message).toBe((alone as Error).message);
    }
  }, 60_000);

  it('reads the head file here when the worker cannot run, or when none is registered', async () => {
    const { base, head, dir } = files();
    const alone = whole(await readResults(head));
    const where: string[] = [];
    const readBy = (by: string) => where.push(by);
    useResultsWorker(new URL(`file://${join(dir, 'no-such-script.mjs')}`));
    expect(whole((await readResultsPair(base, head, { minBytes: 0, readBy }))[1])).toStrictEqual(alone);
    useResultsWorker(undefined);
    expect(whole((await readResultsPair(base, head, { minBytes: 0, readBy }))[1])).toStrictEqual(alone);
    // A small head file is not worth a worker.
    useResultsWorker(WORKER);
    expect(whole((await readResultsPair(base, head, { readBy }))[1])).toStrictEqual(alone);
    expect(where).toEqual(['here', 'here', 'here']);
  }, 60_000);
});
